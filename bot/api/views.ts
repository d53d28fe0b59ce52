import type { DirectoryUser } from '../../core/domain/directory-user.js';
import { FEATURES, licenseRank, type Feature } from '../../core/domain/feature-gating.js';
import { toIso } from '../../core/domain/instant.js';
import type { OrgUnit } from '../../core/domain/org-unit.js';
import type { Membership, Service } from '../../core/domain/service.js';
import type { Tenant } from '../../core/domain/tenant.js';

/** The JSON shapes of the API: domain values with API.md's names, instants as ISO strings. */
export const tenantView = (t: Tenant) => ({
  tenantId: t.id,
  name: t.name,
  state: t.state,
  createdAt: toIso(t.createdAt),
  pendingDeletion: t.deletionRequestedAt !== null,
  routingShards: t.routingShards ?? 1,
});

const ASSIGNMENT_LOCK: Record<Service['assignmentType'], string> = {
  TeamsBased: 'Set when the service was provisioned from its team; a Teams-based service keeps it.',
  SkillBased:
    'Fixed at creation; it can only change to None (before a downgrade to Enterprise Routing).',
  None: 'Fixed at creation; it can only change to Skill-based, which needs a Contact Center license.',
};

/** Which features the license allows, so a client can disable what is locked and say why. */
const featuresOf = (s: Service) =>
  (Object.keys(FEATURES) as Feature[]).map((feature) => ({
    feature,
    field: FEATURES[feature].field,
    license: FEATURES[feature].minimum,
    allowed: licenseRank(FEATURES[feature].minimum) <= licenseRank(s.license),
    inUse: FEATURES[feature].inUse(s),
  }));

export const serviceView = (s: Service, pendingDeletion = false) => ({
  serviceId: s.id,
  name: s.name,
  ouId: s.ouId,
  license: s.license,
  assignmentType: s.assignmentType,
  teamId: s.teamId,
  /** What became of the team in Teams; not Active: the service takes no new tasks. */
  teamState: s.teamState ?? 'Active',
  phoneNumber: s.phoneNumber,
  /** PendingDeletion: the tenant is; Deleting: an admin is deleting the service itself. */
  state: pendingDeletion
    ? 'PendingDeletion'
    : s.deletingSince !== undefined
      ? 'Deleting'
      : 'Active',
  createdAt: toIso(s.createdAt),
  settings: s.settings,
  locked: { assignmentType: ASSIGNMENT_LOCK[s.assignmentType] },
  features: featuresOf(s),
});

export const memberView = (m: Membership) => ({
  userId: m.userId,
  role: m.role,
  active: m.active,
  since: toIso(m.since),
});

export const userView = (u: DirectoryUser) => ({
  userId: u.id,
  displayName: u.displayName,
  ouId: u.ouId,
  roles: u.roles,
  licenses: u.licenses,
  skills: u.skills,
});

export const orgUnitView = (ou: OrgUnit) => ({ ouId: ou.id, name: ou.name, parentId: ou.parentId });
