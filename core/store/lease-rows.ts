import type { Lease } from '../domain/lease.js';
import { z } from 'zod';
import { asTenantId, type TenantId } from '../domain/ids.js';
import { ROUTING_TABLE } from './routing-rows.js';
import { TableRepository, type EntityMapping, type TableKey } from './table-repository.js';
import type { TableStorage } from './table-storage.js';

export const leaseKey = (tenantId: TenantId, name: string): TableKey => ({
  partitionKey: tenantId,
  rowKey: `lease:${name}`,
});

const leaseRow = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  holder: z.string(),
  until: z.number(),
});

const leaseMapping: EntityMapping<Lease> = {
  table: ROUTING_TABLE,
  rowPrefix: 'lease:',
  keyOf: (l) => leaseKey(l.tenantId, l.name),
  toEntity: (l) => ({ holder: l.holder, until: l.until }),
  fromEntity: (entity) => {
    const r = leaseRow.parse(entity);
    return {
      tenantId: asTenantId(r.partitionKey),
      name: r.rowKey.slice('lease:'.length),
      holder: r.holder,
      until: r.until,
    };
  },
};

export const createLeaseStore = (storage: TableStorage) =>
  new TableRepository(storage, leaseMapping);

export type LeaseStore = ReturnType<typeof createLeaseStore>;
