import { z } from 'zod';
import { asTenantId, type TenantId } from '../domain/ids.js';
import { TableRepository, type EntityMapping } from './table-repository.js';
import type { TableStorage } from './table-storage.js';
import { allTenants, type TenantStore } from './table-tenant-store.js';

/**
 * Every tenant's id in one partition of a small table of its own, so the timer sweep of
 * each instance lists the tenants with one short query a second. Finding them in the
 * Tenancy table would scan all of it (its partitions are the tenants: a filter on the row
 * key alone reads every row of every tenant, page by page).
 */
const TENANT_INDEX_TABLE = 'TenantIndex';
const PARTITION = 'tenants';

const indexRow = z.object({ rowKey: z.string() });

const indexMapping: EntityMapping<TenantId> = {
  table: TENANT_INDEX_TABLE,
  rowPrefix: '',
  // Each sweep lists it: from memory, checked against storage as any cached partition is
  // (with the change feed, not at all while no other instance adds a tenant).
  cached: true,
  keyOf: (id) => ({ partitionKey: PARTITION, rowKey: id }),
  toEntity: () => ({}),
  fromEntity: (entity) => asTenantId(indexRow.parse(entity).rowKey),
};

export interface TenantIndex {
  /** Lists a tenant (idempotent). Written before the tenant itself, so none goes unlisted. */
  add(id: TenantId): Promise<void>;
  ids(): Promise<TenantId[]>;
  /**
   * Lists every tenant the Tenancy table holds that the index lacks (tenants written before
   * the index existed, or by an older instance during an upgrade); one scan of the Tenancy
   * table (the timer service's first sweep, then hourly). Says how many it added.
   */
  catchUp(tenants: TenantStore): Promise<number>;
  /** Deletes the cache stamps of instances that wrote nothing here for `olderThanMs` (see PartitionCache). */
  forgetStaleStamps(olderThanMs: number): Promise<number>;
}

export function createTenantIndex(storage: TableStorage): TenantIndex {
  const repository = new TableRepository(storage, indexMapping);
  const ids = async () => (await repository.list(PARTITION)).map((row) => row.value);
  const add = async (id: TenantId) => {
    await repository.upsert(id);
  };
  return {
    add,
    ids,
    forgetStaleStamps: (olderThanMs) =>
      storage.partitions.forgetStaleStamps(PARTITION, olderThanMs),
    catchUp: async (tenants) => {
      const listed = new Set(await ids());
      const missing = (await allTenants(tenants)).filter((t) => !listed.has(t.id));
      for (const tenant of missing) await add(tenant.id);
      return missing.length;
    },
  };
}
