import { foldStates } from './state-folder.js';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TaskId, TenantId } from '../../domain/ids.js';
import {
  addTallies,
  addToDay,
  dayOf,
  NO_TALLY,
  stepTally,
  type BucketTally,
  type TaskTimes,
} from '../../domain/reporting/tally.js';
import type { HistoryRecord } from '../../store/history-rows.js';
import { doneTaskKey, openTaskKey } from '../../store/routing-rows.js';
import type { Stores } from '../../store/stores.js';
import { tallyKey, type TallyKey, type TallyRecord } from '../../store/tally-rows.js';
import type { Versioned } from '../../store/table-repository.js';
import { MAX_TRANSACTION_OPS, type WriteOp } from '../../store/table-transaction.js';
import { readingFresh } from '../../store/partition-cache.js';
import { CoalescedRuns } from '../coalesced-runs.js';
import { retryOnConflict } from '../retry-on-conflict.js';

/*
 * Reporting aggregates as it goes (issue #21): a step that counts writes its history row
 * and a `fold:` mark in its own transaction; the folder adds marked steps to the tallies
 * of their task's arrival quarter (per service and per tenant) and deletes the marks in
 * the same transaction, under the tallies' ETags. So each step is counted exactly once,
 * whichever instance folds, however often a fold is cut short. A dashboard folds what is
 * marked, then sums the quarters of its period: exact as of its view, without reading
 * history.
 */

/** A marked step and what it adds (null: nothing, e.g. its task is gone). */
interface PendingStep {
  readonly record: HistoryRecord;
  readonly adds: BucketTally | null;
}

/**
 * The times of tasks by id as storage holds them now (a mark without its task's times is
 * an ACW's end: the task ended before, possibly on another instance this one has not heard
 * from yet). A task not found is gone (purged): its steps count nothing.
 */
function taskTimes(
  stores: Stores,
  tenantId: TenantId,
  taskIds: readonly TaskId[],
): Promise<Map<TaskId, TaskTimes>> {
  return readingFresh(async () => {
    const found = new Map<TaskId, TaskTimes>();
    for (const taskId of taskIds) {
      const row =
        (await stores.routing.doneTasks.get(doneTaskKey(tenantId, taskId))) ??
        (await stores.routing.openTasks.get(openTaskKey(tenantId, taskId)));
      if (row) found.set(taskId, row.value);
    }
    return found;
  });
}

/** The steps marked for reporting in a tenant, with what each adds. */
async function pendingSteps(stores: Stores, tenantId: TenantId): Promise<PendingStep[]> {
  const marked = await stores.history.pending(tenantId, await stores.routingShards(tenantId));
  if (!marked.length) return [];
  const unknown = [...new Set(marked.filter((r) => !r.times).map((r) => r.taskId))];
  const looked = await taskTimes(stores, tenantId, unknown);
  return marked.map((record) => {
    const task = record.times ?? looked.get(record.taskId);
    return { record, adds: task ? stepTally(record.step, task) : null };
  });
}

/**
 * A quarter's tally of a service in a shard: marks fold into the tallies of their own
 * shard, in one transaction with them.
 */
const groupKey = (shard: number, serviceId: string | null, start: number) =>
  `${shard}\n${serviceId ?? ''}\n${start}`;

/**
 * Adds every marked step of a tenant to its tallies and unmarks it, a transaction per
 * quarter of a service (at most 95 steps each, with the service's and the tenant's
 * quarter and day).
 * Loses to another folder on an ETag and tries again on fresh reads. Says how many steps
 * it counted.
 */
