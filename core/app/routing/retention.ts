import { shardOfTask } from '../../domain/routing/task-id.js';
import type { TenantId } from '../../domain/ids.js';
import type { Instant } from '../../domain/instant.js';
import {
  doneTaskKey,
  externalKey,
  fromEveryShard,
  routingPartition,
} from '../../store/routing-rows.js';
import type { Stores } from '../../store/stores.js';
import { tenantKey } from '../../store/table-tenant-store.js';
import {
  MAX_TRANSACTION_OPS,
  partitionOf,
  transactionsOf,
  type WriteOp,
} from '../../store/table-transaction.js';
import type { OutboxRow } from '../../store/card-rows.js';
import { historyKey } from '../../store/history-rows.js';
import { tallyKey } from '../../store/tally-rows.js';
import { chatKey } from '../../store/interact-rows.js';
import type { Task } from '../../domain/routing/task.js';

const DAY_MS = 24 * 3600 * 1000;

/** Ended tasks purged together: their cards and history are read for so many at a time. */
const PURGE_CHUNK = 50;

/**
 * Purges ended tasks (with their decision records) whose end lies further back than the
 * tenant's data retention time. Returns how many went. Only those are read (a busy tenant
 * keeps millions of ended tasks, and the cards of each), a few dozen at a time.
 */
export async function purgeExpiredTasks(
  stores: Stores,
  tenantId: TenantId,
  now: Instant,
): Promise<number> {
  const tenant = await stores.tenants.get(tenantKey(tenantId));
  if (!tenant) return 0;
  const cutoff = now - tenant.value.settings.dataPrivacy.retentionDays * DAY_MS;
  const shards = await stores.routingShards(tenantId);
  const expired = await fromEveryShard(tenantId, shards, (p) =>
    stores.routing.doneTasks.list(p, '', `endedAt lt ${cutoff}`),
  );
  // Cards still to draw are few (drawn ones leave no row); rows of earlier versions stay
  // until their task goes.
  const outbox = expired.length ? await stores.cards.outbox.all(tenantId, shards) : [];
  for (let i = 0; i < expired.length; i += PURGE_CHUNK)
    await purgeTasks(
      stores,
      expired.slice(i, i + PURGE_CHUNK).map((t) => t.value),
      outbox,
    );
  await purgeTallies(stores, tenantId, cutoff);
  await purgeUserStates(stores, tenantId, cutoff);
  return expired.length;
}

/** Some ended tasks of one tenant, with their cards, history, transcripts and external ids. */
async function purgeTasks(
  stores: Stores,
  tasks: readonly Task[],
  outbox: readonly OutboxRow[],
): Promise<void> {
  const cards = await Promise.all(
    tasks.map((t) =>
      stores.cards.cards.list(routingPartition(t.tenantId, shardOfTask(t.id)), `${t.id}:`),
    ),
  );
  // A task, its external-id reference and its cards go together, so the id may be used again afterwards.
  const groups = tasks.map((t, i) => [
    ...(cards[i] ?? []).map((c) => stores.cards.cards.deleteOp(stores.cards.cards.keyOf(c.value))),
    ...outbox
      .filter((o) => o.row.value.taskId === t.id)
      .map((o) => stores.cards.outbox.deleteOp(o)),
    stores.routing.doneTasks.deleteOp(doneTaskKey(t.tenantId, t.id)),
    ...(t.externalId
      ? [
          stores.routing.externalRefs.deleteOp(
            externalKey(t.tenantId, t.serviceId, t.externalId, shardOfTask(t.id)),
          ),
        ]
      : []),
  ]);
  // A website chat's transcript goes with its task (before it: a purge cut short leaves the
  // task to purge again, not a transcript of none).
  for (const t of tasks) if (t.channel === 'interact') await purgeChat(stores, t);
  // Their history first: a purge cut short leaves the task to purge again, not steps of none.
  const history = (
    await Promise.all(tasks.map((t) => stores.history.ofTask(t.tenantId, t.id)))
  ).flat();
  for (const chunk of transactionsOf(
    history.map((record) => stores.history.deleteOp(historyKey(record))),
  ))
    await stores.commit(chunk);
  let batch: WriteOp[] = [];
  for (const [i, task] of tasks.entries()) {
    // A task's rows elsewhere than its own shard (marks of people's steps, in shard 0) go
    // first: a purge cut short leaves the task to purge again.
    const home = doneTaskKey(task.tenantId, task.id).partitionKey;
    let group = groups[i] ?? [];
    for (const chunk of transactionsOf(group.filter((op) => partitionOf(op) !== home)))
      await stores.commit(chunk);
    group = group.filter((op) => partitionOf(op) === home);
    // One transaction is one partition: tasks of another shard start a batch of their own.
    if (batch.length && partitionOf(batch[0]!) !== home) {
      await stores.commit(batch);
      batch = [];
    }
    // A task offered to everyone of a large service has more cards than a transaction
    // holds: its cards go first (a purge cut short leaves the task to purge again).
    while (group.length > MAX_TRANSACTION_OPS) {
      await stores.commit(group.slice(0, MAX_TRANSACTION_OPS));
      group = group.slice(MAX_TRANSACTION_OPS);
    }
    if (batch.length + group.length > MAX_TRANSACTION_OPS) {
      await stores.commit(batch);
      batch = [];
    }
    batch.push(...group);
  }
  await stores.commit(batch);
}

