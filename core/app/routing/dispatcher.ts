import { performance } from 'node:perf_hooks';
import type { ServiceId, TenantId, UserId } from '../../domain/ids.js';
import type { Instant } from '../../domain/instant.js';
import { endAcw, resetRona } from '../../domain/routing/agent-actions.js';
import type { AgentState } from '../../domain/routing/agent-state.js';
import { planDispatch, type PlannedOffer } from '../../domain/routing/plan-dispatch.js';
import { staleOffers } from '../../domain/routing/stale-offers.js';
import { expireOffer } from '../../domain/routing/task-lifecycle.js';
import { ConflictError } from '../../store/conflict-error.js';
import { readingCached } from '../../store/partition-cache.js';
import { queueKey, ROUTING_TABLE } from '../../store/routing-rows.js';
import { queueShard, type QueueState } from '../../domain/routing/queue-state.js';
import { MAX_TRANSACTION_OPS, type WriteOp } from '../../store/table-transaction.js';
import type { Stores } from '../../store/stores.js';
import { tenantKey } from '../../store/table-tenant-store.js';
import type { Clock } from '../clock.js';
import { retryOnConflict } from '../retry-on-conflict.js';
import { CoalescedRuns } from '../coalesced-runs.js';
import { RoutingUnit } from './routing-unit.js';
import { HoldRepair } from './hold-repair.js';
import type { RoutingRows } from '../../store/routing-index.js';
import type { TenancyIndex } from '../../store/tenancy-index.js';
import type { Tenant } from '../../domain/tenant.js';
import type { Versioned } from '../../store/table-repository.js';

/** How many tenants a timer sweep works on at once. */
export const SWEEP_TENANTS_AT_ONCE = 8;
/** How long a sweep works before letting the event loop turn (its timers, its I/O). */
const SWEEP_TURN_MS = 5;
/** Lets the event loop turn once: due timers and answered requests go first. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Someone once the after-call work and RONA that ran out by `now` are over (the same object if none did). */
function afterTimers(agent: AgentState, now: Instant): AgentState {
  let next = agent;
  if (agent.engagement?.kind === 'acw' && agent.engagement.until <= now) {
    const ended = endAcw(agent, now, false);
    if (ended.ok) next = ended.value;
  }
  if (next.ronaUntil !== null && next.ronaUntil <= now) next = resetRona(next);
  return next;
}

/** The routing rows (with versions) of some people, as the index has them now. */
function agentRowsOf(
  index: RoutingRows,
  userIds: Iterable<UserId>,
): Map<UserId, Versioned<AgentState>> {
  const rows = new Map<UserId, Versioned<AgentState>>();
  for (const userId of userIds) {
    const row = index.agent(userId);
    if (row) rows.set(userId, row);
  }
  return rows;
}

/** Everyone some steps change. */
const peopleIn = (steps: readonly { readonly agents: readonly AgentState[] }[]) =>
  steps.flatMap((step) => step.agents.map((agent) => agent.userId));

export interface DispatcherDeps {
  readonly stores: Stores;
  readonly clock: Clock;
  /**
   * How often a sweep looks at a quiet tenant's tenancy rows too (10 s by default; see
   * Dispatcher.nothingDue); 0 looks at everything every time.
   */
  readonly fullLookEveryMs?: number;
  readonly onError?: (error: unknown, tenantId: TenantId) => void;
  /** A tenant's tasks or people changed (the bot draws the cards waiting in its outbox). */
  readonly onChanged?: (tenantId: TenantId) => void;
  /** Each planned run: how long it took, what it offered, how many tasks still wait. */
  readonly onRun?: (run: {
    readonly tenantId: TenantId;
    readonly ms: number;
    readonly offered: number;
    readonly queued: number;
  }) => void;
}

/**
 * The shell around the pure planner: loads a tenant's routing state, plans, and commits
 * the offers in transactions guarded by the ETags of the tasks, the people and the
 * queues. Several instances may run it at once: whoever commits first wins, the others
 * conflict and re-plan from fresh state, so a task is never offered twice or lost.
 * Runs per tenant are coalesced in this process (an efficiency, not the safety).
 */
export class Dispatcher {
  private readonly runs = new CoalescedRuns<TenantId>((tenantId) =>
    // A run serves every caller, whether or not the one that started it was retrying.
    readingCached(async () => {
      try {
        await retryOnConflict(() => this.iterate(tenantId));
      } catch (error) {
        this.settled.delete(tenantId);
        this.deps.onError?.(error, tenantId);
      }
    }),
  );

  /** Repairs holds a step's two transactions left disagreeing (tenants of several shards). */
  private readonly holds: HoldRepair;

