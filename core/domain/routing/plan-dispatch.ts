import type { Skills } from '../directory-user.js';
import type { ServiceId, UserId } from '../ids.js';
import type { Instant } from '../instant.js';
import type { Membership, Service } from '../service.js';
import type { Tenant } from '../tenant.js';
import { idleSince, stateOrOffline, type AgentState } from './agent-state.js';
import { chooseAgents, qualifies, type Candidate } from './agent-choice.js';
import { availability } from './availability.js';
import {
  byLevel,
  pickLevel,
  priorityRank,
  type Level,
  type RoundRobinState,
} from './queue-order.js';
import {
  MAX_DECISIONS,
  type DecisionRecord,
  type Task,
  type UnavailabilityReason,
} from './task.js';

/** Everything one distribution iteration of a tenant looks at. */
export interface RoutingSnapshot {
  readonly tenant: Tenant;
  readonly services: ReadonlyMap<ServiceId, Service>;
  /** Members per service. */
  readonly members: ReadonlyMap<ServiceId, readonly Membership[]>;
  readonly agents: ReadonlyMap<UserId, AgentState>;
  readonly skills: ReadonlyMap<UserId, Skills>;
  readonly queued: readonly Task[];
  readonly roundRobin: ReadonlyMap<ServiceId, RoundRobinState>;
}

export interface PlannedOffer {
  readonly task: Task;
  readonly agents: readonly AgentState[];
  readonly serviceId: ServiceId;
  readonly roundRobin: RoundRobinState;
}

/** Decision records name at most this many skipped people (large services would not fit). */
const MAX_SKIPPED = 50;

interface Head {
  readonly service: Service;
  readonly task: Task;
  readonly roundRobin: RoundRobinState;
  readonly offerTo: readonly UserId[];
  readonly passedBy: readonly UserId[];
  readonly skipped: DecisionRecord['skipped'];
}

function agentOf(
  snapshot: RoutingSnapshot,
  agents: Map<UserId, AgentState>,
  userId: UserId,
  now: Instant,
): AgentState {
  return stateOrOffline(agents.get(userId), snapshot.tenant.id, userId, now);
}

interface Evaluation {
  /** Why the person is skipped, ready for the decision record; null when available. */
  readonly skip: {
    readonly userId: UserId;
    readonly reasons: readonly UnavailabilityReason[];
  } | null;
  readonly candidate: Candidate;
}

/** Each member's standing per service, computed once per plan and dropped for people just offered a task. */
type Evaluations = Map<ServiceId, Map<UserId, Evaluation>>;

function evaluate(
  snapshot: RoutingSnapshot,
  agents: Map<UserId, AgentState>,
  service: Service,
  membership: Membership,
  now: Instant,
): Evaluation {
  const agent = agentOf(snapshot, agents, membership.userId, now);
  const skills = snapshot.skills.get(membership.userId) ?? {};
  const reasons = [
    ...availability({ tenant: snapshot.tenant, service, membership, agent, atLimit: false, now })
      .reasons,
  ];
  if (!qualifies(skills, service.settings.distribution.policy)) reasons.push('skills');
  return {
    skip: reasons.length ? { userId: membership.userId, reasons } : null,
    candidate: { userId: membership.userId, idleSince: idleSince(agent), skills },
  };
}

function headOf(
  snapshot: RoutingSnapshot,
  agents: Map<UserId, AgentState>,
  evaluations: Evaluations,
  service: Service,
  queue: ReadonlyMap<Level, Task[]>,
  now: Instant,
): Head | null {
  const waiting = new Set<Level>();
  for (const [level, tasks] of queue) if (tasks.length) waiting.add(level);
  const next = pickLevel(waiting, snapshot.roundRobin.get(service.id) ?? {});
  const task = next && queue.get(next.level)?.[0];
  if (!next || !task) return null;
  const candidates: Candidate[] = [];
  const skipped: { userId: UserId; reasons: readonly UnavailabilityReason[] }[] = [];
  let cache = evaluations.get(service.id);
  if (!cache) evaluations.set(service.id, (cache = new Map<UserId, Evaluation>()));
  for (const membership of snapshot.members.get(service.id) ?? []) {
    let evaluation = cache.get(membership.userId);
    if (!evaluation)
      cache.set(
        membership.userId,
        (evaluation = evaluate(snapshot, agents, service, membership, now)),
      );
    if (evaluation.skip) skipped.push(evaluation.skip);
    else candidates.push(evaluation.candidate);
  }
  // Everyone available already declined or missed it: start a new round with all of them.
  const passed = new Set(task.passedBy);
  const fresh = candidates.filter((c) => !passed.has(c.userId));
  const passedBy = fresh.length ? task.passedBy : [];
  if (fresh.length) {
    for (const c of candidates)
      if (passed.has(c.userId)) skipped.push({ userId: c.userId, reasons: ['declined'] });
  }
  const offerTo = chooseAgents(
    fresh.length ? fresh : candidates,
    task.routing.type,
    service.settings.distribution.policy,
  );
  return {
    service,
    task,
    roundRobin: next.state,
    offerTo,
    passedBy,
    skipped: skipped.slice(0, MAX_SKIPPED),
  };
}

