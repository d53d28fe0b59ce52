import type { OrgUnitId, TenantId } from './ids.js';

/** A node of the tenant's Organization Unit tree; the root has no parent. */
export interface OrgUnit {
  readonly tenantId: TenantId;
  readonly id: OrgUnitId;
  readonly name: string;
  readonly parentId: OrgUnitId | null;
}
