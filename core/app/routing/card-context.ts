import type { TaskId, TenantId, UserId } from '../../domain/ids.js';
import type { AgentState } from '../../domain/routing/agent-state.js';
import type { Task } from '../../domain/routing/task.js';
import { taskCardKey } from '../../store/card-rows.js';
import { type CardNote, type CardOutboxEntry, type TaskCard } from '../../domain/routing/cards.js';
import { agentKey } from '../../store/routing-rows.js';
import { serviceKey } from '../../store/table-service-store.js';
import { userKey } from '../../store/table-user-store.js';
import type { AppDeps } from '../app-deps.js';
import { findTask } from './task-intake.js';
import { cardLines, chatOfTask } from '../interact/interact-chat.js';
import type { ChatAuthor } from '../../store/interact-rows.js';

/** Everything one person's card about one task is drawn from, read fresh. */
export interface CardContext {
  readonly task: Task;
  readonly serviceName: string;
  readonly agent: AgentState | undefined;
  readonly note: CardNote | null;
  readonly card: TaskCard | undefined;
  /** The display name of whoever took the task, if anyone did. */
  readonly acceptedByName: string | null;
  /** A website chat's customer, latest lines and whether they left (other tasks: null). */
  readonly chat: CardChat | null;
}

export interface CardChat {
  readonly customerName: string;
  readonly lines: readonly { readonly from: ChatAuthor; readonly text: string }[];
  readonly left: boolean;
}

/**
 * Reads a card's context; undefined once the task is gone (purged). The card sender passes
 * the outbox entry it is drawing; without one, the entry waiting (if any) is read.
 */
export async function loadCardContext(
  deps: AppDeps,
  tenantId: TenantId,
  taskId: TaskId,
  userId: UserId,
  entry?: Pick<CardOutboxEntry, 'note'>,
): Promise<CardContext | undefined> {
  const { stores } = deps;
  const [task, agent, card, pending] = await Promise.all([
    findTask(deps, tenantId, taskId),
    stores.routing.agents.get(agentKey(tenantId, userId)),
    stores.cards.cards.get(taskCardKey(tenantId, taskId, userId)),
    entry ?? stores.cards.outbox.pending(tenantId, taskId, userId),
  ]);
  if (!task) return undefined;
  const acceptedBy = task.value.acceptedBy;
  const [service, taker, chat] = await Promise.all([
    stores.services.get(serviceKey(tenantId, task.value.serviceId)),
    acceptedBy ? stores.users.get(userKey(tenantId, acceptedBy)) : undefined,
    chatOfTask(deps, task.value),
  ]);
  return {
    task: task.value,
    serviceName: service?.value.name ?? 'a service that no longer exists',
    agent: agent?.value,
    note: pending?.note ?? card?.value.note ?? null,
    card: card?.value,
    acceptedByName: acceptedBy ? (taker?.value.displayName ?? 'a colleague') : null,
    chat: chat
      ? {
          customerName: chat.session.customerName,
          lines: cardLines(chat).map((m) => ({ from: m.from, text: m.text })),
          left: chat.session.leftHow !== null,
        }
      : null,
  };
}