const urgency = (h: Head) => [priorityRank(h.task.priority), h.task.enqueuedAt] as const;

function mostUrgent(heads: readonly Head[]): Head | undefined {
  return [...heads].sort((a, b) => {
    const [pa, ea] = urgency(a);
    const [pb, eb] = urgency(b);
    return pa - pb || ea - eb || (a.task.id < b.task.id ? -1 : 1);
  })[0];
}

function offer(
  head: Head,
  agents: Map<UserId, AgentState>,
  snapshot: RoutingSnapshot,
  now: Instant,
): PlannedOffer {
  const { task, service } = head;
  const record: DecisionRecord = { at: now, offeredTo: head.offerTo, skipped: head.skipped };
  const offered: Task = {
    ...task,
    state: 'Offered',
    offeredTo: head.offerTo,
    offerExpiresAt: (now + task.routing.callingTimeoutSec * 1000) as Instant,
    passedBy: head.passedBy,
    decisions: [...task.decisions, record].slice(-MAX_DECISIONS),
  };
  const engaged = head.offerTo.map((userId) => {
    const agent: AgentState = {
      ...agentOf(snapshot, agents, userId, now),
      engagement: { kind: 'offered', taskId: task.id, serviceId: service.id },
    };
    agents.set(userId, agent);
    return agent;
  });
  return { task: offered, agents: engaged, serviceId: service.id, roundRobin: head.roundRobin };
}

/**
 * One distribution iteration for a tenant, as values: repeatedly take, among the services
 * whose next task (by their queue order) has someone available, the most urgent task
 * (higher priority level first, then longest waiting) and offer it to the longest idle
 * available people (one for round robin, up to ten for broadcast). People offered a task
 * are busy everywhere, so no one gets two offers. Offers come one at a time, so a caller
 * may stop early; each costs the services' heads and their members, not the queue length.
 */
export function* planOffers(snapshot: RoutingSnapshot, now: Instant): Generator<PlannedOffer> {
  const agents = new Map(snapshot.agents);
  const byService = new Map<ServiceId, Task[]>();
  for (const task of snapshot.queued) {
    if (task.state !== 'Queued' || !snapshot.services.has(task.serviceId)) continue;
    const list = byService.get(task.serviceId);
    if (list) list.push(task);
    else byService.set(task.serviceId, [task]);
  }
  const queues = new Map(
    [...byService].map(([serviceId, tasks]) => [serviceId, byLevel(tasks)] as const),
  );
  const roundRobin = new Map(snapshot.roundRobin);
  const evaluations: Evaluations = new Map();
  for (;;) {
    const current = { ...snapshot, roundRobin };
    const heads = [...queues].flatMap(([serviceId, queue]) => {
      const service = snapshot.services.get(serviceId);
      const head = service && headOf(current, agents, evaluations, service, queue, now);
      return head && head.offerTo.length ? [head] : [];
    });
    const chosen = mostUrgent(heads);
    if (!chosen) return;
    yield offer(chosen, agents, snapshot, now);
    for (const cache of evaluations.values())
      for (const userId of chosen.offerTo) cache.delete(userId);
    roundRobin.set(chosen.service.id, chosen.roundRobin);
    queues.get(chosen.service.id)?.get(chosen.task.priority)?.shift();
  }
}

/** Every offer of one distribution iteration (see {@link planOffers}). */
export function planDispatch(snapshot: RoutingSnapshot, now: Instant): PlannedOffer[] {
  return [...planOffers(snapshot, now)];
}
