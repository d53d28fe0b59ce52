import type { Skills } from '../directory-user.js';
import type { ServiceId, UserId } from '../ids.js';
import type { Instant } from '../instant.js';
import type { Membership, Service } from '../service.js';
import { inactivityReason, type Tenant } from '../tenant.js';
import { stateOrOffline, type AgentState } from './agent-state.js';
import {
  BROADCAST_SIZE,
  candidateOf,
  chooseAgents,
  qualifies,
  type Candidate,
} from './agent-choice.js';
import { availability } from './availability.js';
import {
  byLevel,
  pickLevel,
  priorityRank,
  type Level,
  type RoundRobinState,
} from './queue-order.js';
import { holdsAll, isChatLane, laneLicenses, laneOf, type Lane } from './task-licenses.js';
import type { License } from '../license.js';
import {
  MAX_DECISIONS,
  type DecisionRecord,
  type Task,
  type UnavailabilityReason,
} from './task.js';

/**
 * The tasks waiting, grouped as the planner serves them: per service, per level, per lane
 * (tasks needing the same licenses, see task-licenses.ts), each lane in FIFO order (entry
 * time, then id). The routing index keeps them so as tasks come and go; {@link waitingOf}
 * groups a plain list.
 */
export interface WaitingTasks {
  services(): Iterable<ServiceId>;
  lanes(serviceId: ServiceId): ReadonlyMap<Level, ReadonlyMap<Lane, Iterable<Task>>>;
}

/** Queued tasks of a list grouped as {@link WaitingTasks} (one pass and a sort per level). */
export function waitingOf(tasks: readonly Task[]): WaitingTasks {
  const byService = new Map<ServiceId, Task[]>();
  for (const task of tasks) {
    if (task.state !== 'Queued') continue;
    const list = byService.get(task.serviceId);
    if (list) list.push(task);
    else byService.set(task.serviceId, [task]);
  }
  const grouped = new Map(
    [...byService].map(([id, list]) => {
      const levels = new Map<Level, Map<Lane, Task[]>>();
      for (const [level, inOrder] of byLevel(list)) {
        const lanes = new Map<Lane, Task[]>();
        for (const task of inOrder) {
          const lane = laneOf(task);
          const tasksOfLane = lanes.get(lane);
          if (tasksOfLane) tasksOfLane.push(task);
          else lanes.set(lane, [task]);
        }
        levels.set(level, lanes);
      }
      return [id, levels] as const;
    }),
  );
  return {
    services: () => grouped.keys(),
    lanes: (serviceId) => grouped.get(serviceId) ?? new Map(),
  };
}

/** Everything one distribution iteration of a tenant looks at. */
export interface RoutingSnapshot {
  readonly tenant: Tenant;
  readonly services: ReadonlyMap<ServiceId, Service>;
  /** Members per service, by person. */
  readonly members: ReadonlyMap<ServiceId, Iterable<Membership>>;
  readonly agents: ReadonlyMap<UserId, AgentState>;
  readonly skills: ReadonlyMap<UserId, Skills>;
  /** The routing licenses people hold (see ROUTING_LICENSES); someone not in it holds none. */
  readonly licenses?: ReadonlyMap<UserId, readonly License[]>;
  /** The tasks waiting: a list, or already grouped (the routing index's live queues). */
  readonly queued: readonly Task[] | WaitingTasks;
  readonly roundRobin: ReadonlyMap<ServiceId, RoundRobinState>;
  /**
   * Each service's members sorted by where they stand for a lane of tasks (see
   * ServicePool), as the routing index keeps them: with it, a head weighs the few people
   * it names instead of every member, with the same decisions. Without it, every member
   * is weighed.
   */
  readonly pools?: (serviceId: ServiceId, lane: Lane) => ServicePool | undefined;
}

