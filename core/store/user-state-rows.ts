import { z } from 'zod';
import { asServiceId, asTenantId, asUserId, type TenantId, type UserId } from '../domain/ids.js';
import { instantOf } from '../domain/instant.js';
import type { PersonState, UserStateStep } from '../domain/reporting/user-states.js';
import { PRESENCES } from '../domain/routing/presence.js';
import { historySeq } from './history-rows.js';
import { jsonColumn, TENANCY_TABLE } from './json-column.js';
import { ROUTING_TABLE } from './routing-rows.js';
import { TableRepository, type EntityMapping, type TableKey } from './table-repository.js';
import type { TableStorage } from './table-storage.js';
import type { WriteOp } from './table-transaction.js';

/** One change of a person's state as stored, written in the transaction that made it. */
export interface UserStateRecord {
  readonly tenantId: TenantId;
  readonly userId: UserId;
  readonly step: UserStateStep;
  /** Orders changes of one millisecond; unique with the key (see historySeq). */
  readonly seq: string;
}

const time = z.number().transform(instantOf);
/** A person's state as a row holds it. */
export const personStateSchema = z.object({
  presence: z.enum(PRESENCES),
  engagement: z.enum(['offered', 'accepted', 'acw']).nullable(),
  serviceId: z.string().transform(asServiceId).nullable(),
  rona: z.boolean(),
}) satisfies z.ZodType<PersonState, unknown>;
const stepSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('state'),
    at: time,
    before: personStateSchema.nullable(),
    after: personStateSchema,
  }),
  z.object({
    kind: z.literal('active'),
    at: time,
    serviceId: z.string().transform(asServiceId),
    active: z.boolean(),
  }),
]) satisfies z.ZodType<UserStateStep, unknown>;

const row = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  at: z.number(),
  step: jsonColumn(stepSchema),
});

const PREFIX = 'ust:';

/** `ust:{user}:{when, 13 digits}:{seq}`: a person's changes in time order, by prefix. */
const keyUnder =
  (prefix: string) =>
  (r: Omit<UserStateRecord, 'step'> & { step: { at: number } }): TableKey => ({
    partitionKey: r.tenantId,
    rowKey: `${prefix}${r.userId}:${String(r.step.at).padStart(13, '0')}:${r.seq}`,
  });

export const userStateKey = keyUnder(PREFIX);

/** Changes of people's states in a table, under a prefix (`ust:` kept, `ufold:` to count). */
export const userStateMapping = (
  table: string,
  prefix = PREFIX,
): EntityMapping<UserStateRecord> => ({
  table,
  rowPrefix: prefix,
  keyOf: keyUnder(prefix),
  toEntity: (r) => ({ at: r.step.at, step: JSON.stringify(r.step) }),
  fromEntity: (entity) => {
    const r = row.parse(entity);
    const [userId = ''] = r.rowKey.slice(prefix.length).split(':');
    return {
      tenantId: asTenantId(r.partitionKey),
      userId: asUserId(userId),
      step: r.step,
      seq: r.rowKey.slice(r.rowKey.lastIndexOf(':') + 1),
    };
  },
});

/**
 * People's state changes (when the tenant persists user states), each in the partition of
 * the row that changed, in the same transaction: presence, engagement and RONA beside the
 * routing states, Active switches beside the memberships. Not cached; purged with the
 * tenant's retention time.
 */
export function createUserStateStore(storage: TableStorage) {
  const routing = new TableRepository(storage, userStateMapping(ROUTING_TABLE));
  const tenancy = new TableRepository(storage, userStateMapping(TENANCY_TABLE));
  const repositoryOf = (step: UserStateStep) => (step.kind === 'state' ? routing : tenancy);
  const listed = async (
    repositories: readonly TableRepository<UserStateRecord>[],
    tenantId: TenantId,
    prefix = '',
    where?: string,
  ) =>
    (await Promise.all(repositories.map((r) => r.list(tenantId, prefix, where))))
      .flat()
      .map((r) => r.value)
      .sort(inTimeOrder);
  return {
    /** A change to keep (with its place among changes of the same millisecond). */
    recordOf: (tenantId: TenantId, userId: UserId, step: UserStateStep): UserStateRecord => ({
      tenantId,
      userId,
      step,
      seq: historySeq(),
    }),
    /** The insert of a change, for the transaction that makes it. */
    insertOp: (record: UserStateRecord): WriteOp => repositoryOf(record.step).insertOp(record),
    deleteOp: (record: UserStateRecord): WriteOp =>
      repositoryOf(record.step).deleteOp(userStateKey(record)),
    /** Active switches after a time (everyone's, or one person's), in time order. */
    switchesAfter: (tenantId: TenantId, after: number, userId?: UserId) =>
      listed([tenancy], tenantId, userId === undefined ? '' : `${userId}:`, `at gt ${after}`),
    /** One person's changes, in time order. */
    ofUser: (tenantId: TenantId, userId: UserId) =>
      listed([routing, tenancy], tenantId, `${userId}:`),
    /**
     * A tenant's kept changes in key order (person, time), from a change's id
     * (`{user}:{when}:{seq}`) on: the states, and the Active switches, each read as taken.
     */
    inKeyOrder: (tenantId: TenantId, fromId?: string) =>
      [routing, tenancy].map((r) =>
        r.inKeyOrder(tenantId, fromId === undefined ? undefined : `${PREFIX}${fromId}`),
      ) as [AsyncGenerator<UserStateRecord>, AsyncGenerator<UserStateRecord>],
    /** Every change of a tenant's people, in time order. */
    all: (tenantId: TenantId) => listed([routing, tenancy], tenantId),
    /** The changes before a time (for the retention purge). */
    before: (tenantId: TenantId, cutoff: number) =>
      listed([routing, tenancy], tenantId, '', `at lt ${cutoff}`),
  };
}

/** Changes in the order they were made (those of one millisecond by their seq). */
export const inTimeOrder = (a: UserStateRecord, b: UserStateRecord): number =>
  a.step.at - b.step.at || (a.seq < b.seq ? -1 : 1);

export type UserStateStore = ReturnType<typeof createUserStateStore>;
