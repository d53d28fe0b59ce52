import { mayEditService, mayReadService } from '../../domain/access.js';
import type { Identity } from '../../domain/actor.js';
import type { TaskId, UserId } from '../../domain/ids.js';
import type { AgentState } from '../../domain/routing/agent-state.js';
import { tenantOfTask } from '../../domain/routing/task-id.js';
import {
  acceptTask,
  cancelTask,
  completeTask,
  declineTask,
  endAcceptedTask,
  type Step,
} from '../../domain/routing/task-lifecycle.js';
import { isOpen, type Task } from '../../domain/routing/task.js';
import {
  allow,
  anotherTenant,
  forbidden,
  notFound,
  refuse,
  type Decision,
} from '../../domain/refusal.js';
import { agentKey, ROUTING_TABLE } from '../../store/routing-rows.js';
import type { Versioned } from '../../store/table-repository.js';
import type { AppDeps } from '../app-deps.js';
import { decideAgainIfStale, retryOnConflict } from '../retry-on-conflict.js';
import { loadService, type ServiceContext } from '../service-admin.js';
import { agentWrites, queueGuard, taskWrites } from './step-writes.js';
import { type CardNote } from '../../domain/routing/cards.js';
import { findTask } from './task-intake.js';

interface TaskContext {
  readonly service: ServiceContext;
  readonly task: Versioned<Task>;
}

async function loadTask(
  deps: AppDeps,
  identity: Identity,
  taskId: string,
): Promise<Decision<TaskContext>> {
  const tenantId = tenantOfTask(taskId);
  if (!tenantId) return refuse(notFound(`Task ${taskId}`));
  if (identity.kind === 'user' && identity.tenantId !== tenantId) return refuse(anotherTenant());
  // A task another instance created a moment ago may not be in this one's view yet.
  const task =
    (await findTask(deps, tenantId, taskId as TaskId)) ??
    (await deps.stores
      .refreshRouting(tenantId)
      .then(() => findTask(deps, tenantId, taskId as TaskId)));
  if (!task) return refuse(notFound(`Task ${taskId}`));
  const service = await loadService(deps, identity, tenantId, task.value.serviceId);
  if (!service.ok) return service;
  return allow({ service: service.value, task });
}

/** Offered or accepting people see their task; so do the service's members and admins. */
export async function readTask(
  deps: AppDeps,
  identity: Identity,
  taskId: string,
): Promise<Decision<Task>> {
  const context = await loadTask(deps, identity, taskId);
  if (!context.ok) return context;
  const { service, task } = context.value;
  const involved =
    service.actor.kind === 'user' &&
    (task.value.offeredTo.includes(service.actor.userId) ||
      task.value.acceptedBy === service.actor.userId);
  const denied = involved
    ? null
    : mayReadService(service.actor, service.service.value.ouId, service.tree, service.own);
  return denied ? refuse(denied) : allow(task.value);
}

async function agentRows(deps: AppDeps, task: Task, ids: readonly UserId[]) {
  const rows = await Promise.all(
    ids.map((id) => deps.stores.routing.agents.get(agentKey(task.tenantId, id))),
  );
  return new Map(rows.flatMap((r) => (r ? [[r.value.userId, r] as const] : [])));
}

type Action = (context: TaskContext, agents: ReadonlyMap<UserId, AgentState>) => Decision<Step>;