  constructor(private readonly deps: DispatcherDeps) {
    this.holds = new HoldRepair(deps.stores);
  }

  /** Says that a step was committed outside a distribution run (an accept that freed nobody). */
  changed(tenantId: TenantId): void {
    this.deps.onChanged?.(tenantId);
  }

  /** Tenants where a run committed offers or withdrawals not yet told. */
  private readonly offered = new Set<TenantId>();

  /**
   * Per tenant, the view of its rows (see {@link viewOf}) the last run planned from, when
   * no other instance had written meanwhile: distributing again on the same view offers
   * nothing new, so a timer sweep that fired nothing skips the run.
   */
  private readonly settled = new Map<TenantId, string>();

  /** What this instance has seen of a tenant's routing and tenancy rows; undefined if unsure. */
  private viewOf(tenantId: TenantId): string | undefined {
    const { stores } = this.deps;
    const routing = stores.seen('routing', tenantId);
    const tenancy = stores.seen('tenancy', tenantId);
    return routing === undefined || tenancy === undefined ? undefined : `${routing}/${tenancy}`;
  }

  /**
   * Runs distribution for a tenant now (and again if asked while running); resolves when
   * settled. Tells of the change afterwards if the caller committed a step before, or the
   * run offered or withdrew something.
   */
  async run(tenantId: TenantId, afterStep = true): Promise<void> {
    await this.runs.run(tenantId);
    const offered = this.offered.delete(tenantId);
    if (afterStep || offered) this.deps.onChanged?.(tenantId);
    // A step or an offer here may set a timer (ACW, RONA, an offer's timeout): the timer
    // service wakes for it at once, not when its next sweep reaches the tenant.
    // (Only from rows this instance holds: without a cache that would be a whole read.)
    try {
      if (this.deps.stores.seen('routing', tenantId) !== undefined) await this.noteDue(tenantId);
    } catch (error) {
      this.deps.onError?.(error, tenantId);
    }
  }

  private async iterate(tenantId: TenantId): Promise<void> {
    const { stores } = this.deps;
    // Tasks queued and people freed by other instances count too. The check runs alongside
    // this run's offers (which their ETags guard anyway): if it finds another instance's
    // change, the run is made again on the rows read fresh.
    const view = this.viewOf(tenantId);
    this.settled.delete(tenantId);
    const unit = new RoutingUnit(stores, tenantId);
    const checked = unit.refresh();
    let planned = false;
    try {
      const tenant = await stores.tenants.get(tenantKey(tenantId));
      planned = !tenant; // no tenant, nothing to distribute: settled as well
      if (!tenant) return;
      const now = this.deps.clock.now();
      const started = performance.now();
      let { snapshot, index, tenancy } = await unit.planning(tenant.value);
      // A cached index is live (the withdrawals' commits update it); without a cache, read again.
      if (await this.withdrawStaleOffers(unit, snapshot.tenant, tenancy, index, now))
        ({ snapshot, index, tenancy } = await unit.planning(tenant.value));
      // Counted before the offers commit (a cached index changes with them, a read one not).
      const waiting = index.waiting;
      const offered = await this.commitOffers(unit, index, planDispatch(snapshot, now), now);
      planned = true;
      this.deps.onRun?.({
        tenantId,
        ms: performance.now() - started,
        offered,
        queued: waiting - offered,
      });
    } finally {
      if (await checked) this.runs.repeat(tenantId);
      else if (planned && view !== undefined) this.settled.set(tenantId, view);
    }
  }

  /**
   * Withdraws the invitations nobody can take any more (see staleOffers), each in a
   * transaction of its own under the ETags it was read with; says whether it wrote any.
   */
  private async withdrawStaleOffers(
    unit: RoutingUnit,
    tenant: Tenant,
    tenancy: TenancyIndex,
    index: RoutingRows,
    now: Instant,
  ): Promise<boolean> {
    const withdrawals = staleOffers(
      tenant,
      (serviceId, userId) => tenancy.membership(serviceId, userId) !== undefined,
      index.offered(),
      index.states,
      (userId) => tenancy.licenses.get(userId) ?? [],
    );
    // Rows as they were decided on: each commit below updates the live index.
    const rows = new Map(withdrawals.map(({ step }) => [step.task.id, index.task(step.task.id)]));
    const agents = agentRowsOf(index, peopleIn(withdrawals.map(({ step }) => step)));
    for (const { step, causes } of withdrawals) {
      const row = rows.get(step.task.id);
      if (!row) throw new ConflictError('task vanished', ROUTING_TABLE);
      await unit.commit(unit.stepWrites(step, row, agents, now, causes));
      this.offered.add(tenant.id);
    }
    return withdrawals.length > 0;
  }

