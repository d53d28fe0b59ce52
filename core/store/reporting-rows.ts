import { z } from 'zod';
import { asTenantId, asUserId, type TenantId, type UserId } from '../domain/ids.js';
import { instantOf, type Instant } from '../domain/instant.js';
import { ConflictError } from './conflict-error.js';
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

/** The tenant's secret for the feed's pseudonyms (stable, so a report joins over time). */
export interface PseudonymSalt {
  readonly tenantId: TenantId;
  readonly salt: string;
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

const saltRow = z.object({ partitionKey: z.string(), salt: z.string().min(16) });

const saltMapping: EntityMapping<PseudonymSalt> = {
  table: TENANCY_TABLE,
  rowPrefix: 'pseudonymsalt',
  keyOf: (s) => ({ partitionKey: s.tenantId, rowKey: 'pseudonymsalt' }),
  toEntity: (s) => ({ salt: s.salt }),
  fromEntity: (entity) => {
    const r = saltRow.parse(entity);
    return { tenantId: asTenantId(r.partitionKey), salt: r.salt };
  },
};

/** The reporting feed's rows beside the tenant: its key, and its pseudonyms' salt. */
export function createReportingStore(storage: TableStorage) {
  const keys = new TableRepository(storage, keyMapping);
  const salts = new TableRepository(storage, saltMapping);
  const keyOf = (tenantId: TenantId) => ({ partitionKey: tenantId, rowKey: 'reportingkey' });
  return {
    key: (tenantId: TenantId) => keys.get(keyOf(tenantId)),
    /** Puts a new key in place of any other (the old one stops working at once). */
    putKey: (key: ReportingKey) => keys.upsert(key),
    /** Revokes the key read with `etag` (a conflict when another admin changed it since). */
    revokeKey: (tenantId: TenantId, etag: string) => keys.delete(keyOf(tenantId), etag),
    /** The tenant's salt, made once by whichever instance asks first. */
    salt: async (tenantId: TenantId, fresh: () => string): Promise<string> => {
      const key = { partitionKey: tenantId, rowKey: 'pseudonymsalt' };
      const known = await salts.get(key);
      if (known) return known.value.salt;
      try {
        return (await salts.insert({ tenantId, salt: fresh() })).value.salt;
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        return (await salts.get(key))!.value.salt;
      }
    },
  };
}

export type ReportingStore = ReturnType<typeof createReportingStore>;