/**
 * A service's members sorted by their own rows for one lane of tasks (see `readiness`;
 * someone without the lane's licenses is held): the ready ones in the
 * order people are chosen (`choiceOrder` of the service's policy), the held ones by
 * person (the members' order), and those held only until an ACW or RONA ends, by that
 * time. Built from the same rows as the snapshot it comes with.
 */
export interface ServicePool {
  membership(userId: UserId): Membership | undefined;
  /** Is the member ready (not held at all)? */
  isReady(userId: UserId): boolean;
  /** Ready members in choice order. */
  ready(): Iterable<Candidate>;
  /** Members not ready, by person, each with the instant their hold ends if only a clock holds them (else null). */
  held(): Iterable<readonly [UserId, Instant | null]>;
  /** Members held only until an instant at or before `now`: available now. */
  freedBy(now: Instant): Iterable<UserId>;
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
  readonly lane: Lane;
  readonly roundRobin: RoundRobinState;
  readonly offerTo: readonly UserId[];
  readonly passedBy: readonly UserId[];
  readonly skipped: DecisionRecord['skipped'];
}

/** People's states as planned so far: the snapshot's, with the offers of this plan on top. */
class PlannedAgents {
  private readonly planned = new Map<UserId, AgentState>();
  constructor(private readonly base: ReadonlyMap<UserId, AgentState>) {}
  get(userId: UserId): AgentState | undefined {
    return this.planned.get(userId) ?? this.base.get(userId);
  }
  set(userId: UserId, agent: AgentState): void {
    this.planned.set(userId, agent);
  }
}

function agentOf(
  snapshot: RoutingSnapshot,
  agents: PlannedAgents,
  userId: UserId,
  now: Instant,
): AgentState {
  return stateOrOffline(agents.get(userId), snapshot.tenant.id, userId, now);
}

/** One level's waiting tasks as the plan takes them from the head. */
class LevelCursor {
  private readonly tasks: Iterator<Task>;
  private current: IteratorResult<Task>;
  constructor(tasks: Iterable<Task>) {
    this.tasks = tasks[Symbol.iterator]();
    this.current = this.tasks.next();
  }
  peek(): Task | undefined {
    return this.current.done ? undefined : this.current.value;
  }
  shift(): void {
    if (!this.current.done) this.current = this.tasks.next();
  }
}

interface Evaluation {
  /** Why the person is skipped, ready for the decision record; null when available. */
  readonly skip: {
    readonly userId: UserId;
    readonly reasons: readonly UnavailabilityReason[];
  } | null;
  readonly candidate: Candidate;
}

/**
 * Each member's standing per service, for its chats and for its other tasks (see chats
 * at once), computed once per plan and dropped for people just offered a task.
 */
type Evaluations = Map<string, Map<UserId, Evaluation>>;

const licensesOf = (snapshot: RoutingSnapshot, userId: UserId): readonly License[] =>
  snapshot.licenses?.get(userId) ?? [];

/** An evaluation for a task that needs `needs`: someone without them is skipped for it too. */
function forLicenses(
  snapshot: RoutingSnapshot,
  evaluation: Evaluation,
  needs: readonly License[],
): Evaluation {
  const { userId } = evaluation.candidate;
  if (!needs.length || holdsAll(licensesOf(snapshot, userId), needs)) return evaluation;
  const reasons = [...(evaluation.skip?.reasons ?? []), 'license' as const];
  return { ...evaluation, skip: { userId, reasons } };
}

function evaluate(
  snapshot: RoutingSnapshot,
  agents: PlannedAgents,
  service: Service,
  membership: Membership,
  now: Instant,
  chat: boolean,
  needs: readonly License[] = [],
): Evaluation {
  const agent = agentOf(snapshot, agents, membership.userId, now);
  const skills = snapshot.skills.get(membership.userId) ?? {};
  const available = availability({
    tenant: snapshot.tenant,
    service,
    membership,
    agent,
    now,
    chat,
  });
  const reasons = qualifies(skills, service.settings.distribution.policy)
    ? available.reasons
    : [...available.reasons, 'skills' as const];
  return forLicenses(
    snapshot,
    {
      skip: reasons.length ? { userId: membership.userId, reasons } : null,
      candidate: candidateOf(agent, skills),
    },
    needs,
  );
}

