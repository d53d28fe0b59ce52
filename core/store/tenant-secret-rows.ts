import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { asTenantId, type TenantId } from '../domain/ids.js';
import { ConflictError } from './conflict-error.js';
import { TENANCY_TABLE } from './json-column.js';
import { TableRepository, type EntityMapping, type TableKey } from './table-repository.js';
import type { TableStorage } from './table-storage.js';

/** A tenant's secret for one purpose (the feed's pseudonyms, signing callbacks). */
interface TenantSecret {
  readonly tenantId: TenantId;
  readonly name: string;
  readonly value: string;
}

const PREFIX = 'secret:';
const row = z.object({
  partitionKey: z.string(),
  rowKey: z.string().startsWith(PREFIX),
  value: z.string().min(16),
});

const keyOf = (tenantId: TenantId, name: string): TableKey => ({
  partitionKey: tenantId,
  rowKey: `${PREFIX}${name}`,
});

const mapping: EntityMapping<TenantSecret> = {
  table: TENANCY_TABLE,
  rowPrefix: PREFIX,
  keyOf: (s) => keyOf(s.tenantId, s.name),
  toEntity: (s) => ({ value: s.value }),
  fromEntity: (entity) => {
    const r = row.parse(entity);
    return {
      tenantId: asTenantId(r.partitionKey),
      name: r.rowKey.slice(PREFIX.length),
      value: r.value,
    };
  },
};

/** 32 random bytes, as URL-safe text: a new secret. */
export const randomSecret = (): string => randomBytes(32).toString('base64url');

/** Each tenant's secrets (`secret:{name}` beside the tenant), made when first asked for. */
export function createTenantSecretStore(storage: TableStorage) {
  const secrets = new TableRepository(storage, mapping);
  return {
    /** The secret, made (random, unless `fresh` says how) by whichever instance asks first. */
    get: async (
      tenantId: TenantId,
      name: string,
      fresh: () => string = randomSecret,
    ): Promise<string> => {
      const known = await secrets.get(keyOf(tenantId, name));
      if (known) return known.value.value;
      try {
        return (await secrets.insert({ tenantId, name, value: fresh() })).value.value;
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        return (await secrets.get(keyOf(tenantId, name)))!.value.value;
      }
    },
    /** A new secret (random unless given) in place of the old one. */
    replace: async (tenantId: TenantId, name: string, value = randomSecret()): Promise<string> =>
      (await secrets.upsert({ tenantId, name, value })).value.value,
  };
}

export type TenantSecretStore = ReturnType<typeof createTenantSecretStore>;
