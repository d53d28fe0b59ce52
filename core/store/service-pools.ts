import type { Skills } from '../domain/directory-user.js';
import type { ServiceId, UserId } from '../domain/ids.js';
import type { Instant } from '../domain/instant.js';
import type { Membership, Service } from '../domain/service.js';
import type { AgentState } from '../domain/routing/agent-state.js';
import { idleSince } from '../domain/routing/agent-state.js';
import { choiceOrder, type Candidate } from '../domain/routing/agent-choice.js';
import { readiness } from '../domain/routing/availability.js';
import type { RoutingSnapshot, ServicePool } from '../domain/routing/plan-dispatch.js';
import type { RoutingIndex } from './routing-index.js';
import { sortedTree, type SortedTree } from './sorted-tree.js';
import type { TenancyIndex } from './tenancy-index.js';

/** A member held only until an instant: the time, then the person. */
interface Freeing {
  readonly at: Instant;
  readonly userId: UserId;
}

const byTime = (a: Freeing, b: Freeing) =>
  a.at - b.at || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0);

interface Entry {
  readonly membership: Membership;
  /** Where the member sorts now: ready (their candidate), held until a time, or held. */
  readonly candidate: Candidate | null;
  readonly freeing: Freeing | null;
}

/** What a pool reads of a person: their routing state and skills, as the indexes hold them now. */
export interface PersonRows {
  agent(userId: UserId): AgentState | undefined;
  skills(userId: UserId): Skills;
}

/**
 * One service's members sorted as the planner asks for them (see ServicePool): ready ones
 * in choice order, held ones by person, and those a clock frees by time. Each member's
 * change costs a few tree operations, whatever the service's size.
 */
export class Pool implements ServicePool {
  private readonly entries = new Map<UserId, Entry>();
  private readonly readyTree: SortedTree<Candidate, undefined>;
  private readonly heldTree: SortedTree<UserId, Instant | null> = sortedTree<
    UserId,
    Instant | null
  >();
  private readonly freeingTree: SortedTree<Freeing, undefined> = sortedTree<Freeing, undefined>(
    byTime,
  );

  constructor(readonly service: Service) {
    this.readyTree = sortedTree<Candidate, undefined>(
      choiceOrder(service.settings.distribution.policy),
    );
  }

  /** Sorts a member again from their rows now; no membership takes them out. */
  put(userId: UserId, membership: Membership | undefined, rows: PersonRows): void {
    const before = this.entries.get(userId);
    if (before) {
      if (before.candidate) this.readyTree.delete(before.candidate);
      else this.heldTree.delete(userId);
      if (before.freeing) this.freeingTree.delete(before.freeing);
      this.entries.delete(userId);
    }
    if (!membership) return;
    const agent = rows.agent(userId);
    const skills = rows.skills(userId);
    const stands = readiness(this.service, membership, agent, skills);
    if (stands === 'ready' && agent) {
      const candidate: Candidate = { userId, idleSince: idleSince(agent), skills };
      this.readyTree.set(candidate, undefined);
      this.entries.set(userId, { membership, candidate, freeing: null });
      return;
    }
    const freeing = stands === 'held' || stands === 'ready' ? null : { at: stands, userId };
    this.heldTree.set(userId, freeing?.at ?? null);
    if (freeing) this.freeingTree.set(freeing, undefined);
    this.entries.set(userId, { membership, candidate: null, freeing });
  }

  get size(): number {
    return this.entries.size;
  }

  members(): IterableIterator<UserId> {
    return this.entries.keys();
  }

  membership(userId: UserId): Membership | undefined {
    return this.entries.get(userId)?.membership;
  }

  isReady(userId: UserId): boolean {
    return !!this.entries.get(userId)?.candidate;
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
 * Every service's pool of a tenant, kept up as people's states, memberships, skills and
 * services change (see `changed…`): a person's change re-sorts them in each of their
 * services; a service's settings re-sort its members.
 */
export class ServicePools {
  private readonly pools = new Map<ServiceId, Pool>();
  /** Each person's services (a short list: most people are in one or a few). */
  private readonly servicesOf = new Map<UserId, ServiceId[]>();

  constructor(private readonly sources: PoolSources) {
    for (const service of sources.services()) this.build(service);
  }

  pool(serviceId: ServiceId): Pool | undefined {
    return this.pools.get(serviceId);
  }

  /** A person's routing state or skills changed. */
  changedPerson(userId: UserId): void {
    for (const serviceId of this.servicesOf.get(userId) ?? []) {
      const pool = this.pools.get(serviceId);
      pool?.put(userId, pool.membership(userId), this.sources);
    }
  }

  /** A membership was written (or deleted: undefined). */
  changedMember(serviceId: ServiceId, userId: UserId, membership: Membership | undefined): void {
    const pool = this.pools.get(serviceId);
    if (!pool) return;
    pool.put(userId, membership, this.sources);
    if (membership) this.joined(userId, serviceId);
    else this.left(userId, serviceId);
  }

  private joined(userId: UserId, serviceId: ServiceId): void {
    const services = this.servicesOf.get(userId);
    if (!services) this.servicesOf.set(userId, [serviceId]);
    else if (!services.includes(serviceId)) services.push(serviceId);
  }

  private left(userId: UserId, serviceId: ServiceId): void {
    const services = this.servicesOf.get(userId)?.filter((id) => id !== serviceId);
    if (services?.length) this.servicesOf.set(userId, services);
    else this.servicesOf.delete(userId);
  }

  /** A service was written (its settings may sort people otherwise) or deleted (undefined). */
  changedService(serviceId: ServiceId, service: Service | undefined): void {
    const before = this.pools.get(serviceId);
    for (const userId of before?.members() ?? []) this.left(userId, serviceId);
    this.pools.delete(serviceId);
    if (service) this.build(service);
  }

  private build(service: Service): void {
    const pool = new Pool(service);
    this.pools.set(service.id, pool);
    for (const membership of this.sources.members(service.id))
      this.changedMember(service.id, membership.userId, membership);
  }
}

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
    agent: (userId) => routing.states.get(userId),
    skills: (userId) => tenancy.skills.get(userId) ?? {},
  });
  const stops = [
    routing.watchPeople((userId) => pools.changedPerson(userId)),
    tenancy.watch((change) => {
      if (change.kind === 'person') pools.changedPerson(change.userId);
      else if (change.kind === 'member')
        pools.changedMember(
          change.serviceId,
          change.userId,
          tenancy.membership(change.serviceId, change.userId),
        );
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

/** Pools sorted from a snapshot's own rows (for a snapshot made without the indexes). */
export function withPools(snapshot: RoutingSnapshot): RoutingSnapshot {
  const pools = new ServicePools({
    services: () => snapshot.services.values(),
    members: (serviceId) => snapshot.members.get(serviceId) ?? [],
    agent: (userId) => snapshot.agents.get(userId),
    skills: (userId) => snapshot.skills.get(userId) ?? {},
  });
  return { ...snapshot, pools: (serviceId) => pools.pool(serviceId) };
}