/** A service's queue as the plan takes it: per level, per lane, from each lane's head. */
type ServiceQueue = ReadonlyMap<Level, ReadonlyMap<Lane, LevelCursor>>;

const fifoBefore = (a: Task, b: Task) =>
  a.enqueuedAt - b.enqueuedAt < 0 || (a.enqueuedAt === b.enqueuedAt && a.id < b.id);

/** Asks `servable` once per lane. */
function once(servable: (lane: Lane) => boolean): (lane: Lane) => boolean {
  const known = new Map<Lane, boolean>();
  return (lane) => {
    let answer = known.get(lane);
    if (answer === undefined) known.set(lane, (answer = servable(lane)));
    return answer;
  };
}

/**
 * The task a service serves next by its queue order among the tasks someone may take
 * (`servable` lanes: someone available holds their licenses), with its lane and the round
 * robin's state after it. A task nobody may take does not hold up those behind it; among
 * those someone may take, the order is the queue's.
 */
function nextTaskOf(
  snapshot: RoutingSnapshot,
  service: Service,
  queue: ServiceQueue,
  servable: (lane: Lane) => boolean,
): { task: Task; lane: Lane; state: RoundRobinState } | null {
  const heads = new Map<Level, { task: Task; lane: Lane }>();
  for (const [level, lanes] of queue) {
    let first: { task: Task; lane: Lane } | null = null;
    for (const [lane, cursor] of lanes) {
      const task = cursor.peek();
      if (task && (!first || fifoBefore(task, first.task)) && servable(lane))
        first = { task, lane };
    }
    if (first) heads.set(level, first);
  }
  const next = pickLevel(new Set(heads.keys()), snapshot.roundRobin.get(service.id) ?? {});
  const head = next && heads.get(next.level);
  return next && head ? { ...head, state: next.state } : null;
}

function headOf(
  snapshot: RoutingSnapshot,
  agents: PlannedAgents,
  evaluations: Evaluations,
  service: Service,
  queue: ServiceQueue,
  now: Instant,
): Head | null {
  const members = [...(snapshot.members.get(service.id) ?? [])];
  const evaluatedFor = (chat: boolean) => {
    const key = `${service.id}\n${chat}`;
    let known = evaluations.get(key);
    if (!known) evaluations.set(key, (known = new Map<UserId, Evaluation>()));
    const cache = known;
    return members.map((membership) => {
      let evaluation = cache.get(membership.userId);
      if (!evaluation)
        cache.set(
          membership.userId,
          (evaluation = evaluate(snapshot, agents, service, membership, now, chat)),
        );
      return evaluation;
    });
  };
  const servable = (lane: Lane) => {
    const needs = laneLicenses(lane);
    return evaluatedFor(isChatLane(lane)).some((e) => !forLicenses(snapshot, e, needs).skip);
  };
  const next = nextTaskOf(snapshot, service, queue, once(servable));
  if (!next) return null;
  const { task } = next;
  const needs = laneLicenses(next.lane);
  const candidates: Candidate[] = [];
  const skipped: { userId: UserId; reasons: readonly UnavailabilityReason[] }[] = [];
  for (const each of evaluatedFor(isChatLane(next.lane))) {
    const evaluation = forLicenses(snapshot, each, needs);
    // Only the first skipped make the decision record (see MAX_SKIPPED).
    if (evaluation.skip) {
      if (skipped.length < MAX_SKIPPED) skipped.push(evaluation.skip);
    } else candidates.push(evaluation.candidate);
  }
  // Everyone available already declined or missed it: start a new round with all of them.
  const passed = new Set(task.passedBy);
  const fresh = passed.size ? candidates.filter((c) => !passed.has(c.userId)) : candidates;
  const passedBy = fresh.length ? task.passedBy : [];
  if (fresh.length && passed.size) {
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
    lane: next.lane,
    roundRobin: next.state,
    offerTo,
    passedBy,
    skipped: skipped.slice(0, MAX_SKIPPED),
  };
}

