import { z } from 'zod';
import { asTenantId, asUserId, type TenantId, type UserId } from '../domain/ids.js';
import { TENANCY_TABLE } from './json-column.js';
import { TableRepository, type EntityMapping, type TableKey } from './table-repository.js';
import type { WriteOp } from './table-transaction.js';
import type { TableStorage } from './table-storage.js';

/**
 * That a person was Active in a service at least once in a month (`YYYY-MM`, in the
 * tenant's time zone): the admins' statistics count them.
 */
export interface ActivityMark {
  readonly tenantId: TenantId;
  readonly month: string;
  readonly userId: UserId;
}

const PREFIX = 'mau:';
const row = z.object({ partitionKey: z.string(), rowKey: z.string().startsWith(PREFIX) });

/** `mau:{month}:{userId}`: a month's people by prefix, months in order. */
export const activityKey = (m: ActivityMark): TableKey => ({
  partitionKey: m.tenantId,
  rowKey: `${PREFIX}${m.month}:${m.userId}`,
});

const activityMapping: EntityMapping<ActivityMark> = {
  table: TENANCY_TABLE,
  rowPrefix: PREFIX,
  keyOf: activityKey,
  toEntity: () => ({}),
  fromEntity: (entity) => {
    const r = row.parse(entity);
    const [month = '', userId = ''] = r.rowKey.slice(PREFIX.length).split(':');
    return { tenantId: asTenantId(r.partitionKey), month, userId: asUserId(userId) };
  },
};

/**
 * The months people were Active in, beside the tenant's memberships (so a switch to Active
 * and its mark commit together). Not cached: a tenant gathers a row per person and month.
 */
export function createActivityStore(storage: TableStorage) {
  const repository = new TableRepository(storage, activityMapping);
  return {
    /** Marks a person's month, whether or not it was already marked. */
    markOp: (mark: ActivityMark): WriteOp => ({
      kind: 'upsert',
      table: TENANCY_TABLE,
      entity: repository.entityOf(mark),
    }),
    /** The people marked in a month. */
    usersIn: async (tenantId: TenantId, month: string): Promise<Set<UserId>> =>
      new Set((await repository.list(tenantId, `${month}:`)).map((r) => r.value.userId)),
    /** Marks from `from` up to and including `to` (months), in order. */
    between: async (tenantId: TenantId, from: string, to: string) =>
      (
        await repository.list(
          tenantId,
          '',
          `RowKey ge '${PREFIX}${from}:' and RowKey lt '${PREFIX}${to};'`,
        )
      ).map((r) => r.value),
    deleteOp: (mark: ActivityMark) => repository.deleteOp(activityKey(mark)),
  };
}

export type ActivityStore = ReturnType<typeof createActivityStore>;
