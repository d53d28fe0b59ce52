import type { UserId } from '../ids.js';
import type { Instant } from '../instant.js';
import { allow, refuse, type Decision, type Refusal } from '../refusal.js';
import { releasedFrom, type AgentState } from './agent-state.js';
import { isChat } from './task-licenses.js';
import { isOpen, type Task, type TaskEnding } from './task.js';

/** A task after a step, with every person whose state the step changed. */
export interface Step {
  readonly task: Task;
  readonly agents: readonly AgentState[];
  /** People whose open invitation was withdrawn (others took it, or it was canceled). */
  readonly withdrawn: readonly UserId[];
}

const gone = (message: string): Refusal => ({ code: 'policy_denied', message });

/** The person without the task's invitation, or the task in their hands (a chat held included). */
const freed = (agent: AgentState, task: Task): AgentState => releasedFrom(agent, task.id);

/** The person holding the task they accepted: a chat joins the chats they hold, anything else occupies them. */
function holding(agent: AgentState, task: Task): AgentState {
  const rest = freed(agent, task);
  const held = { taskId: task.id, serviceId: task.serviceId };
  return isChat(task)
    ? { ...rest, chats: [...rest.chats, held] }
    : { ...rest, engagement: { kind: 'accepted', ...held } };
}

const later = (now: Instant, seconds: number) => (now + seconds * 1000) as Instant;

/** Persistent RONA (round robin only: no RONA in broadcast) blocks the person until the reset time. */
function missed(task: Task, agent: AgentState, now: Instant): AgentState {
  const rona = task.routing.rona;
  const persistent = rona.persistent && task.routing.type === 'RoundRobin';
  return {
    ...freed(agent, task),
    ronaUntil: persistent ? later(now, rona.resetSec) : agent.ronaUntil,
  };
}

function requeued(task: Task, offeredTo: readonly UserId[], passed: readonly UserId[]): Task {
  const passedBy = [...new Set([...task.passedBy, ...passed])];
  return offeredTo.length
    ? { ...task, offeredTo, passedBy }
    : { ...task, state: 'Queued', offeredTo: [], offerExpiresAt: null, passedBy };
}

/** The first accept wins; every other copy of a broadcast is withdrawn. */
export function acceptTask(
  task: Task,
  agents: ReadonlyMap<UserId, AgentState>,
  userId: UserId,
  now: Instant,
): Decision<Step> {
  if (task.state === 'Accepted')
    return refuse(
      gone(
        task.acceptedBy === userId
          ? 'You have already accepted this task.'
          : 'Already taken by someone else.',
      ),
    );
  if (task.state !== 'Offered' || !task.offeredTo.includes(userId))
    return refuse(gone('This invitation is no longer open.'));
  const others = task.offeredTo.filter((id) => id !== userId);
  const changed = task.offeredTo.flatMap((id) => {
    const agent = agents.get(id);
    if (!agent) return [];
    return [id === userId ? holding(agent, task) : freed(agent, task)];
  });
  return allow({
    task: {
      ...task,
      state: 'Accepted',
      acceptedBy: userId,
      acceptedAt: now,
      offeredTo: [userId],
      offerExpiresAt: null,
    },
    agents: changed,
    withdrawn: others,
  });
}

/** A decline hands the task on; with persistent RONA (round robin) the decliner is blocked for the reset time. */
export function declineTask(task: Task, agent: AgentState, now: Instant): Decision<Step> {
  if (task.state !== 'Offered' || !task.offeredTo.includes(agent.userId))
    return refuse(gone('This invitation is no longer open.'));
  const rest = task.offeredTo.filter((id) => id !== agent.userId);
  return allow({
    task: requeued(task, rest, [agent.userId]),
    agents: [missed(task, agent, now)],
    withdrawn: [],
  });
}

/** Nobody answered within the calling timeout: the task returns to the queue (never lost). */
export function expireOffer(
  task: Task,
  agents: ReadonlyMap<UserId, AgentState>,
  now: Instant,
): Step | null {
  if (task.state !== 'Offered' || task.offerExpiresAt === null || task.offerExpiresAt > now)
    return null;
  const changed = task.offeredTo.flatMap((id) => {
    const agent = agents.get(id);
    return agent ? [missed(task, agent, now)] : [];
  });
  return { task: requeued(task, [], task.offeredTo), agents: changed, withdrawn: task.offeredTo };
}

/**
 * Invitations a person can no longer take through no miss of their own (see staleOffers)
 * are withdrawn: no RONA, the rest of a broadcast keeps ringing, and a task left ringing
 * for nobody waits in the queue again.
 */
export function withdrawOffers(
  task: Task,
  agents: ReadonlyMap<UserId, AgentState>,
  cannotTake: (userId: UserId) => boolean,
): Step | null {
  if (task.state !== 'Offered') return null;
  const withdrawn = task.offeredTo.filter(cannotTake);
  if (!withdrawn.length) return null;
  const changed = withdrawn.flatMap((id) => {
    const agent = agents.get(id);
    return agent ? [freed(agent, task)] : [];
  });
  const rest = task.offeredTo.filter((id) => !withdrawn.includes(id));
  return { task: requeued(task, rest, []), agents: changed, withdrawn };
}

