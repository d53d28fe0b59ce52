import type { UserId } from '../../domain/ids.js';
import type { AgentState } from '../../domain/routing/agent-state.js';
import { isOpen, type Task } from '../../domain/routing/task.js';
import { openTaskKey } from '../../store/routing-rows.js';
import type { Stores } from '../../store/stores.js';
import type { Versioned } from '../../store/table-repository.js';
import type { WriteOp } from '../../store/table-transaction.js';

/** Writes for one agent: replace guarded by its ETag, or insert for someone without a state yet. */
export function agentWrite(
  stores: Stores,
  agent: AgentState,
  rows: ReadonlyMap<UserId, Versioned<AgentState>>,
): WriteOp {
  const row = rows.get(agent.userId);
  return row
    ? stores.routing.agents.replaceOp(agent, row.etag)
    : stores.routing.agents.insertOp(agent);
}

/**
 * Writes for a task after a step: an open task is replaced under its ETag; an ended one
 * moves from `open:` to `done:` in the same transaction, so it is never in both or neither.
 */
export function taskWrites(stores: Stores, task: Task, row: Versioned<Task>): WriteOp[] {
  if (isOpen(task)) return [stores.routing.openTasks.replaceOp(task, row.etag)];
  return [
    stores.routing.openTasks.deleteOp(openTaskKey(task.tenantId, task.id)),
    stores.routing.doneTasks.insertOp(task),
  ];
}
