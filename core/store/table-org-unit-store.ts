import { z } from 'zod';
import { asOrgUnitId, asTenantId, type OrgUnitId, type TenantId } from '../domain/ids.js';
import type { OrgUnit } from '../domain/org-unit.js';
import { TableRepository, type EntityMapping, type TableKey } from './table-repository.js';
import type { TableStorage } from './table-storage.js';

const row = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  name: z.string(),
  parentId: z.string().nullish(),
});

export const orgUnitKey = (tenantId: TenantId, id: OrgUnitId): TableKey => ({
  partitionKey: tenantId,
  rowKey: id,
});

const orgUnitMapping: EntityMapping<OrgUnit> = {
  table: 'OrgUnits',
  keyOf: (ou) => orgUnitKey(ou.tenantId, ou.id),
  toEntity: (ou) => ({ name: ou.name, parentId: ou.parentId }),
  fromEntity: (entity) => {
    const r = row.parse(entity);
    return {
      tenantId: asTenantId(r.partitionKey),
      id: asOrgUnitId(r.rowKey),
      name: r.name,
      parentId: r.parentId ? asOrgUnitId(r.parentId) : null,
    };
  },
};

export type OrgUnitStore = TableRepository<OrgUnit>;

export const createOrgUnitStore = (storage: TableStorage): OrgUnitStore =>
  new TableRepository(storage, orgUnitMapping);
