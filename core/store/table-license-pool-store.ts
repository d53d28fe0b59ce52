import { z } from 'zod';
import { asTenantId, type TenantId } from '../domain/ids.js';
import { LICENSES, type License, type LicensePool } from '../domain/license.js';
import { TableRepository, type EntityMapping, type TableKey } from './table-repository.js';
import type { TableStorage } from './table-storage.js';

const row = z.object({
  partitionKey: z.string(),
  rowKey: z.enum(LICENSES as [License, ...License[]]),
  total: z.number().int().nonnegative(),
  used: z.number().int().nonnegative(),
});

/** One row per (tenant, license): the pool's ETag is what keeps it from oversubscription. */
export const licensePoolKey = (tenantId: TenantId, license: License): TableKey => ({
  partitionKey: tenantId,
  rowKey: license,
});

const licensePoolMapping: EntityMapping<LicensePool> = {
  table: 'LicensePools',
  keyOf: (p) => licensePoolKey(p.tenantId, p.license),
  toEntity: (p) => ({ total: p.total, used: p.used }),
  fromEntity: (entity) => {
    const r = row.parse(entity);
    return {
      tenantId: asTenantId(r.partitionKey),
      license: r.rowKey,
      total: r.total,
      used: r.used,
    };
  },
};

export type LicensePoolStore = TableRepository<LicensePool>;

export const createLicensePoolStore = (storage: TableStorage): LicensePoolStore =>
  new TableRepository(storage, licensePoolMapping);
