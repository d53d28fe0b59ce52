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
import type { Versioned } from '../../store/table-repository.js';
import type { AppDeps } from '../app-deps.js';
import { loadService, type ServiceContext } from '../service-admin.js';
import { type CardNote } from '../../domain/routing/cards.js';
import { RoutingUnit, routingStep } from './routing-unit.js';

interface TaskContext {
  readonly service: ServiceContext;
  readonly task: Versioned<Task>;
}

async function loadTask(
  deps: AppDeps,
  identity: Identity,
  unit: RoutingUnit,
  taskId: string,
): Promise<Decision<TaskContext>> {
  const { tenantId } = unit;
  if (identity.kind === 'user' && identity.tenantId !== tenantId) return refuse(anotherTenant());
  const task = await unit.task(taskId as TaskId);
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
  const tenantId = tenantOfTask(taskId);
  if (!tenantId) return refuse(notFound(`Task ${taskId}`));
  const context = await loadTask(deps, identity, new RoutingUnit(deps.stores, tenantId), taskId);
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
  const tenantId = tenantOfTask(taskId);
  if (!tenantId) return Promise.resolve(refuse<Task>(notFound(`Task ${taskId}`)));
  // A refusal may rest on an old view (the task offered to the caller on another instance
  // a moment ago): the unit of work decides it again then.
  return routingStep(deps.stores, tenantId, async (unit): Promise<Decision<Task>> => {
    const context = await loadTask(deps, identity, unit, taskId);
    if (!context.ok) return context;
    const task = context.value.task;
    const rows = await unit.agents([
      ...task.value.offeredTo,
      ...(task.value.acceptedBy ? [task.value.acceptedBy] : []),
    ]);
    const decided = action(context.value, new Map([...rows].map(([id, r]) => [id, r.value])));
    if (!decided.ok) return decided;
    const step = decided.value;
    const now = deps.clock.now();
    const notes =
      callerNote && identity.kind === 'user' ? new Map([[identity.userId, callerNote]]) : undefined;
    await unit.commit([
      ...unit.stepWrites(step, task, rows, now, notes),
      ...(task.value.state === 'Queued' && !isOpen(step.task) ? [await unit.queueGuard(task)] : []),
    ]);
    // Accepting occupies its person; it frees only someone it leaves without an engagement
    // (a broadcast's others, or the person themselves after taking a chat: chats at once).
    // Everything else may free someone.
    if (step.task.state !== 'Accepted' || step.agents.some((a) => a.engagement === null))
      await deps.distribution.run(tenantId);
    else deps.distribution.changed(tenantId);
    // An ended task stays as it ended; an open one may have moved on in that run.
    if (!isOpen(step.task)) return allow(step.task);
    const after = await unit.seenTask(task.value.id);
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
