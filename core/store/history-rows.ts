import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { ServiceId, TaskId, TenantId } from '../domain/ids.js';
import { asServiceId, asTaskId, asUserId } from '../domain/ids.js';
import { instantOf } from '../domain/instant.js';
import type { TaskStep } from '../domain/reporting/task-kpis.js';
import type { TaskTimes } from '../domain/reporting/tally.js';
import { WITHDRAWAL_CAUSES } from '../domain/routing/stale-offers.js';
import { MODALITIES } from '../domain/routing/task.js';
import { TASK_PRIORITIES } from '../domain/service-settings.js';
import { jsonColumn } from './json-column.js';
import { fromEveryShard, partitionOwner, ROUTING_TABLE, routingPartition } from './routing-rows.js';
import { shardOfTask } from '../domain/routing/task-id.js';
import { TableRepository, type EntityMapping, type TableKey } from './table-repository.js';
import type { TableStorage } from './table-storage.js';

/** One step of a task's history as stored: written in the step's own transaction. */
export interface HistoryRecord {
  readonly tenantId: TenantId;
  readonly taskId: TaskId;
  readonly serviceId: ServiceId;
  readonly step: TaskStep;
  /** Orders the steps one transaction writes at the same instant; unique with its key. */
  readonly seq: string;
  /**
   * The task's times as the step left them, on a step's mark for reporting (reporting then
   * needs no view of the task, which may lag behind on another instance).
   */
  readonly times?: TaskTimes;
  /**
   * The routing shard of the transaction that wrote it (see serviceShard): a task's steps
   * in its shard, a person's (an after-call work's end) in shard 0. Absent, 0.
   */
  readonly shard?: number;
}

const time = z.number().transform(instantOf);
const user = z.string().transform(asUserId);
const stepSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('created'),
    at: time,
    exit: z.enum(['DirectAvailable', 'InTimeAvailable', 'NoOneAvailable']),
    modality: z.enum(MODALITIES),
    priority: z.enum(TASK_PRIORITIES),
  }),
  z.object({ kind: z.literal('offered'), at: time, to: z.array(user) }),
  z.object({ kind: z.literal('declined'), at: time, by: user }),
  z.object({ kind: z.literal('missed'), at: time, by: user }),
  z.object({
    kind: z.literal('withdrawn'),
    at: time,
    from: user,
    cause: z.enum([...WITHDRAWAL_CAUSES, 'taken', 'ended']),
  }),
  z.object({ kind: z.literal('accepted'), at: time, by: user }),
  z.object({ kind: z.literal('completed'), at: time }),
  z.object({ kind: z.literal('canceled'), at: time }),
  z.object({ kind: z.literal('acwStarted'), at: time, by: user }),
  z.object({ kind: z.literal('acwEnded'), at: time, by: user }),
]) satisfies z.ZodType<TaskStep>;

const timesSchema = z.object({
  enqueuedAt: time,
  acceptedAt: time.nullable(),
  acceptedBy: user.nullable(),
  endedAt: time.nullable(),
}) satisfies z.ZodType<TaskTimes>;

const historyRow = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  taskId: z.string(),
  serviceId: z.string(),
  step: jsonColumn(stepSchema),
  times: jsonColumn(timesSchema).optional(),
});

const PREFIX = 'hist:';
/** A step reporting has yet to add to its tallies (see core/app/reporting/tally-folder.ts). */
const FOLD_PREFIX = 'fold:';

type Keyed = Pick<HistoryRecord, 'tenantId' | 'taskId' | 'step' | 'seq' | 'shard'>;

const keyOf = (prefix: string) => (r: Keyed) => ({
  partitionKey: routingPartition(r.tenantId, r.shard ?? 0),
  rowKey: `${prefix}${r.taskId}:${String(r.step.at).padStart(13, '0')}:${r.seq}`,
});

/**
 * `hist:{task}:{when, 13 digits}:{seq}`: a task's steps in time order, listed by prefix.
 * Task ids hold no `:`.
 */
export const historyKey = keyOf(PREFIX);

/** `fold:` and the history row's own key: a step not yet in the tallies. */
export const foldKey = keyOf(FOLD_PREFIX);