/**
 * {@link headOf} for a service whose members come sorted (see ServicePool): the same head,
 * weighing only the first ready people in choice order, those just freed by the clock,
 * and the first held ones by person for the decision record.
 */
function headFromPool(
  snapshot: RoutingSnapshot,
  agents: PlannedAgents,
  planned: ReadonlySet<UserId>,
  service: Service,
  pools: (lane: Lane) => ServicePool | undefined,
  queue: ServiceQueue,
  now: Instant,
): Head | null {
  if (inactivityReason(snapshot.tenant) !== null) return null; // nobody is available
  // Someone ready for the lane (or freed by the clock) and not offered a task in this plan.
  const servable = (lane: Lane) => {
    const pool = pools(lane);
    if (!pool) return false;
    for (const candidate of pool.ready()) if (!planned.has(candidate.userId)) return true;
    for (const userId of pool.freedBy(now)) if (!planned.has(userId)) return true;
    return false;
  };
  const next = nextTaskOf(snapshot, service, queue, once(servable));
  const pool = next && pools(next.lane);
  if (!next || !pool) return null;
  const { task } = next;
  const needs = laneLicenses(next.lane);
  const { type } = task.routing;
  const { policy } = service.settings.distribution;
  const size = type === 'Broadcast' ? BROADCAST_SIZE : 1;
  const passed = new Set(task.passedBy);
  const freed: Candidate[] = [];
  for (const userId of pool.freedBy(now))
    if (!planned.has(userId))
      freed.push(
        candidateOf(agentOf(snapshot, agents, userId, now), snapshot.skills.get(userId) ?? {}),
      );
  // The first ones in choice order: among those who did not pass on the task, and among all.
  const firstFresh: Candidate[] = [];
  const firstAny: Candidate[] = [];
  for (const candidate of pool.ready()) {
    if (planned.has(candidate.userId)) continue;
    if (firstAny.length < size) firstAny.push(candidate);
    if (passed.has(candidate.userId)) continue;
    firstFresh.push(candidate);
    if (firstFresh.length === size) break;
  }
  const freshFreed = passed.size ? freed.filter((c) => !passed.has(c.userId)) : freed;
  const anyFresh = firstFresh.length > 0 || freshFreed.length > 0;
  const offerTo = chooseAgents(
    anyFresh ? [...firstFresh, ...freshFreed] : [...firstAny, ...freed],
    type,
    policy,
  );
  return {
    service,
    task,
    lane: next.lane,
    roundRobin: next.state,
    offerTo,
    passedBy: anyFresh ? task.passedBy : [],
    skipped: offerTo.length
      ? skippedOf(
          { snapshot, agents, planned, service, pool, needs, chat: isChatLane(next.lane) },
          anyFresh ? passed : null,
          freed,
          now,
        )
      : [],
  };
}

/**
 * The decision record's skipped people, as {@link headOf} lists them: members not
 * available now by person (the held ones whose clock has not run out, and people offered
 * a task earlier in this plan), then those available who passed on the task, at most
 * MAX_SKIPPED in all.
 */
