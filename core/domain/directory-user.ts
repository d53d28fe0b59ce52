import type { OrgUnitId, TenantId, UserId } from './ids.js';

export const ADMIN_ROLES = ['TenantAdmin', 'OuAdmin'] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

/** A person of the tenant's directory (an Entra ID user), placed in exactly one OU. */
export interface DirectoryUser {
  readonly tenantId: TenantId;
  readonly id: UserId;
  readonly displayName: string;
  readonly ouId: OrgUnitId;
  readonly roles: readonly AdminRole[];
}
