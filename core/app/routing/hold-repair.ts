import type { TaskId, TenantId, UserId } from '../../domain/ids.js';
import type { Instant } from '../../domain/instant.js';
import { heldTasks } from '../../domain/routing/agent-state.js';
import { agreeWithTask } from '../../domain/routing/task-lifecycle.js';
import { markCardOp } from '../../store/card-rows.js';
import { readingFresh } from '../../store/partition-cache.js';
import type { RoutingRows } from '../../store/routing-index.js';
import { doneTaskKey, openTaskKey } from '../../store/routing-rows.js';
import type { Stores } from '../../store/stores.js';
import type { RoutingUnit } from './routing-unit.js';

/** How long a hold may disagree with its task before a sweep repairs it. */
export const HOLD_REPAIR_AFTER_MS = 10_000;

/** Someone holding a task (ringing for it, taken, a chat) that does not say so. */
export interface Hold {
  readonly userId: UserId;
  readonly taskId: TaskId;
}

/**
 * Repairs what an instance stopping between the two transactions of a step leaves behind,
 * in a tenant whose routing rows spread over several shards (see RoutingUnit.commitAcross):
 * someone holding a task that does not name them (an offer whose task never committed; an
 * accept, a complete or a withdrawal whose people never did). Nobody is ever free while a
 * task names them, so that is the only disagreement there can be.
 *
 * Each timer sweep looks in memory (no request) at the holds of the people of such a tenant;
 * one that still disagrees with its task HOLD_REPAIR_AFTER_MS after it was first seen (a
 * step in flight agrees again within moments) is repaired on rows read fresh: the task's
 * row is first written again unchanged under its ETag, a fence, so a stalled instance's
 * commit of that task made on what it read before fails; then the person is made to agree
 * with the task as it is (agreeWithTask: rolled forward to what the task's step would have
 * made of them, or freed), and their card is redrawn.
 */
export class HoldRepair {
  /** Per tenant, each hold seen disagreeing and when it was first seen. */
  private readonly seen = new Map<TenantId, Map<string, Instant>>();

  constructor(private readonly stores: Stores) {}

  /**
   * Notes the holds that disagree with their tasks as this instance's rows show them, and
   * answers those that have disagreed for HOLD_REPAIR_AFTER_MS. Nothing for a tenant of
   * one shard: its steps commit whole.
   */
  async due(tenantId: TenantId, index: RoutingRows, now: Instant): Promise<Hold[]> {
    if ((await this.stores.routingShards(tenantId)) === 1) return [];
    const before = this.seen.get(tenantId);
    const still = new Map<string, Instant>();
    const due: Hold[] = [];
    for (const [userId, agent] of index.states) {
      if (agent.engagement === null && agent.chats.length === 0) continue;
      for (const taskId of heldTasks(agent)) {
        const task = index.task(taskId)?.value;
        if (task && agreeWithTask(agent, taskId, task) === agent) continue;
        const key = `${userId}\n${taskId}`;
        const since = before?.get(key) ?? now;
        still.set(key, since);
        if (now - since >= HOLD_REPAIR_AFTER_MS) due.push({ userId, taskId });
      }
    }
    if (still.size) this.seen.set(tenantId, still);
    else this.seen.delete(tenantId);
    return due;
  }

  /**
   * Makes one person agree with a task they hold, on rows read fresh; says whether it
   * wrote (nothing when they agree by now). A lost race throws a ConflictError, to be
   * tried again on fresh reads.
   */
  repair(unit: RoutingUnit, hold: Hold, now: Instant): Promise<boolean> {
    const { routing } = this.stores;
    const { tenantId } = unit;
    return readingFresh(async () => {
      const rows = await unit.agents([hold.userId]);
      const agent = rows.get(hold.userId);
      if (!agent) return false;
      const open = await routing.openTasks.get(openTaskKey(tenantId, hold.taskId));
      const task = open ?? (await routing.doneTasks.get(doneTaskKey(tenantId, hold.taskId)));
      const next = agreeWithTask(agent.value, hold.taskId, task?.value);
      if (next === agent.value) return false;
      // The fence: whatever another instance decided on this task before now fails to commit.
      if (open) await unit.fence(open);
      await unit.commit([
        ...unit.agentWrites(next, rows, now),
        markCardOp(tenantId, hold.taskId, hold.userId, now, null, 0),
      ]);
      return true;
    });
  }
}
