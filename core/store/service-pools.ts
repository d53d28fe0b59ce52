import type { Skills } from '../domain/directory-user.js';
import type { ServiceId, UserId } from '../domain/ids.js';
import type { Instant } from '../domain/instant.js';
import type { Membership, Service } from '../domain/service.js';
import type { AgentState } from '../domain/routing/agent-state.js';
import { candidateOf, choiceOrder, type Candidate } from '../domain/routing/agent-choice.js';
import { readiness } from '../domain/routing/availability.js';
import type { ServicePool } from '../domain/routing/plan-dispatch.js';
import type { RoutingIndex } from './routing-index.js';
import { sortedTree, type SortedTree } from './sorted-tree.js';
import type { TenancyIndex } from './tenancy-index.js';
import type { License } from '../domain/license.js';
import { isChatLane, laneLicenses, type Lane } from '../domain/routing/task-licenses.js';

/** A member held only until an instant: the time, then the person. */
interface Freeing {
  readonly at: Instant;
  readonly userId: UserId;
}

const byTime = (a: Freeing, b: Freeing) =>
  a.at - b.at || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0);

/** What a pool reads of a person: their membership, routing state, skills and licenses, as the indexes hold them now. */
export interface PersonRows {
  membership(serviceId: ServiceId, userId: UserId): Membership | undefined;
  agent(userId: UserId): AgentState | undefined;
  skills(userId: UserId): Skills;
  licenses(userId: UserId): readonly License[];
}

/**
 * One service's members sorted as the planner asks for them for one lane of tasks (see
 * ServicePool; someone without the lane's licenses is held): ready ones in choice order,
 * held ones by person, and those a clock frees by time. Each member's
 * change costs a few tree operations, whatever the service's size. Per member it keeps
 * where they sort (their candidate when ready, else when the clock frees them, or null);
 * memberships stay in the tenancy index.
 */
export class Pool implements ServicePool {
  private readonly entries = new Map<UserId, Candidate | Freeing | null>();
  private readonly readyTree: SortedTree<Candidate, undefined>;
  private readonly heldTree: SortedTree<UserId, Instant | null> = sortedTree<
    UserId,
    Instant | null
  >();
  private readonly freeingTree: SortedTree<Freeing, undefined> = sortedTree<Freeing, undefined>(
    byTime,
  );

  private readonly needs: readonly License[];
  /** Are the lane's tasks chats (chats at once)? */
  private readonly chat: boolean;

  constructor(
    readonly service: Service,
    private readonly rows: PersonRows,
    lane: Lane = '',
  ) {
    this.needs = laneLicenses(lane);
    this.chat = isChatLane(lane);
    this.readyTree = sortedTree<Candidate, undefined>(
      choiceOrder(service.settings.distribution.policy),
    );
  }

  /** Sorts a member again from their rows now (no membership: out of the pool). */
  put(userId: UserId): void {
    const before = this.entries.get(userId);
    if (before !== undefined) {
      if (before && 'idleSince' in before) this.readyTree.delete(before);
      else this.heldTree.delete(userId);
      if (before && 'at' in before) this.freeingTree.delete(before);
      this.entries.delete(userId);
    }
    const membership = this.rows.membership(this.service.id, userId);
    if (!membership) return;
    const agent = this.rows.agent(userId);
    const skills = this.rows.skills(userId);
    const licenses = this.needs.length ? this.rows.licenses(userId) : [];
    const stands = readiness(
      this.service,
      membership,
      agent,
      skills,
      licenses,
      this.needs,
      this.chat,
    );
    if (stands === 'ready' && agent) {
      const candidate: Candidate = candidateOf(agent, skills);
      this.readyTree.set(candidate, undefined);
      this.entries.set(userId, candidate);
      return;
    }
    const freeing = typeof stands === 'number' ? { at: stands, userId } : null;
    this.heldTree.set(userId, freeing?.at ?? null);
    if (freeing) this.freeingTree.set(freeing, undefined);
    this.entries.set(userId, freeing);
  }

  has(userId: UserId): boolean {
    return this.entries.has(userId);
  }

  membership(userId: UserId): Membership | undefined {
    return this.entries.has(userId) ? this.rows.membership(this.service.id, userId) : undefined;
  }

  isReady(userId: UserId): boolean {
    const entry = this.entries.get(userId);
    return !!entry && 'idleSince' in entry;
  }

  ready(): Iterable<Candidate> {
    return this.readyTree.keys();
  }

  held(): Iterable<readonly [UserId, Instant | null]> {
    return this.heldTree.entries();
  }

