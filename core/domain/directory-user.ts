import type { OrgUnitId, TenantId, UserId } from './ids.js';
import type { ModalityLicense, UserLicense } from './license.js';

export const ADMIN_ROLES = ['TenantAdmin', 'OuAdmin'] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

/** Skill name -> level 1..100. */
export type Skills = Readonly<Record<string, number>>;

/** A person of the tenant's directory (an Entra ID user), placed in exactly one OU. */
export interface DirectoryUser {
  readonly tenantId: TenantId;
  readonly id: UserId;
  readonly displayName: string;
  readonly ouId: OrgUnitId;
  readonly roles: readonly AdminRole[];
  /** User and modality licenses this person holds (each taken from the tenant's pool). */
  readonly licenses: readonly (UserLicense | ModalityLicense)[];
  readonly skills: Skills;
}
