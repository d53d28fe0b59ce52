import type { Actor } from './actor.js';
import type { OrgUnitId, ServiceId, UserId } from './ids.js';
import type { OrgTree } from './org-tree.js';
import type { Instant } from './instant.js';
import type { LicensePool } from './license.js';
import { allow, refuse, type Decision } from './refusal.js';
import type { Membership, Service } from './service.js';
import { DEFAULT_SERVICE_SETTINGS } from './service-settings.js';
import { inactivityReason, type Tenant } from './tenant.js';
import type { ProvisioningPolicy } from './tenant-settings.js';

export interface ProvisionRequest {
  readonly serviceId: ServiceId;
  readonly teamId: string;
  readonly teamName: string;
  readonly members: readonly UserId[];
}

export interface Provisioned {
  readonly service: Service;
  readonly pool: LicensePool;
  readonly memberships: readonly Membership[];
}

const POLICY_TEXT: Record<ProvisioningPolicy, string> = {
  Everyone: 'everyone',
  TenantAndOuAdmins: 'tenant admins and OU admins',
  TenantAdmins: 'tenant admins',
  NoOne: 'nobody',
};

/** Does the tenant's "Allow service provisioning via Teams" setting admit this person? */
export function policyAdmits(policy: ProvisioningPolicy, actor: Actor): boolean {
  if (actor.kind === 'system') return false;
  switch (policy) {
    case 'Everyone':
      return true;
    case 'TenantAndOuAdmins':
      return actor.tenantAdmin || actor.ouAdminOf !== null;
    case 'TenantAdmins':
      return actor.tenantAdmin;
    case 'NoOne':
      return false;
  }
}

/** Where services provisioned from Teams, and people Teams brings in, are placed: the default OU, else the root. */
export function provisioningOu(tenant: Tenant, tree: OrgTree): OrgUnitId | undefined {
  return (tenant.settings.provisioning.defaultOuId as OrgUnitId | null) ?? tree.root()?.id;
}

export function policyRefusalText(policy: ProvisioningPolicy): string {
  return policy === 'NoOne'
    ? 'Provisioning services from Teams is switched off in this tenant.'
    : `Only ${POLICY_TEXT[policy]} may provision services in this tenant.`;
}

function teamsBasedService(
  tenant: Tenant,
  request: ProvisionRequest,
  ouId: OrgUnitId,
  now: Instant,
): Service {
  return {
    tenantId: tenant.id,
    id: request.serviceId,
    name: request.teamName,
    ouId,
    license: 'AdvancedRouting',
    assignmentType: 'TeamsBased',
    teamId: request.teamId,
    phoneNumber: null,
    createdAt: now,
    settings: DEFAULT_SERVICE_SETTINGS,
  };
}

/**
 * Provisioning a team as a service: allowed only while the tenant works, the policy admits
 * the requester and an Advanced Routing license is free. The requester becomes owner with
 * the tenant's default owner role; the team's members join, Active per the service default.
 */
export function decideProvisioning(
  input: {
    tenant: Tenant;
    actor: Actor;
    pool: LicensePool | undefined;
    defaultOuId: OrgUnitId;
    request: ProvisionRequest;
  },
  now: Instant,
): Decision<Provisioned> {
  const { tenant, actor, pool, request } = input;
  const inactive = inactivityReason(tenant);
  if (inactive) return refuse({ code: 'tenant_inactive', message: inactive });
  const policy = tenant.settings.provisioning.policy;
  if (!policyAdmits(policy, actor) || actor.kind !== 'user')
    return refuse({ code: 'policy_denied', message: policyRefusalText(policy) });
  const total = pool?.total ?? 0;
  const used = pool?.used ?? 0;
  if (!pool || used >= total) {
    return refuse({
      code: 'license_exhausted',
      message: `No Advanced Routing license left: ${used} of ${total} in use.`,
      details: { license: 'AdvancedRouting', total, used },
    });
  }
  const service = teamsBasedService(tenant, request, input.defaultOuId, now);
  const ownerRole = teamOwnerRole(tenant);
  const active = service.settings.distribution.newUsersActive;
  const others = [...new Set(request.members)].filter((id) => id !== actor.userId);
  const member = (userId: UserId, role: Membership['role']): Membership => ({
    tenantId: tenant.id,
    serviceId: service.id,
    userId,
    role,
    active,
    since: now,
    activeSince: now,
  });
  return allow({
    service,
    pool: { ...pool, used: used + 1 },
    memberships: [member(actor.userId, ownerRole), ...others.map((id) => member(id, 'Member'))],
  });
}

/** The service role a team's owners get: the tenant's default owner role (SPEC, team owners). */
export const teamOwnerRole = (tenant: Tenant): 'Owner' | 'OwnerLimited' =>
  tenant.settings.provisioning.defaultOwnerRole === 'TeamOwner' ? 'Owner' : 'OwnerLimited';
