import { z } from 'zod';
import { asTenantId, asUserId, type TenantId, type UserId } from '../domain/ids.js';
import { instantOf, type Instant } from '../domain/instant.js';
import { TENANCY_TABLE } from './json-column.js';
import { TableRepository, type EntityMapping } from './table-repository.js';
import type { TableStorage } from './table-storage.js';

/** A tenant's reporting key, as kept: only a hash of its secret, never the key itself. */
export interface ReportingKey {
  readonly tenantId: TenantId;
  /** SHA-256 of the key's secret, hex. */
  readonly hash: string;
  /** The key's last four characters, so an admin can tell which key a tool holds. */
  readonly hint: string;
  readonly createdAt: Instant;
  readonly createdBy: UserId | null;
}

const keyRow = z.object({
  partitionKey: z.string(),
  hash: z.string(),
  hint: z.string(),
  createdAt: z.number(),
  createdBy: z.string().nullish(),
});

const keyMapping: EntityMapping<ReportingKey> = {
  table: TENANCY_TABLE,
  rowPrefix: 'reportingkey',
  keyOf: (k) => ({ partitionKey: k.tenantId, rowKey: 'reportingkey' }),
  toEntity: (k) => ({
    hash: k.hash,
    hint: k.hint,
    createdAt: k.createdAt,
    createdBy: k.createdBy,
  }),
  fromEntity: (entity) => {
    const r = keyRow.parse(entity);
    return {
      tenantId: asTenantId(r.partitionKey),
      hash: r.hash,
      hint: r.hint,
      createdAt: instantOf(r.createdAt),
      createdBy: r.createdBy ? asUserId(r.createdBy) : null,
    };
  },
};

/** The reporting feed's key, beside the tenant. */
export function createReportingStore(storage: TableStorage) {
  const keys = new TableRepository(storage, keyMapping);
  const keyOf = (tenantId: TenantId) => ({ partitionKey: tenantId, rowKey: 'reportingkey' });
  return {
    key: (tenantId: TenantId) => keys.get(keyOf(tenantId)),
    /** Puts a new key in place of any other (the old one stops working at once). */
    putKey: (key: ReportingKey) => keys.upsert(key),
    /** Revokes the key read with `etag` (a conflict when another admin changed it since). */
    revokeKey: (tenantId: TenantId, etag: string) => keys.delete(keyOf(tenantId), etag),
  };
}

export type ReportingStore = ReturnType<typeof createReportingStore>;
