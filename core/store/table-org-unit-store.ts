import { z } from 'zod';
import { asOrgUnitId, asTenantId, type OrgUnitId, type TenantId } from '../domain/ids.js';
import type { OrgUnit } from '../domain/org-unit.js';
import { TENANCY_TABLE } from './json-column.js';
import { TableRepository, type EntityMapping, type TableKey } from './table-repository.js';
import type { TableStorage } from './table-storage.js';

const PREFIX = 'ou:';

const row = z.object({
  partitionKey: z.string(),
  rowKey: z.string().startsWith(PREFIX),
  name: z.string(),
  parentId: z.string().nullish(),
});

export const orgUnitKey = (tenantId: TenantId, id: OrgUnitId): TableKey => ({
  partitionKey: tenantId,
  rowKey: `${PREFIX}${id}`,
});

const orgUnitMapping: EntityMapping<OrgUnit> = {
  table: TENANCY_TABLE,
  cached: true,
  rowPrefix: PREFIX,
  keyOf: (ou) => orgUnitKey(ou.tenantId, ou.id),
  toEntity: (ou) => ({ name: ou.name, parentId: ou.parentId }),
  fromEntity: (entity) => {
    const r = row.parse(entity);
    return {
      tenantId: asTenantId(r.partitionKey),
      id: asOrgUnitId(r.rowKey.slice(PREFIX.length)),
      name: r.name,
      parentId: r.parentId ? asOrgUnitId(r.parentId) : null,
    };
  },
};

export type OrgUnitStore = TableRepository<OrgUnit>;

export const createOrgUnitStore = (storage: TableStorage): OrgUnitStore =>
  new TableRepository(storage, orgUnitMapping);
