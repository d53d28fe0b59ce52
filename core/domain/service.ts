import type { OrgUnitId, ServiceId, TenantId, UserId } from './ids.js';
import type { Instant } from './instant.js';
import type { ServiceLicense } from './license.js';
import type { ServiceSettings } from './service-settings.js';

export const ASSIGNMENT_TYPES = ['TeamsBased', 'SkillBased', 'None'] as const;

/** What became of a Teams-based service's team in Teams (absent: it is there as ever). */
export const TEAM_STATES = ['Active', 'Archived', 'Deleted'] as const;
export type TeamState = (typeof TEAM_STATES)[number];
export type AssignmentType = (typeof ASSIGNMENT_TYPES)[number];

/** An assignment type as people read it (SPEC §3: None is a service without users). */
export const ASSIGNMENT_TYPE_WORDS: Record<AssignmentType, string> = {
  TeamsBased: 'Teams-based',
  SkillBased: 'Skill-based',
  None: 'None (no users)',
};

/** A service customers reach; its license decides which of its settings may be used. */
export interface Service {
  readonly tenantId: TenantId;
  readonly id: ServiceId;
  readonly name: string;
  readonly ouId: OrgUnitId;
  readonly license: ServiceLicense;
  readonly assignmentType: AssignmentType;
  /** The Teams team it was provisioned from (Teams-based services only). */
  readonly teamId: string | null;
  /**
   * The team's Microsoft 365 group id, by which Microsoft Graph knows the team (its roster
   * is read with it); learnt from Teams, absent until then.
   */
  readonly teamGroupId?: string;
  /**
   * The team archived or deleted in Teams: the service keeps everything but takes no new
   * tasks, and says why, until the team is back. Absent while the team is there.
   */
  readonly teamState?: TeamState;
  /**
   * An admin is deleting the service: it takes no new tasks while its open ones end, then
   * it is gone. Absent otherwise.
   */
  readonly deletingSince?: Instant;
  /** PSTN number for outbound service calls; without one only UPNs can be dialled. */
  readonly phoneNumber: string | null;
  readonly createdAt: Instant;
  readonly settings: ServiceSettings;
}

export const MEMBER_ROLES = ['Owner', 'OwnerLimited', 'Member'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/** A role as people read it (cards, the tab). */
export const MEMBER_ROLE_WORDS: Record<MemberRole, string> = {
  Owner: 'Owner',
  OwnerLimited: 'Owner (limited rights)',
  Member: 'Member',
};

/** A person's place in a service: owner or member, and whether they take its tasks. */
export interface Membership {
  readonly tenantId: TenantId;
  readonly serviceId: ServiceId;
  readonly userId: UserId;
  readonly role: MemberRole;
  /** Active members receive tasks (skill-based services have no toggle: always true). */
  readonly active: boolean;
  readonly since: Instant;
  /** When Active last flipped (the member's start, until it first does). */
  readonly activeSince: Instant;
}

/**
 * Why a service takes no new tasks because of its team, or because it is being deleted, in
 * words; null when it takes them.
 */
export function noNewTasksReason(service: Service): string | null {
  if (service.deletingSince !== undefined)
    return `Service ${service.name} takes no new tasks: it is being deleted.`;
  switch (service.teamState) {
    case 'Archived':
      return `Service ${service.name} takes no new tasks: its team is archived in Teams. Unarchive the team and it takes tasks again.`;
    case 'Deleted':
      return `Service ${service.name} takes no new tasks: its team was deleted in Teams (the service, its members and its history are kept). Restore the team, or give the service another assignment type.`;
    case 'Active':
    case undefined:
      return null;
  }
}
