import { z } from 'zod';
import { asTenantId, type TenantId } from '../domain/ids.js';
import { LICENSES, type License, type LicensePool } from '../domain/license.js';
import { TENANCY_TABLE } from './json-column.js';
import { TableRepository, type EntityMapping, type TableKey } from './table-repository.js';
import type { TableStorage } from './table-storage.js';

const PREFIX = 'pool:';

const row = z.object({
  partitionKey: z.string(),
  rowKey: z.string().startsWith(PREFIX),
  total: z.number().int().nonnegative(),
  used: z.number().int().nonnegative(),
});

/** One row per (tenant, license); its ETag is what keeps the pool from oversubscription. */
export const licensePoolKey = (tenantId: TenantId, license: License): TableKey => ({
  partitionKey: tenantId,
  rowKey: `${PREFIX}${license}`,
});

const licenseName = z.enum(LICENSES as [License, ...License[]]);

const licensePoolMapping: EntityMapping<LicensePool> = {
  table: TENANCY_TABLE,
  cached: true,
  rowPrefix: PREFIX,
  keyOf: (p) => licensePoolKey(p.tenantId, p.license),
  toEntity: (p) => ({ total: p.total, used: p.used }),
  fromEntity: (entity) => {
    const r = row.parse(entity);
    const license = licenseName.parse(r.rowKey.slice(PREFIX.length));
    return { tenantId: asTenantId(r.partitionKey), license, total: r.total, used: r.used };
  },
};

export type LicensePoolStore = TableRepository<LicensePool>;

export const createLicensePoolStore = (storage: TableStorage): LicensePoolStore =>
  new TableRepository(storage, licensePoolMapping);
