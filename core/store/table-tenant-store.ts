import { z } from 'zod';
import { asTenantId, type TenantId } from '../domain/ids.js';
import { instantOf } from '../domain/instant.js';
import { TENANT_STATES, type Tenant } from '../domain/tenant.js';
import { MAX_ROUTING_SHARDS } from '../domain/routing/task-id.js';
import { tenantSettings } from '../domain/tenant-settings.js';
import { jsonColumn, TENANCY_TABLE } from './json-column.js';
import { TableRepository, type EntityMapping, type TableKey } from './table-repository.js';
import type { TableStorage } from './table-storage.js';

const row = z.object({
  partitionKey: z.string(),
  name: z.string(),
  state: z.enum(TENANT_STATES),
  createdAt: z.number(),
  settings: jsonColumn(tenantSettings),
  deletionRequestedAt: z.number().nullish(),
  routingShards: z.number().int().min(1).max(MAX_ROUTING_SHARDS).nullish(),
});

export const tenantKey = (id: TenantId): TableKey => ({ partitionKey: id, rowKey: 'tenant' });

const tenantMapping: EntityMapping<Tenant> = {
  table: TENANCY_TABLE,
  cached: true,
  rowPrefix: 'tenant',
  keyOf: (t) => tenantKey(t.id),
  toEntity: (t) => ({
    name: t.name,
    state: t.state,
    createdAt: t.createdAt,
    settings: JSON.stringify(t.settings),
    deletionRequestedAt: t.deletionRequestedAt,
    // Written only for a tenant with several: rows of one shard read as before shards.
    ...(t.routingShards && t.routingShards > 1 && { routingShards: t.routingShards }),
  }),
  fromEntity: (entity) => {
    const r = row.parse(entity);
    return {
      id: asTenantId(r.partitionKey),
      name: r.name,
      state: r.state,
      createdAt: instantOf(r.createdAt),
      settings: r.settings,
      deletionRequestedAt: r.deletionRequestedAt == null ? null : instantOf(r.deletionRequestedAt),
      ...(r.routingShards && r.routingShards > 1 && { routingShards: r.routingShards }),
    };
  },
};

export type TenantStore = TableRepository<Tenant>;

export const createTenantStore = (storage: TableStorage): TenantStore =>
  new TableRepository(storage, tenantMapping);

/**
 * Every tenant of the account, by scanning all tenancy rows: for the tenant index's hourly
 * catch-up and the dev sign-in list, never per request or sweep (they use the index).
 */
export const allTenants = async (store: TenantStore): Promise<Tenant[]> =>
  (await store.scan("RowKey eq 'tenant'")).map((row) => row.value);