const mapping = (prefix: string): EntityMapping<HistoryRecord> => ({
  table: ROUTING_TABLE,
  rowPrefix: prefix,
  keyOf: keyOf(prefix),
  toEntity: (r) => ({
    taskId: r.taskId,
    serviceId: r.serviceId,
    step: JSON.stringify(r.step),
    ...(r.times && { times: JSON.stringify(r.times) }),
  }),
  fromEntity: (entity) => {
    const r = historyRow.parse(entity);
    const { tenantId, shard } = partitionOwner(r.partitionKey);
    return {
      tenantId,
      ...(shard > 0 && { shard }),
      taskId: asTaskId(r.taskId),
      serviceId: asServiceId(r.serviceId),
      step: r.step,
      seq: r.rowKey.slice(r.rowKey.lastIndexOf(':') + 1),
      ...(r.times && { times: r.times }),
    };
  },
});

let written = 0;

/**
 * Orders steps written at the same millisecond: a counter of this process (so one
 * transaction's steps, and steps of a task in quick succession, keep the order they were
 * made in), then a random tail, so two instances writing steps of the same task at the
 * same millisecond (one of them loses on the task's ETag anyway) never collide on a key.
 * Steps of one millisecond written by two instances may list in either order.
 */
export const historySeq = (): string =>
  `${String(written++ % 1e9).padStart(9, '0')}${randomTail()}`;

/** Random bytes drawn a few thousand at a time (one draw per step cost a call into the OS's source). */
let pool = Buffer.alloc(0);
let drawn = 0;
function randomTail(): string {
  if (drawn + 2 > pool.length) {
    pool = randomBytes(4096);
    drawn = 0;
  }
  drawn += 2;
  return pool.toString('hex', drawn - 2, drawn);
}

/**
 * Task history in the routing partition of its tenant, so each step's records commit in
 * the step's own transaction: never lost, never written twice. Each step that counts in
 * reporting is also written once more under `fold:`, until reporting adds it to its
 * tallies and deletes it in one transaction. Not kept in memory (the cache does not cover
 * the prefixes); read when asked for.
 */
export function createHistoryStore(storage: TableStorage) {
  const repository = new TableRepository(storage, mapping(PREFIX));
  const pending = new TableRepository(storage, mapping(FOLD_PREFIX));
  return {
    insertOp: (record: HistoryRecord) => repository.insertOp(record),
    deleteOp: (key: TableKey) => repository.deleteOp(key),
    /** Marks a step for reporting to count (in the step's transaction), with its task's times. */
    foldOp: (record: HistoryRecord) => pending.insertOp(record),
    /** Unmarks a step reporting counted (in the transaction that counts it). */
    foldedOp: (record: Keyed) => pending.deleteOp(foldKey(record)),
    /** The steps reporting has yet to count (in each of the tenant's `shards`), by task and time. */
    pending: async (tenantId: TenantId, shards = 1) =>
      (await fromEveryShard(tenantId, shards, (partition) => pending.list(partition))).map(
        (row) => row.value,
      ),
    /** One task's steps, in time order (from its shard, and a person's steps from shard 0). */
    ofTask: async (tenantId: TenantId, taskId: TaskId) => {
      const shard = shardOfTask(taskId);
      const partitions = [...new Set([routingPartition(tenantId, shard), tenantId])];
      const lists = await Promise.all(partitions.map((p) => repository.list(p, `${taskId}:`)));
      return lists
        .flat()
        .sort((a, b) => (historyKey(a.value).rowKey < historyKey(b.value).rowKey ? -1 : 1))
        .map((row) => row.value);
    },
    /**
     * One routing partition's steps in key order (task, time), from a row key on, read as
     * taken (a tenant's own partition, or one of its shards').
     */
    inKeyOrder: (partitionKey: string, fromRowKey?: string) =>
      repository.inKeyOrder(partitionKey, fromRowKey),
    /** Every step of a tenant's tasks (in each of its `shards`), by task and time in each shard. */
    all: async (tenantId: TenantId, shards = 1) =>
      (await fromEveryShard(tenantId, shards, (partition) => repository.list(partition))).map(
        (row) => row.value,
      ),
  };
}

export type HistoryStore = ReturnType<typeof createHistoryStore>;