export function foldTallies(stores: Stores, tenantId: TenantId): Promise<number> {
  return retryOnConflict(async () => {
    const pending = await pendingSteps(stores, tenantId);
    const groups = new Map<string, PendingStep[]>();
    for (const step of pending) {
      const shard = step.record.shard ?? 0;
      const key = step.adds ? groupKey(shard, step.record.serviceId, step.adds.start) : `${shard}`;
      const group = groups.get(key);
      if (group) group.push(step);
      else groups.set(key, [step]);
    }
    const rows = new Map<string, Versioned<TallyRecord> | undefined>();
    const rowOf = async (key: TallyKey) => {
      const { partitionKey, rowKey } = tallyKey(key);
      const at = `${partitionKey}\n${rowKey}`;
      if (!rows.has(at)) rows.set(at, await stores.tallies.get(key));
      return rows.get(at);
    };
    // Each transaction adds to four rows: the quarter and the day, of the service and the tenant.
    const room = MAX_TRANSACTION_OPS - 4;
    for (const steps of groups.values())
      for (let i = 0; i < steps.length; i += room) {
        const chunk = steps.slice(i, i + room);
        const ops: WriteOp[] = chunk.map((s) => stores.history.foldedOp(s.record));
        const start = chunk[0]?.adds?.start;
        const shard = chunk[0]?.record.shard ?? 0;
        const inShard = shard > 0 ? { shard } : {};
        const written: TallyRecord[] = [];
        if (start !== undefined) {
          const adds = chunk.reduce((sum, s) => addTallies(sum, s.adds!.tally), NO_TALLY);
          // The tenant's rows leave people out: they are counted per service.
          const parts = [
            { serviceId: chunk[0]!.record.serviceId, adds },
            { serviceId: null, adds: { ...adds, people: {} } },
          ];
          for (const { serviceId, adds: part } of parts) {
            const quarterKey = { tenantId, serviceId, span: 'quarter', start, ...inShard } as const;
            const quarter = await rowOf(quarterKey);
            const dayKey = {
              tenantId,
              serviceId,
              span: 'day',
              start: dayOf(start),
              ...inShard,
            } as const;
            const day = await rowOf(dayKey);
            const nextDay = addToDay(day?.value, { start, tally: part });
            for (const [row, next] of [
              [
                quarter,
                { ...quarterKey, tally: addTallies(quarter?.value.tally ?? NO_TALLY, part) },
              ],
              [day, { ...dayKey, tally: nextDay.tally, quarters: nextDay.quarters ?? {} }],
            ] as const) {
              ops.push(
                row ? stores.tallies.replaceOp(next, row.etag) : stores.tallies.insertOp(next),
              );
              written.push(next);
            }
          }
        }
        const etags = await stores.commit(ops);
        for (const record of written) {
          const { partitionKey, rowKey } = tallyKey(record);
          rows.set(`${partitionKey}\n${rowKey}`, { value: record, etag: etags.get(rowKey)! });
        }
      }
    return pending.length;
  });
}

/** The least time between two folds of a tenant: the steps of a few seconds share one. */
const FOLD_GAP_MS = 2_000;

/**
 * Folds a tenant's marked steps, and its people's marked state changes (state-folder.ts),
 * soon after they are written (coalesced per tenant, at most one fold per
 * {@link FOLD_GAP_MS}); what an instance left marked when it died is folded by the next
 * fold of its tenant on any instance, or by the tenant's own jobs.
 */
export class TallyFolder {
  private readonly runs: CoalescedRuns<TenantId>;
  private stopping = false;

  constructor(
    stores: Stores,
    onError: (error: unknown, tenantId: TenantId) => void,
    gapMs = FOLD_GAP_MS,
  ) {
    this.runs = new CoalescedRuns(async (tenantId) => {
      if (this.stopping) return;
      try {
        await foldTallies(stores, tenantId);
        await foldStates(stores, tenantId);
      } catch (error) {
        onError(error, tenantId);
      }
      await sleep(gapMs);
    });
  }

  kick(tenantId: TenantId): Promise<void> {
    return this.stopping ? Promise.resolve() : this.runs.run(tenantId);
  }

  stop(): void {
    this.stopping = true;
  }
}