function skippedOf(
  lane: {
    readonly snapshot: RoutingSnapshot;
    readonly agents: PlannedAgents;
    readonly planned: ReadonlySet<UserId>;
    readonly service: Service;
    readonly pool: ServicePool;
    readonly needs: readonly License[];
    /** Are the lane's tasks chats? */
    readonly chat: boolean;
  },
  passed: ReadonlySet<UserId> | null,
  freed: readonly Candidate[],
  now: Instant,
): Head['skipped'] {
  const { snapshot, agents, planned, service, pool, needs, chat } = lane;
  const skipped: { userId: UserId; reasons: readonly UnavailabilityReason[] }[] = [];
  const push = (userId: UserId) => {
    const membership = pool.membership(userId);
    const skip =
      membership && evaluate(snapshot, agents, service, membership, now, chat, needs).skip;
    if (skip) skipped.push(skip);
  };
  const busy = [...planned].filter((userId) => pool.membership(userId)).sort(byPerson);
  let b = 0;
  for (const [userId, until] of pool.held()) {
    for (; b < busy.length && (busy[b] as UserId) < userId && skipped.length < MAX_SKIPPED; b++)
      push(busy[b] as UserId);
    if (skipped.length >= MAX_SKIPPED) return skipped;
    // Offered a task in this plan (ready in another service), or not freed by the clock.
    if (busy[b] === userId) b++;
    else if (until !== null && until <= now) continue;
    push(userId);
  }
  for (; b < busy.length && skipped.length < MAX_SKIPPED; b++) push(busy[b] as UserId);
  if (!passed?.size || skipped.length >= MAX_SKIPPED) return skipped;
  const freedIds = new Set(freed.map((c) => c.userId));
  const declined = [...passed]
    .filter(
      (userId) =>
        pool.membership(userId) &&
        !planned.has(userId) &&
        (pool.isReady(userId) || freedIds.has(userId)),
    )
    .sort(byPerson);
  for (const userId of declined.slice(0, MAX_SKIPPED - skipped.length))
    skipped.push({ userId, reasons: ['declined'] });
  return skipped;
}

const byPerson = (a: UserId, b: UserId) => (a < b ? -1 : a > b ? 1 : 0);

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
  agents: PlannedAgents,
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
  const agents = new PlannedAgents(snapshot.agents);
  const waiting = isList(snapshot.queued) ? waitingOf(snapshot.queued) : snapshot.queued;
  const queues = new Map<ServiceId, Map<Level, Map<Lane, LevelCursor>>>();
  for (const serviceId of waiting.services()) {
    if (!snapshot.services.has(serviceId)) continue;
    const levels = new Map<Level, Map<Lane, LevelCursor>>();
    for (const [level, lanes] of waiting.lanes(serviceId))
      levels.set(level, new Map([...lanes].map(([lane, tasks]) => [lane, new LevelCursor(tasks)])));
    queues.set(serviceId, levels);
  }
  const roundRobin = new Map(snapshot.roundRobin);
  const evaluations: Evaluations = new Map();
  const planned = new Set<UserId>();
  for (;;) {
    const current = { ...snapshot, roundRobin };
    const heads = [...queues].flatMap(([serviceId, queue]) => {
      const service = snapshot.services.get(serviceId);
      if (!service) return [];
      const { pools } = snapshot;
      const head = pools
        ? headFromPool(
            current,
            agents,
            planned,
            service,
            (lane) => pools(serviceId, lane),
            queue,
            now,
          )
        : headOf(current, agents, evaluations, service, queue, now);
      return head && head.offerTo.length ? [head] : [];
    });
    const chosen = mostUrgent(heads);
    if (!chosen) return;
    yield offer(chosen, agents, snapshot, now);
    for (const userId of chosen.offerTo) planned.add(userId);
    for (const cache of evaluations.values())
      for (const userId of chosen.offerTo) cache.delete(userId);
    roundRobin.set(chosen.service.id, chosen.roundRobin);
    queues.get(chosen.service.id)?.get(chosen.task.priority)?.get(chosen.lane)?.shift();
  }
}

const isList = (queued: RoutingSnapshot['queued']): queued is readonly Task[] =>
  Array.isArray(queued);

/** Every offer of one distribution iteration (see {@link planOffers}). */
export function planDispatch(snapshot: RoutingSnapshot, now: Instant): PlannedOffer[] {
  return [...planOffers(snapshot, now)];
}