/**
 * Ending a task starts after-call work where the task's service has it, else frees the
 * person now. Someone ending one of several chats keeps the others (and in after-call
 * work, gets no new task until it ends); one whose next invitation already rings keeps
 * it, without after-call work.
 */
export function completeTask(
  task: Task,
  agent: AgentState | undefined,
  now: Instant,
): Decision<Step> {
  if (task.state !== 'Accepted')
    return refuse(
      gone(`Only an accepted task can be completed; this one is ${task.state.toLowerCase()}.`),
    );
  const done: Task = { ...task, state: 'Completed', endedAt: now };
  if (!agent) return allow({ task: done, agents: [], withdrawn: [] });
  const { acw } = task.routing;
  const rest = freed(agent, task);
  const next: AgentState =
    acw.enabled && rest.engagement?.kind !== 'offered'
      ? {
          ...rest,
          engagement: {
            kind: 'acw',
            taskId: task.id,
            serviceId: task.serviceId,
            until: later(now, acw.seconds),
            allowEarlyEnd: acw.allowEarlyEnd,
            allowExtension: acw.allowExtension,
            maxExtensionSec: acw.maxExtensionSec,
          },
        }
      : { ...rest, lastTaskEndedAt: now };
  return allow({ task: done, agents: [next], withdrawn: [] });
}

/**
 * An owner or admin ends a task someone accepted and will not finish (they left, their
 * Teams client died): it is completed with who ended it and why, and the person is free
 * at once, without after-call work for a task they were not there to end.
 */
export function endAcceptedTask(
  task: Task,
  agent: AgentState | undefined,
  ending: TaskEnding,
  now: Instant,
): Decision<Step> {
  if (task.state !== 'Accepted')
    return refuse(
      gone(
        `Only an accepted task can be ended this way; this one is ${task.state.toLowerCase()}${
          isOpen(task) ? ': cancel it instead' : ''
        }.`,
      ),
    );
  const done: Task = { ...task, state: 'Completed', endedAt: now, ending };
  const rest = agent ? freed(agent, task) : undefined;
  const next = rest && rest !== agent ? [{ ...rest, lastTaskEndedAt: now }] : [];
  return allow({ task: done, agents: next, withdrawn: [] });
}

/** A task that is still waiting or ringing can be canceled; its invitations are withdrawn. */
export function cancelTask(
  task: Task,
  agents: ReadonlyMap<UserId, AgentState>,
  now: Instant,
): Decision<Step> {
  if (task.state !== 'Queued' && task.state !== 'Offered')
    return refuse(
      gone(`This task is ${task.state.toLowerCase()}, so it can no longer be canceled.`),
    );
  const changed = task.offeredTo.flatMap((id) => {
    const agent = agents.get(id);
    return agent ? [freed(agent, task)] : [];
  });
  return allow({
    task: { ...task, state: 'Canceled', endedAt: now, offerExpiresAt: null },
    agents: changed,
    withdrawn: task.offeredTo,
  });
}

/** Whether a person holds a task in the way its state says they should: ringing or taken. */
function holdsAsTaskSays(agent: AgentState, task: Task): boolean {
  const { engagement } = agent;
  if (task.state === 'Offered' && task.offeredTo.includes(agent.userId))
    return engagement?.kind === 'offered' && engagement.taskId === task.id;
  if (task.state === 'Accepted' && task.acceptedBy === agent.userId)
    return isChat(task)
      ? agent.chats.some((chat) => chat.taskId === task.id)
      : engagement?.kind === 'accepted' && engagement.taskId === task.id;
  return false;
}

/**
 * A person's state made to agree with a task they hold (ringing for it, taken, a chat) as
 * the task is now: what the step that last changed the task would have made of them.
 * Used to repair a step of a tenant with several routing shards whose second transaction
 * never came (its instance stopped between the two; see routing-unit.ts). The task
 * ringing for them or taken by them as they hold it: unchanged (the same object). Taken by
 * them while they only rang: they hold it. Ended after they took it: as its end leaves them
 * (after-call work if it was completed, free if an owner ended it). Anything else (gone, or
 * ringing or taken elsewhere, or waiting): free of it, without RONA.
 */
export function agreeWithTask(
  agent: AgentState,
  taskId: Task['id'],
  task: Task | undefined,
): AgentState {
  if (!task) return releasedFrom(agent, taskId);
  if (holdsAsTaskSays(agent, task)) return agent;
  const theirs = task.acceptedBy === agent.userId;
  if (theirs && task.state === 'Accepted') return holding(agent, task);
  if (theirs && !isOpen(task) && task.endedAt !== null) {
    const taken: Task = { ...task, state: 'Accepted', endedAt: null, ending: null };
    const ended = task.ending
      ? endAcceptedTask(taken, agent, task.ending, task.endedAt)
      : completeTask(taken, agent, task.endedAt);
    if (ended.ok) return ended.value.agents[0] ?? releasedFrom(agent, taskId);
  }
  return releasedFrom(agent, taskId);
}
