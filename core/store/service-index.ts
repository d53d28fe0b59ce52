import { z } from 'zod';
import { asServiceId, asTenantId, type ServiceId, type TenantId } from '../domain/ids.js';
import { TableRepository, type EntityMapping } from './table-repository.js';
import type { TableStorage } from './table-storage.js';

/**
 * Which tenant each service belongs to, in one partition of a small table of its own.
 * Routes that name a service without its tenant (`/me/services/{s}/…`) ask it only when
 * the service is not the caller's, to tell "another tenant's data" (403) from "no such
 * service" (404) without scanning every tenant.
 */
const SERVICE_INDEX_TABLE = 'ServiceIndex';
const PARTITION = 'services';

interface IndexEntry {
  readonly serviceId: ServiceId;
  readonly tenantId: TenantId;
}

const indexRow = z.object({ rowKey: z.string(), tenantId: z.string() });

const indexMapping: EntityMapping<IndexEntry> = {
  table: SERVICE_INDEX_TABLE,
  rowPrefix: '',
  keyOf: (e) => ({ partitionKey: PARTITION, rowKey: e.serviceId }),
  toEntity: (e) => ({ tenantId: e.tenantId }),
  fromEntity: (entity) => {
    const r = indexRow.parse(entity);
    return { serviceId: asServiceId(r.rowKey), tenantId: asTenantId(r.tenantId) };
  },
};

export interface ServiceIndex {
  /** Notes a service's tenant (idempotent). Written before the service itself. */
  add(tenantId: TenantId, serviceId: ServiceId): Promise<void>;
  /** The tenant a service belongs to, if any service has that id. */
  tenantOf(serviceId: ServiceId): Promise<TenantId | undefined>;
  /**
   * Notes a tenant's services the index lacks (written before it existed, or by an older
   * instance during an upgrade); the timer service's hourly run. Says how many it added.
   */
  catchUp(tenantId: TenantId, serviceIds: readonly ServiceId[]): Promise<number>;
}

/** Services this process knows to be indexed, so an hourly catch-up reads each one once. */
const KNOWN_LIMIT = 200_000;

export function createServiceIndex(storage: TableStorage): ServiceIndex {
  const repository = new TableRepository(storage, indexMapping);
  const known = new Set<ServiceId>();
  const remember = (serviceId: ServiceId) => {
    if (known.size >= KNOWN_LIMIT) known.clear();
    known.add(serviceId);
  };
  const add = async (tenantId: TenantId, serviceId: ServiceId) => {
    await repository.upsert({ tenantId, serviceId });
    remember(serviceId);
  };
  const tenantOf = async (serviceId: ServiceId) =>
    (await repository.get({ partitionKey: PARTITION, rowKey: serviceId }))?.value.tenantId;
  return {
    add,
    tenantOf,
    catchUp: async (tenantId, serviceIds) => {
      let added = 0;
      for (const serviceId of serviceIds) {
        if (known.has(serviceId)) continue;
        if ((await tenantOf(serviceId)) === undefined) {
          await add(tenantId, serviceId);
          added++;
        } else remember(serviceId);
      }
      return added;
    },
  };
}
