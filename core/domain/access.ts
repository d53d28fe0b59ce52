import { isTenantAdmin, type Actor } from './actor.js';
import type { OrgUnitId } from './ids.js';
import type { OrgTree } from './org-tree.js';
import { forbidden, type Refusal } from './refusal.js';
import type { Membership } from './service.js';

/** null: allowed; otherwise the refusal to give. Pure, so every role rule has a table test. */
export type AccessCheck = Refusal | null;

export function mayAdministerTenant(actor: Actor): AccessCheck {
  return isTenantAdmin(actor) ? null : forbidden('Only tenant admins may do this.');
}

/** Tenant admins everywhere; OU admins inside their OU subtree. */
export function mayAdministerOu(actor: Actor, ouId: OrgUnitId, tree: OrgTree): AccessCheck {
  if (isTenantAdmin(actor)) return null;
  if (actor.kind === 'user' && actor.ouAdminOf !== null && tree.isWithin(ouId, actor.ouAdminOf))
    return null;
  return forbidden('Only tenant admins, or OU admins of this organization unit, may do this.');
}

/** Service licenses are the tenant admins' alone; OU admins manage user licenses only. */
export function mayManageServiceLicenses(actor: Actor): AccessCheck {
  return isTenantAdmin(actor) ? null : forbidden('Only tenant admins may change service licenses.');
}

export function mayManageUserLicense(actor: Actor, userOu: OrgUnitId, tree: OrgTree): AccessCheck {
  return mayAdministerOu(actor, userOu, tree) === null
    ? null
    : forbidden(
        'Only tenant admins, or OU admins of the user’s organization unit, may change user licenses.',
      );
}

/** Admins in scope and the service's owners (limited or not) may edit its settings. */
export function mayEditService(
  actor: Actor,
  serviceOu: OrgUnitId,
  tree: OrgTree,
  membership: Membership | undefined,
): AccessCheck {
  if (mayAdministerOu(actor, serviceOu, tree) === null) return null;
  if (membership?.role === 'Owner' || membership?.role === 'OwnerLimited') return null;
  return forbidden('Only owners of this service and admins may change it.');
}

/** Team Owner Limited may not change the distribution policy. */
export function mayChangeDistributionPolicy(
  actor: Actor,
  serviceOu: OrgUnitId,
  tree: OrgTree,
  membership: Membership | undefined,
): AccessCheck {
  if (mayAdministerOu(actor, serviceOu, tree) === null || membership?.role === 'Owner') return null;
  return forbidden(
    'Team Owner Limited may not change the distribution policy; ask a team owner or an admin.',
  );
}

/** Anyone of the service (or an admin in scope) may read it. */
export function mayReadService(
  actor: Actor,
  serviceOu: OrgUnitId,
  tree: OrgTree,
  membership: Membership | undefined,
): AccessCheck {
  if (mayAdministerOu(actor, serviceOu, tree) === null || membership !== undefined) return null;
  return forbidden('You are not a member of this service.');
}