  /**
   * Commits a run's offers in as few transactions as fit (each offer whole in one), every
   * row under the ETag it was planned from; a service's queue row once per transaction,
   * with its state after that transaction's last offer.
   */
  private async commitOffers(
    unit: RoutingUnit,
    index: RoutingRows,
    offers: readonly PlannedOffer[],
    now: Instant,
  ): Promise<number> {
    const { tenantId } = unit;
    const queueEtags = new Map([...index.queues].map(([id, row]) => [id, row.etag]));
    // Rows as they were planned from: each flush below updates the live index.
    const rows = new Map(offers.map((offer) => [offer.task.id, index.task(offer.task.id)]));
    const agents = agentRowsOf(index, peopleIn(offers));
    let ops: WriteOp[] = [];
    let queues = new Map<ServiceId, QueueState>();
    const flush = async () => {
      if (!ops.length) return;
      const queueOps = [...queues.values()].map((q) =>
        unit.queueWrite(q, queueEtags.get(q.serviceId)),
      );
      const written = await unit.commit([...ops, ...queueOps]);
      this.offered.add(tenantId);
      for (const q of queues.values()) {
        const etag = written.get(queueKey(q.tenantId, q.serviceId, q.shard ?? 0).rowKey);
        if (etag) queueEtags.set(q.serviceId, etag);
      }
      ops = [];
      queues = new Map();
    };
    let count = 0;
    for (const offer of offers) {
      count++;
      const row = rows.get(offer.task.id);
      if (!row) throw new ConflictError('task vanished', ROUTING_TABLE);
      const offerOps = unit.stepWrites(offer, row, agents, now);
      const queueOps = queues.size + (queues.has(offer.serviceId) ? 0 : 1);
      if (ops.length + offerOps.length + queueOps > MAX_TRANSACTION_OPS) await flush();
      ops.push(...offerOps);
      queues.set(offer.serviceId, {
        tenantId: offer.task.tenantId,
        serviceId: offer.serviceId,
        roundRobin: offer.roundRobin,
        ...queueShard(offer.task.id),
      });
    }
    await flush();
    return count;
  }

  /** Per tenant, its next timer's due time as the last sweep found it (see {@link nextDue}). */
  private readonly dueAt = new Map<TenantId, Instant>();

  /**
   * The first due time after `after` of any tenant's timer, as the sweeps found them: a
   * system clock's timer service wakes then instead of at its next periodic sweep. (A
   * timer already due that failed to fire is left to the periodic sweeps.)
   */
  nextDue(after: Instant): Instant | null {
    let at: Instant | null = null;
    for (const due of this.dueAt.values()) if (due > after && (at === null || due < at)) at = due;
    return at;
  }

  /** The tenants whose next timer is due by `now`, as the sweeps found them. */
  dueBy(now: Instant): TenantId[] {
    return [...this.dueAt].filter(([, due]) => due <= now).map(([tenantId]) => tenantId);
  }

  private async noteDue(tenantId: TenantId): Promise<void> {
    this.setDue(tenantId, (await this.deps.stores.routingIndex(tenantId)).nextDue());
  }

  private setDue(tenantId: TenantId, next: Instant | null): void {
    if (next === null) this.dueAt.delete(tenantId);
    else if (this.dueAt.get(tenantId) !== next) {
      this.dueAt.set(tenantId, next);
      for (const watcher of this.dueWatchers) watcher(next);
    }
  }

  private readonly dueWatchers = new Set<(at: Instant) => void>();

  /** Calls `watcher` with each new next due time a sweep notes (the timer service wakes for it). */
  watchDue(watcher: (at: Instant) => void): () => void {
    this.dueWatchers.add(watcher);
    return () => this.dueWatchers.delete(watcher);
  }

  /** Per tenant, when a sweep last looked at everything, tenancy rows included (performance.now()). */
  private readonly fullLookAt = new Map<TenantId, number>();

