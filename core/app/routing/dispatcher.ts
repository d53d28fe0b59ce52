import type { TenantId, UserId } from '../../domain/ids.js';
import type { Instant } from '../../domain/instant.js';
import { endAcw, resetRona } from '../../domain/routing/agent-actions.js';
import { stampChange } from '../../domain/routing/agent-state.js';
import { planDispatch, type PlannedOffer } from '../../domain/routing/plan-dispatch.js';
import { expireOffer } from '../../domain/routing/task-lifecycle.js';
import { ConflictError } from '../../store/conflict-error.js';
import { agentKey, queueKey } from '../../store/routing-rows.js';
import type { Stores } from '../../store/stores.js';
import { tenantKey } from '../../store/table-tenant-store.js';
import type { Clock } from '../clock.js';
import { retryOnConflict } from '../retry-on-conflict.js';
import { CoalescedRuns } from '../coalesced-runs.js';
import { loadRouting, type LoadedRouting } from './routing-snapshot.js';
import { agentWrites, taskWrites } from './step-writes.js';

export interface DispatcherDeps {
  readonly stores: Stores;
  readonly clock: Clock;
  readonly onError?: (error: unknown, tenantId: TenantId) => void;
  /** A tenant's tasks or people changed (the bot draws the cards waiting in its outbox). */
  readonly onChanged?: (tenantId: TenantId) => void;
}

/**
 * The shell around the pure planner: loads a tenant's routing state, plans, and commits
 * each offer in one transaction guarded by the ETags of the task, the people and the
 * queue. Several instances may run it at once: whoever commits first wins, the others
 * conflict and re-plan from fresh state, so a task is never offered twice or lost.
 * Runs per tenant are coalesced in this process (an efficiency, not the safety).
 */
export class Dispatcher {
  private readonly runs = new CoalescedRuns<TenantId>(async (tenantId) => {
    try {
      await retryOnConflict(() => this.iterate(tenantId));
    } catch (error) {
      this.deps.onError?.(error, tenantId);
    }
  });

  constructor(private readonly deps: DispatcherDeps) {}

  /** Says that a step was committed outside a distribution run (an accept that freed nobody). */
  changed(tenantId: TenantId): void {
    this.deps.onChanged?.(tenantId);
  }

  /** Runs distribution for a tenant now (and again if asked while running); resolves when settled. */
  async run(tenantId: TenantId): Promise<void> {
    await this.runs.run(tenantId);
    this.deps.onChanged?.(tenantId);
  }

  private async iterate(tenantId: TenantId): Promise<void> {
    // Tasks queued and people freed by other instances count too.
    await this.deps.stores.refreshRouting(tenantId);
    const tenant = await this.deps.stores.tenants.get(tenantKey(tenantId));
    if (!tenant) return;
    const loaded = await loadRouting(this.deps.stores, tenant.value);
    const etags = new Map<string, string>();
    const now = this.deps.clock.now();
    for (const offer of planDispatch(loaded.snapshot, now)) {
      const written = await this.commitOffer(loaded, offer, etags, now);
      written.forEach((etag, rowKey) => etags.set(rowKey, etag));
    }
  }

  /** One offer, one transaction; rows this plan already wrote are matched by their new ETags. */
  private commitOffer(
    loaded: LoadedRouting,
    offer: PlannedOffer,
    etags: ReadonlyMap<string, string>,
    now: Instant,
  ) {
    const { stores } = this.deps;
    const row = loaded.openTasks.find((t) => t.value.id === offer.task.id);
    if (!row) throw new ConflictError('task vanished', 'Routing');
    const queue = {
      tenantId: offer.task.tenantId,
      serviceId: offer.serviceId,
      roundRobin: offer.roundRobin,
    };
    const queueEtag =
      etags.get(queueKey(queue.tenantId, queue.serviceId).rowKey) ??
      loaded.queues.get(offer.serviceId)?.etag;
    const agentEtag = (userId: UserId) =>
      etags.get(agentKey(queue.tenantId, userId).rowKey) ?? loaded.agents.get(userId)?.etag;
    return stores.commit([
      ...taskWrites(stores, offer.task, row, now),
      ...offer.agents.map((offered) => {
        const etag = agentEtag(offered.userId);
        const a = stampChange(loaded.agents.get(offered.userId)?.value, offered, now);
        return etag ? stores.routing.agents.replaceOp(a, etag) : stores.routing.agents.insertOp(a);
      }),
      queueEtag
        ? stores.routing.queues.replaceOp(queue, queueEtag)
        : stores.routing.queues.insertOp(queue),
    ]);
  }

  /** Fires every due timer of a tenant (offer timeouts, ACW ends, RONA resets), then distributes. */
  async fireDueTimers(tenantId: TenantId, now: Instant = this.deps.clock.now()): Promise<void> {
    const { stores } = this.deps;
    await retryOnConflict(async () => {
      await stores.refreshRouting(tenantId);
      const tenant = await stores.tenants.get(tenantKey(tenantId));
      if (!tenant) return;
      const loaded = await loadRouting(stores, tenant.value);
      const agents = new Map([...loaded.agents].map(([id, row]) => [id, row.value]));
      // Each person holds at most one offer, so the expiries touch disjoint rows and commit one by one.
      const written = new Set<UserId>();
      for (const row of loaded.openTasks) {
        const step = expireOffer(row.value, agents, now);
        if (!step) continue;
        const missed = new Map(step.withdrawn.map((id) => [id, 'missed' as const]));
        await stores.commit([
          ...taskWrites(stores, step.task, row, now, missed),
          ...step.agents.flatMap((a) => agentWrites(stores, a, loaded.agents, now)),
        ]);
        step.agents.forEach((a) => written.add(a.userId));
      }
      for (const [userId, row] of loaded.agents) {
        if (written.has(userId)) continue;
        const agent = row.value;
        let next = agent;
        if (agent.engagement?.kind === 'acw' && agent.engagement.until <= now) {
          const ended = endAcw(agent, now, false);
          if (ended.ok) next = ended.value;
        }
        if (next.ronaUntil !== null && next.ronaUntil <= now) next = resetRona(next);
        if (next !== agent) await stores.commit(agentWrites(stores, next, loaded.agents, now));
      }
    });
    await this.run(tenantId);
  }

  /** Timers of every tenant (periodically, and at each step of a manual clock). */
  async sweep(tenantIds: readonly TenantId[], now: Instant = this.deps.clock.now()): Promise<void> {
    for (const tenantId of tenantIds) {
      try {
        await this.fireDueTimers(tenantId, now);
      } catch (error) {
        this.deps.onError?.(error, tenantId);
      }
    }
  }
}
