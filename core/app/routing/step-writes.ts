import type { UserId } from '../../domain/ids.js';
import type { Instant } from '../../domain/instant.js';
import { stampChange, type AgentState } from '../../domain/routing/agent-state.js';
import { isOpen, type Task } from '../../domain/routing/task.js';
import { markCardOp } from '../../store/card-rows.js';
import { type CardNote } from '../../domain/routing/cards.js';
import { openTaskKey, queueKey } from '../../store/routing-rows.js';
import type { Stores } from '../../store/stores.js';
import type { Versioned } from '../../store/table-repository.js';
import type { WriteOp } from '../../store/table-transaction.js';

/**
 * Writes for one agent: replace guarded by its ETag, or insert for someone without a state
 * yet. Ending or extending after-call work redraws that task's card.
 */
export function agentWrites(
  stores: Stores,
  agent: AgentState,
  rows: ReadonlyMap<UserId, Versioned<AgentState>>,
  now: Instant,
): WriteOp[] {
  const row = rows.get(agent.userId);
  const stamped = stampChange(row?.value, agent, now);
  if (!row) return [stores.routing.agents.insertOp(stamped)];
  const ops = [stores.routing.agents.replaceOp(stamped, row.etag)];
  const before = row.value.engagement;
  if (before?.kind === 'acw' && before !== agent.engagement)
    ops.push(markCardOp(agent.tenantId, before.taskId, agent.userId, now));
  return ops;
}

/** Everyone whose card a step may change: who had it ringing, who has it now, who took it. */
function cardAudience(before: Task, after: Task): UserId[] {
  return [
    ...new Set([
      ...before.offeredTo,
      ...after.offeredTo,
      ...(after.acceptedBy ? [after.acceptedBy] : []),
    ]),
  ];
}

/**
 * Writes for a task after a step: an open task is replaced under its ETag; an ended one
 * moves from `open:` to `done:` in the same transaction, so it is never in both or neither.
 * Every card the step changes is put in the outbox in that same transaction, with a note
 * for the people who declined or missed it.
 */
export function taskWrites(
  stores: Stores,
  task: Task,
  row: Versioned<Task>,
  now: Instant,
  notes: ReadonlyMap<UserId, CardNote> = new Map(),
): WriteOp[] {
  const cards = cardAudience(row.value, task).map((userId) =>
    markCardOp(task.tenantId, task.id, userId, now, notes.get(userId) ?? null),
  );
  if (isOpen(task)) return [stores.routing.openTasks.replaceOp(task, row.etag), ...cards];
  return [
    stores.routing.openTasks.deleteOp(openTaskKey(task.tenantId, task.id)),
    stores.routing.doneTasks.insertOp(task),
    ...cards,
  ];
}

/**
 * Guards ending a task that waited in the queue: nobody's routing state would change, so
 * nothing else in the transaction notices if another instance offered it meanwhile. Every
 * offer rewrites its service's queue row, so rewriting that row unchanged under its ETag
 * does.
 */
export async function queueGuard(stores: Stores, task: Task): Promise<WriteOp> {
  const row = await stores.routing.queues.get(queueKey(task.tenantId, task.serviceId));
  return row
    ? stores.routing.queues.replaceOp(row.value, row.etag)
    : stores.routing.queues.insertOp({
        tenantId: task.tenantId,
        serviceId: task.serviceId,
        roundRobin: {},
      });
}
