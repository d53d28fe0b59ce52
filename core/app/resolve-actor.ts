import { mayAdministerTenant } from '../domain/access.js';
import type { Actor, Identity } from '../domain/actor.js';
import type { DirectoryUser } from '../domain/directory-user.js';
import type { TenantId } from '../domain/ids.js';
import {
  anotherTenant,
  forbidden,
  notFound,
  refuse,
  allow,
  type Decision,
} from '../domain/refusal.js';
import { inactivityReason, type Tenant } from '../domain/tenant.js';
import type { Versioned } from '../store/table-repository.js';
import { tenantKey } from '../store/table-tenant-store.js';
import { userKey } from '../store/table-user-store.js';
import type { AppDeps } from './app-deps.js';

export interface TenantAccess {
  readonly actor: Actor;
  readonly tenant: Versioned<Tenant>;
  /** The caller's directory entry (none for the system, or an admin known by group only). */
  readonly user?: Versioned<DirectoryUser>;
}

/**
 * Establishes what the caller may do in a tenant: the system operator anything; a user
 * only in their own tenant, only while it works, and only if the directory knows them or
 * one of their security groups is the tenant's (or partner's) administration group.
 */
export async function resolveActor(
  { stores }: AppDeps,
  identity: Identity,
  tenantId: TenantId,
): Promise<Decision<TenantAccess>> {
  if (identity.kind === 'user' && identity.tenantId !== tenantId) return refuse(anotherTenant());
  const tenant = await stores.tenants.get(tenantKey(tenantId));
  if (!tenant)
    return refuse(
      identity.kind === 'system'
        ? notFound('The tenant')
        : forbidden('This tenant is not set up for service routing yet.'),
    );
  if (identity.kind === 'system') return allow({ actor: { kind: 'system' }, tenant });
  const inactive = inactivityReason(tenant.value);
  if (inactive) return refuse({ code: 'tenant_inactive', message: inactive });
  const user = await stores.users.get(userKey(tenantId, identity.userId));
  const { tenantAdminGroupId, partnerAdminGroupId } = tenant.value.settings.general;
  const inGroup = (id: string | null) => id !== null && identity.groups.includes(id);
  const roles = user?.value.roles ?? [];
  const ownAdmin = inGroup(tenantAdminGroupId) || roles.includes('TenantAdmin');
  const partner = !ownAdmin && inGroup(partnerAdminGroupId);
  if (!user && !ownAdmin && !partner)
    return refuse(forbidden('You are not a user of this tenant yet; ask an admin to add you.'));
  return allow({
    tenant,
    ...(user && { user }),
    actor: {
      kind: 'user',
      tenantId,
      userId: identity.userId,
      tenantAdmin: ownAdmin || partner,
      ouAdminOf: user && roles.includes('OuAdmin') ? user.value.ouId : null,
      partner,
    },
  });
}

/** The caller's access to the tenant, when they are one of its tenant admins (or the operator). */
export async function asTenantAdmin(
  deps: AppDeps,
  identity: Identity,
  tenantId: TenantId,
): Promise<Decision<TenantAccess>> {
  const access = await resolveActor(deps, identity, tenantId);
  if (!access.ok) return access;
  const denied = mayAdministerTenant(access.value.actor);
  return denied ? refuse(denied) : access;
}

/** Runs `work` when the caller is one of the tenant's admins (or the operator); else refuses. */
export async function whenTenantAdmin<T>(
  deps: AppDeps,
  identity: Identity,
  tenantId: TenantId,
  work: () => Promise<T>,
): Promise<Decision<T>> {
  const access = await asTenantAdmin(deps, identity, tenantId);
  return access.ok ? allow(await work()) : access;
}
