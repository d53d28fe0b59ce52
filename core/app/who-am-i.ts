import type { Identity } from '../domain/actor.js';
import { allow, forbidden, refuse, type Decision } from '../domain/refusal.js';
import type { Tenant } from '../domain/tenant.js';
import type { AppDeps } from './app-deps.js';
import { resolveActor } from './resolve-actor.js';

export interface Me {
  readonly tenant: Tenant;
  readonly displayName: string;
  readonly tenantAdmin: boolean;
  readonly ouAdmin: boolean;
}

/** The signed-in person as the tab greets them, with what they may administer. */
export async function whoAmI(deps: AppDeps, identity: Identity): Promise<Decision<Me>> {
  if (identity.kind !== 'user') return refuse(forbidden('This is for a signed-in user.'));
  const access = await resolveActor(deps, identity, identity.tenantId);
  if (!access.ok) return access;
  const { actor, tenant, user } = access.value;
  return allow({
    tenant: tenant.value,
    displayName: user?.value.displayName ?? identity.userId,
    tenantAdmin: actor.kind === 'user' && actor.tenantAdmin,
    ouAdmin: actor.kind === 'user' && actor.ouAdminOf !== null,
  });
}