  *freedBy(now: Instant): Generator<UserId> {
    for (const freeing of this.freeingTree.keys()) {
      if (freeing.at > now) return;
      yield freeing.userId;
    }
  }
}

/** What the pools read of a tenant's tenancy: its services and their members. */
export interface PoolSources extends PersonRows {
  services(): Iterable<Service>;
  members(serviceId: ServiceId): Iterable<Membership>;
}

/**
 * Every service's pools of a tenant, one per lane of tasks, kept up as people's states,
 * memberships, skills, licenses and services change (see `changed…`): a person's change
 * re-sorts them in each pool they are in (asked of every pool: a tenant has far fewer
 * services than people); a service's settings re-sort its members. The pool of calls
 * (lane '') is built with the service, another lane's the first time it is asked for (a
 * tenant without e-mails holds no pool for them).
 */
export class ServicePools {
  private readonly pools = new Map<ServiceId, Map<Lane, Pool>>();

  constructor(private readonly sources: PoolSources) {
    for (const service of sources.services()) this.build(service, '');
  }

  pool(serviceId: ServiceId, lane: Lane = ''): Pool | undefined {
    const known = this.pools.get(serviceId)?.get(lane);
    if (known || lane === '') return known;
    const service = this.pools.get(serviceId)?.get('')?.service;
    return service && this.build(service, lane);
  }

  /** A person's routing state, skills or licenses changed. */
  changedPerson(userId: UserId): void {
    for (const lanes of this.pools.values())
      for (const pool of lanes.values()) if (pool.has(userId)) pool.put(userId);
  }

  /** A membership was written or deleted. */
  changedMember(serviceId: ServiceId, userId: UserId): void {
    for (const pool of this.pools.get(serviceId)?.values() ?? []) pool.put(userId);
  }

  /** A service was written (its settings may sort people otherwise) or deleted (undefined). */
  changedService(serviceId: ServiceId, service: Service | undefined): void {
    const lanes = [...(this.pools.get(serviceId)?.keys() ?? [])];
    this.pools.delete(serviceId);
    if (service) for (const lane of lanes.length ? lanes : ['']) this.build(service, lane);
  }

  private build(service: Service, lane: Lane): Pool {
    const pool = new Pool(service, this.sources, lane);
    let lanes = this.pools.get(service.id);
    if (!lanes) this.pools.set(service.id, (lanes = new Map<Lane, Pool>()));
    lanes.set(lane, pool);
    for (const membership of this.sources.members(service.id)) pool.put(membership.userId);
    return pool;
  }
}

/** One shared empty skill set for everyone without skills. */
export const NO_SKILLS: Skills = Object.freeze({});

/** One shared empty license list for everyone without routing licenses. */
export const NO_LICENSES: readonly License[] = Object.freeze([]);

interface Watched {
  readonly pools: ServicePools;
  readonly routing: RoutingIndex;
  readonly tenancy: TenancyIndex;
  readonly stop: () => void;
}

const byRouting = new WeakMap<RoutingIndex, Watched>();
const byTenancy = new WeakMap<TenancyIndex, Watched>();

/**
 * The service pools of a tenant over its live routing and tenancy indexes, built once per
 * pair and kept up by watching both; when either index is built anew (another instance
 * wrote, or no cache), so are the pools, and the old ones stop watching.
 */
export function poolsOver(routing: RoutingIndex, tenancy: TenancyIndex): ServicePools {
  const known = byRouting.get(routing);
  if (known && known.tenancy === tenancy) return known.pools;
  known?.stop();
  byTenancy.get(tenancy)?.stop();
  const pools = new ServicePools({
    services: () => tenancy.services.values(),
    members: (serviceId) => tenancy.members.get(serviceId) ?? [],
    membership: (serviceId, userId) => tenancy.membership(serviceId, userId),
    agent: (userId) => routing.states.get(userId),
    skills: (userId) => tenancy.skills.get(userId) ?? NO_SKILLS,
    licenses: (userId) => tenancy.licenses.get(userId) ?? NO_LICENSES,
  });
  const stops = [
    routing.watchPeople((userId) => pools.changedPerson(userId)),
    tenancy.watch((change) => {
      if (change.kind === 'person') pools.changedPerson(change.userId);
      else if (change.kind === 'member') pools.changedMember(change.serviceId, change.userId);
      else pools.changedService(change.serviceId, tenancy.services.get(change.serviceId));
    }),
  ];
  const watched: Watched = {
    pools,
    routing,
    tenancy,
    stop: () => {
      for (const stop of stops) stop();
      byRouting.delete(routing);
      byTenancy.delete(tenancy);
    },
  };
  byRouting.set(routing, watched);
  byTenancy.set(tenancy, watched);
  return pools;
}