  /**
   * Fires every due timer of a tenant (offer timeouts, ACW ends, RONA resets), then
   * distributes: the run also catches what a failed run or another instance left, so it is
   * skipped only when nothing fired and the rows are as the last run found them.
   */
  async fireDueTimers(
    tenantId: TenantId,
    now: Instant = this.deps.clock.now(),
    feedSince: number = performance.now(),
  ): Promise<void> {
    const { stores } = this.deps;
    const look = await this.nothingDue(tenantId, now, feedSince);
    if (look === 'quiet') return;
    this.fullLookAt.set(tenantId, performance.now());
    let refreshed = look === 'checked';
    let fired = false;
    await retryOnConflict(async () => {
      const unit = new RoutingUnit(stores, tenantId);
      if (!refreshed) await unit.refresh(feedSince);
      refreshed = false;
      const tenant = await stores.tenants.get(tenantKey(tenantId));
      if (!tenant) return;
      // Only the rows whose timers fell due, as they are now (the commits below update the index).
      const index = await unit.index();
      const due = index.due(now);
      // The people due timers concern: those rung, and those whose own timer fell due.
      const rows = agentRowsOf(index, [
        ...due.agents.map((row) => row.value.userId),
        ...due.tasks.flatMap((row) => row.value.offeredTo),
      ]);
      const states = new Map([...rows].map(([id, row]) => [id, row.value]));
      // Each person holds at most one offer, so the expiries touch disjoint rows and commit one by one.
      const written = new Set<UserId>();
      for (const row of due.tasks) {
        const step = expireOffer(row.value, states, now);
        if (!step) continue;
        const missed = new Map(step.withdrawn.map((id) => [id, 'missed' as const]));
        await unit.commit(unit.stepWrites(step, row, rows, now, missed));
        fired = true;
        step.agents.forEach((a) => written.add(a.userId));
      }
      for (const row of due.agents) {
        if (written.has(row.value.userId)) continue;
        const next = afterTimers(row.value, now);
        if (next === row.value) continue;
        await unit.commit(unit.agentWrites(next, rows, now));
        fired = true;
      }
      for (const hold of await this.holds.due(tenantId, index, now))
        if (await this.holds.repair(unit, hold, now)) fired = true;
    });
    const view = this.viewOf(tenantId);
    if (fired || view === undefined || this.settled.get(tenantId) !== view)
      await this.run(tenantId, fired);
    await this.noteDue(tenantId);
  }

  /**
   * Whether a sweep can leave a tenant be, on one query: 'quiet' when no other instance wrote
   * its routing rows (asked now), nothing this instance saw changed since the last run, and
   * no timer is due; 'checked' when the routing rows were just checked but there is work;
   * 'unchecked' when it is time to look at everything. Other instances' tenancy changes
   * (their own runs distribute after them) are looked for at least every `fullLookEveryMs`,
   * in case one stopped before its run.
   */
  private async nothingDue(
    tenantId: TenantId,
    now: Instant,
    feedSince: number,
  ): Promise<'quiet' | 'checked' | 'unchecked'> {
    const { stores } = this.deps;
    const lookedAt = this.fullLookAt.get(tenantId) ?? -Infinity;
    if (performance.now() - lookedAt >= (this.deps.fullLookEveryMs ?? 10_000)) return 'unchecked';
    // Through the change feed: a tenant no other instance writes costs no request here.
    await stores.refreshRouting(tenantId, feedSince);
    const view = this.viewOf(tenantId);
    if (view === undefined || this.settled.get(tenantId) !== view) return 'checked';
    // The routing index keeps every timer by its due time: the first one says.
    const index = await stores.routingIndex(tenantId);
    const next = index.nextDue();
    this.setDue(tenantId, next);
    if (next !== null && next <= now) return 'checked';
    // A hold left disagreeing with its task by a step cut in two (see HoldRepair), once due.
    return (await this.holds.due(tenantId, index, now)).length ? 'checked' : 'quiet';
  }

  /**
   * Timers of every tenant (periodically, and at each step of a manual clock), a few
   * tenants at a time: one after the other, a sweep's storage round trips would add up
   * across thousands of tenants and fire their timers late. A quiet tenant's look costs no
   * request and so never waits for one: the sweep lets the event loop turn every few
   * milliseconds, so a wake-up for a due timer (see TimerService) is not held up behind it.
   */
  async sweep(tenantIds: readonly TenantId[], now: Instant = this.deps.clock.now()): Promise<void> {
    // One read of the change feed serves the whole sweep (see ChangeFeed).
    const feedSince = performance.now();
    let next = 0;
    const worker = async () => {
      let turnedAt = performance.now();
      while (next < tenantIds.length) {
        const tenantId = tenantIds[next++]!;
        try {
          await this.fireDueTimers(tenantId, now, feedSince);
        } catch (error) {
          this.deps.onError?.(error, tenantId);
        }
        if (performance.now() - turnedAt >= SWEEP_TURN_MS) {
          await turn();
          turnedAt = performance.now();
        }
      }
    };
    await Promise.all(Array.from({ length: SWEEP_TENANTS_AT_ONCE }, worker));
  }
}