/** Load, decide, write in one transaction, tell the bot, distribute again. */
function act(
  deps: AppDeps,
  identity: Identity,
  taskId: string,
  action: Action,
  /** What the caller's own card says afterwards, if the task cannot tell (a decline). */
  callerNote?: CardNote,
) {
  return retryOnConflict(async (): Promise<Decision<Task>> => {
    // What this instance has seen of the tenant's routing rows before reading the task.
    const tenantOfId = tenantOfTask(taskId);
    const view = tenantOfId && deps.stores.view('routing', tenantOfId);
    const context = await loadTask(deps, identity, taskId);
    if (!context.ok) return context;
    const task = context.value.task;
    const tenantId = task.value.tenantId;
    const rows = await agentRows(deps, task.value, [
      ...task.value.offeredTo,
      ...(task.value.acceptedBy ? [task.value.acceptedBy] : []),
    ]);
    const decided = action(context.value, new Map([...rows].map(([id, r]) => [id, r.value])));
    if (!decided.ok) {
      // The task may have been offered to the caller on another instance a moment ago.
      if (view) await decideAgainIfStale(ROUTING_TABLE, view);
      return decided;
    }
    const step = decided.value;
    const now = deps.clock.now();
    await deps.stores.commit([
      ...taskWrites(
        deps.stores,
        step.task,
        task,
        now,
        callerNote && identity.kind === 'user'
          ? new Map([[identity.userId, callerNote]])
          : undefined,
      ),
      ...step.agents.flatMap((a) => agentWrites(deps.stores, a, rows, now)),
      ...(task.value.state === 'Queued' && !isOpen(step.task)
        ? [await queueGuard(deps.stores, task.value)]
        : []),
    ]);
    // Accepting frees nobody unless other invitations were withdrawn; everything else may.
    if (step.task.state !== 'Accepted' || step.withdrawn.length)
      await deps.distribution.run(tenantId);
    else deps.distribution.changed(tenantId);
    // An ended task stays as it ended; an open one may have moved on in that run.
    if (!isOpen(step.task)) return allow(step.task);
    const after = await findTask(deps, tenantId, task.value.id);
    return allow(after?.value ?? step.task);
  });
}

const me = (context: TaskContext): UserId | null =>
  context.service.actor.kind === 'user' ? context.service.actor.userId : null;
const notYours = refuse<Step>(forbidden('This task was not offered to you.'));

export const accept = (deps: AppDeps, identity: Identity, taskId: string) =>
  act(deps, identity, taskId, (context, agents) => {
    const userId = me(context);
    return userId ? acceptTask(context.task.value, agents, userId, deps.clock.now()) : notYours;
  });

export const decline = (deps: AppDeps, identity: Identity, taskId: string) =>
  act(
    deps,
    identity,
    taskId,
    (context, agents) => {
      const userId = me(context);
      const agent = userId ? agents.get(userId) : undefined;
      return agent ? declineTask(context.task.value, agent, deps.clock.now()) : notYours;
    },
    'declined',
  );

/** The person who accepted it ends it (or an owner or admin of the service). */
export const complete = (deps: AppDeps, identity: Identity, taskId: string) =>
  act(deps, identity, taskId, (context, agents) => {
    const task = context.task.value;
    const s = context.service;
    const mine = task.acceptedBy !== null && me(context) === task.acceptedBy;
    if (!mine && mayEditService(s.actor, s.service.value.ouId, s.tree, s.own))
      return refuse(
        forbidden('Only the person who accepted this task, or an owner, may complete it.'),
      );
    return completeTask(
      task,
      task.acceptedBy ? agents.get(task.acceptedBy) : undefined,
      deps.clock.now(),
    );
  });

/**
 * An owner or admin of the service ends a task someone accepted and will not finish, with
 * the reason (kept on the task, shown on that person's card); the person is free at once.
 */
export const end = (deps: AppDeps, identity: Identity, taskId: string, reason: string) =>
  act(deps, identity, taskId, (context, agents) => {
    const s = context.service;
    const denied = mayEditService(s.actor, s.service.value.ouId, s.tree, s.own);
    if (denied)
      return refuse(forbidden('Only an owner or admin of the service may end someone’s task.'));
    const task = context.task.value;
    const by = s.actor.kind === 'user' ? s.actor.userId : null;
    return endAcceptedTask(
      task,
      task.acceptedBy ? agents.get(task.acceptedBy) : undefined,
      { by, reason },
      deps.clock.now(),
    );
  });

export const cancel = (deps: AppDeps, identity: Identity, taskId: string) =>
  act(deps, identity, taskId, (context, agents) => {
    const s = context.service;
    const denied = mayEditService(s.actor, s.service.value.ouId, s.tree, s.own);
    return denied ? refuse(denied) : cancelTask(context.task.value, agents, deps.clock.now());
  });
