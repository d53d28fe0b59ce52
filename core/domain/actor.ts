import type { OrgUnitId, TenantId, UserId } from './ids.js';

/** Who a verified token says is calling, before the directory is asked what they may do. */
export type Identity =
  | { readonly kind: 'system' }
  | {
      readonly kind: 'user';
      readonly tenantId: TenantId;
      readonly userId: UserId;
      readonly groups: readonly string[];
    };

/**
 * Who acts, with the rights their directory entry and security groups give them.
 * `ouAdminOf` is the root of the OU subtree an OU admin administers.
 */
export type Actor =
  | { readonly kind: 'system' }
  | {
      readonly kind: 'user';
      readonly tenantId: TenantId;
      readonly userId: UserId;
      readonly tenantAdmin: boolean;
      readonly ouAdminOf: OrgUnitId | null;
      /**
       * A tenant admin only through the partner administration group: sees people and
       * customers as the tenant allows its partner (data privacy settings).
       */
      readonly partner: boolean;
    };

export const isTenantAdmin = (actor: Actor): boolean =>
  actor.kind === 'system' || actor.tenantAdmin;

export const isAdmin = (actor: Actor): boolean =>
  isTenantAdmin(actor) || (actor.kind === 'user' && actor.ouAdminOf !== null);
