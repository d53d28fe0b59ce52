import { allTenants } from '../store/table-tenant-store.js';
import type { Stores } from '../store/stores.js';
import type { Identity } from '../domain/actor.js';
import { allow, type Decision } from '../domain/refusal.js';
import type { Tenant } from '../domain/tenant.js';
import type { AppDeps } from './app-deps.js';
import { resolveActor } from './resolve-actor.js';

export type Me =
  | {
      readonly operator: false;
      readonly tenant: Tenant;
      readonly userId: string;
      readonly displayName: string;
      readonly tenantAdmin: boolean;
      readonly ouAdmin: boolean;
    }
  /** The system operator: no tenant of their own. */
  | { readonly operator: true; readonly displayName: string };

/** The signed-in person as the tab greets them, with what they may administer; or the operator. */
export async function whoAmI(deps: AppDeps, identity: Identity): Promise<Decision<Me>> {
  if (identity.kind === 'system') return allow({ operator: true, displayName: 'System operator' });
  const access = await resolveActor(deps, identity, identity.tenantId);
  if (!access.ok) return access;
  const { actor, tenant, user } = access.value;
  return allow({
    operator: false,
    tenant: tenant.value,
    userId: identity.userId,
    displayName: user?.value.displayName ?? identity.userId,
    tenantAdmin: actor.kind === 'user' && actor.tenantAdmin,
    ouAdmin: actor.kind === 'user' && actor.ouAdminOf !== null,
  });
}

/**
 * Everyone in every tenant, by tenant, by name, with their admin roles and the services
 * they own: whom a developer may sign in as (dev mode only).
 */
export async function everyoneToSignInAs(stores: Stores) {
  const tenants = await allTenants(stores.tenants);
  return Promise.all(
    tenants.map(async (tenant) => {
      const names = new Map(
        (await stores.services.list(tenant.id)).map((s) => [s.value.id, s.value.name]),
      );
      const owns = new Map<string, string[]>();
      for (const { value: m } of await stores.memberships.list(tenant.id))
        if (m.role !== 'Member' && names.has(m.serviceId))
          owns.set(m.userId, [...(owns.get(m.userId) ?? []), names.get(m.serviceId) ?? '']);
      return {
        tenantId: tenant.id,
        name: tenant.name,
        users: (await stores.users.list(tenant.id))
          .map(({ value: u }) => ({
            userId: u.id,
            displayName: u.displayName,
            roles: u.roles,
            owns: (owns.get(u.id) ?? []).sort(),
          }))
          .sort((a, b) => a.displayName.localeCompare(b.displayName)),
      };
    }),
  );
}