/** A website chat's session and lines (the chat's own partition rows, in transactions of 100). */
async function purgeChat(stores: Stores, task: Task): Promise<void> {
  if (!task.externalId?.startsWith('chat-')) return;
  const sessionId = task.externalId.slice('chat-'.length);
  const { interact } = stores;
  const lines = await interact.transcript(task.tenantId, sessionId);
  const ops = lines.map((m) =>
    interact.messages.deleteOp(interact.messageKey(m.tenantId, m.sessionId, m.key)),
  );
  if (await interact.sessions.get(chatKey(task.tenantId, sessionId)))
    ops.push(interact.sessions.deleteOp(chatKey(task.tenantId, sessionId)));
  for (let i = 0; i < ops.length; i += MAX_TRANSACTION_OPS)
    await stores.commit(ops.slice(i, i + MAX_TRANSACTION_OPS));
}

/** Reporting's quarters that began before the cutoff go as well (they tell of tasks that went). */
async function purgeTallies(stores: Stores, tenantId: TenantId, cutoff: number): Promise<void> {
  const old = await stores.tallies.before(tenantId, cutoff);
  for (let i = 0; i < old.length; i += MAX_TRANSACTION_OPS)
    await stores.commit(
      old.slice(i, i + MAX_TRANSACTION_OPS).map((r) => stores.tallies.deleteOp(tallyKey(r))),
    );
}

/**
 * People's state changes older than the retention time go too (each from its own table),
 * and the days of time Active and available counted from them.
 */
async function purgeUserStates(stores: Stores, tenantId: TenantId, cutoff: number): Promise<void> {
  const days = await stores.stateTimes.daysBefore(tenantId, cutoff - DAY_MS);
  for (let i = 0; i < days.length; i += MAX_TRANSACTION_OPS)
    await stores.commit(
      days.slice(i, i + MAX_TRANSACTION_OPS).map((r) => stores.stateTimes.deleteDayOp(r)),
    );
  const old = await stores.userStates.before(tenantId, cutoff);
  // A transaction stays in one table: the routing states' rows, then the switches'.
  for (const records of [
    old.filter((r) => r.step.kind === 'state'),
    old.filter((r) => r.step.kind === 'active'),
  ])
    for (let i = 0; i < records.length; i += MAX_TRANSACTION_OPS)
      await stores.commit(
        records.slice(i, i + MAX_TRANSACTION_OPS).map((r) => stores.userStates.deleteOp(r)),
      );
}
