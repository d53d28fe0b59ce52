import { randomBytes, timingSafeEqual } from 'node:crypto';
import pLimit from 'p-limit';
import type { Identity } from '../domain/actor.js';
import type { TenantId, UserId } from '../domain/ids.js';
import { instantOf, type Instant } from '../domain/instant.js';
import {
  inBatches,
  planSubscriptions,
  SUBSCRIPTION_LIFETIME_MS,
  type PresenceFeedState,
} from '../domain/presence-feed.js';
import { allow, type Decision } from '../domain/refusal.js';
import { presenceFromGraph, type GraphPresence } from '../domain/routing/graph-presence.js';
import type { Presence } from '../domain/routing/presence.js';
import { ConflictError } from '../store/conflict-error.js';
import { presenceFeedKey } from '../store/presence-feed-rows.js';
import { agentKey } from '../store/routing-rows.js';
import type { Versioned } from '../store/table-repository.js';
import type { AppDeps } from './app-deps.js';
import { GraphProblem, graphWords } from './graph-problem.js';
import { reconcileTeamRosters, type TeamRosterGraph } from './team-roster-sync.js';
import { asTenantAdmin } from './resolve-actor.js';
import { retryOnConflict } from './retry-on-conflict.js';
import { setPresence } from './routing/me-actions.js';
import { instanceLease, type TenantLease } from './tenant-lease.js';

/** One person's presence as Graph read it. */
export interface GraphPresenceReading extends GraphPresence {
  readonly id: UserId;
}

/** What the presence feed asks of Microsoft Graph (bot/graph answers it over HTTP). */
export interface PresenceGraph {
  /** Presence of up to 650 people now (`getPresencesByUserId`). */
  read(tenantId: TenantId, userIds: readonly UserId[]): Promise<GraphPresenceReading[]>;
  /** A presence subscription for up to 650 people; throws GraphProblem when refused. */
  subscribe(
    tenantId: TenantId,
    request: { userIds: readonly UserId[]; clientState: string; expiresAt: Instant },
  ): Promise<{ id: string; expiresAt: Instant }>;
  /** Extends a subscription (which also reauthorizes it). */
  renew(tenantId: TenantId, subscriptionId: string, expiresAt: Instant): Promise<Instant>;
  unsubscribe(tenantId: TenantId, subscriptionId: string): Promise<void>;
  /** A person by user principal name; null when the tenant has nobody by that name. */
  findUser(tenantId: TenantId, upn: string): Promise<{ id: UserId; displayName: string } | null>;
}

/**
 * A change notification or lifecycle event as Graph posts it (the fields the feed reads),
 * its ids parsed at the edge.
 */
export interface GraphNotification {
  readonly subscriptionId: string;
  readonly clientState?: string | null | undefined;
  readonly tenantId: TenantId;
  readonly resourceData?: { readonly id?: UserId | undefined } | null | undefined;
  readonly lifecycleEvent?: string | undefined;
}

export interface PresenceFeedLog {
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface PresenceFeedOptions {
  readonly deps: AppDeps;
  readonly graph: PresenceGraph;
  /** How often everyone's presence is read whole, notifications or not. */
  readonly pollEveryMs: number;
  /** Where Graph posts changes and lifecycle events; without them, polling only. */
  readonly urls?: { readonly notifications: string; readonly lifecycle: string } | undefined;
  readonly log: PresenceFeedLog;
  /** How long one instance keeps a tenant's subscriptions before renewing its lease. */
  readonly leaseMs?: number;
  /**
   * Team rosters from Graph: the holder repairs the tenant's Teams-based services from
   * them at its first turn and every `everyMs` (absent: Teams' events alone keep them).
   */
  readonly rosters?: { readonly graph: TeamRosterGraph; readonly everyMs: number } | undefined;
}

/** How often the holder looks at a tenant's feed (lease, polls, renewals, lifecycle marks). */
const TURN_MS = 10_000;
/** After Graph refused a subscription, it is tried again this much later (polling meanwhile). */
const RESUBSCRIBE_AFTER_MS = 10 * 60 * 1000;
const SYSTEM: Identity = { kind: 'system' };

const sameSecret = (a: string, b: string): boolean => {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Microsoft Graph as the source of Teams presence (SPEC §5). One instance per tenant (a
 * lease) keeps the tenant's presence subscriptions, renews them before they run out, and
 * reads everyone's presence whole now and then as the safety net (at start, after a
 * `missed` event, while no subscription can be made, and every `pollEveryMs`). Any
 * instance takes notifications: it checks the secret the subscription was made with, reads
 * the people named (notifications carry no presence of their own) and applies what it
 * reads through the same use case as the presence route, so availability, withdrawals and
 * distribution follow at once.
 */
export class PresenceFeed {
  private readonly lease: TenantLease;
  /** Per tenant, when this instance takes its next turn (the feed's clock). */
  private readonly nextTurn = new Map<TenantId, number>();

  constructor(private readonly options: PresenceFeedOptions) {
    const { stores } = options.deps;
    this.lease = instanceLease(stores, 'presence', options.leaseMs ?? 30_000);
  }

  /** The holder's work for every tenant, a few at a time; each tenant fails apart. */
  async sweep(tenantIds: readonly TenantId[], now: Instant): Promise<void> {
    const limit = pLimit(4);
    await Promise.all(
      tenantIds.map((tenantId) =>
        limit(async () => {
          try {
            await this.keep(tenantId, now);
          } catch (error) {
            this.options.log.error({ err: error, tenantId }, 'presence feed failed');
          }
        }),
      ),
    );
  }

  /** Gives the tenants' leases back (a clean stop), so another instance carries on at once. */
  stop(): Promise<void> {
    return this.lease.releaseAll();
  }

  /** The people whose presence matters: everyone in one of the tenant's services. */
  private async wanted(tenantId: TenantId): Promise<Set<UserId>> {
    const memberships = await this.options.deps.stores.memberships.list(tenantId);
    return new Set(memberships.map((m) => m.value.userId));
  }

  private async state(tenantId: TenantId): Promise<Versioned<PresenceFeedState>> {
    const feeds = this.options.deps.stores.presenceFeeds;
    const row = await feeds.get(presenceFeedKey(tenantId));
    if (row) return row;
    try {
      return await feeds.insert({
        tenantId,
        clientState: randomBytes(32).toString('base64url'),
        subscriptions: [],
        lastUpdateAt: null,
        lastPollAt: null,
        problem: null,
        readProblem: null,
        retrySubscribeAt: null,
        lastRosterAt: null,
        rosterProblem: null,
      });
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      const made = await feeds.get(presenceFeedKey(tenantId));
      if (!made) throw error;
      return made;
    }
  }

  /**
   * The lease holder's turn for one tenant, at most every TURN_MS (so a quiet tenant costs
   * no storage request most sweeps): poll when due, then keep the subscriptions. A failed
   * read waits for the next poll, with the problem in words for the tenant's admin.
   */
  private async keep(tenantId: TenantId, now: Instant): Promise<void> {
    if (now < (this.nextTurn.get(tenantId) ?? -Infinity)) return;
    this.nextTurn.set(tenantId, now + TURN_MS);
    if (!(await this.lease.hold(tenantId))) return;
    const row = await this.state(tenantId);
    let state = row.value;
    const wanted = await this.wanted(tenantId);
    if (state.lastPollAt === null || now - state.lastPollAt >= this.options.pollEveryMs) {
      try {
        await this.readAndApply(tenantId, wanted, [...wanted]);
        state = {
          ...state,
          readProblem: null,
          lastUpdateAt: wanted.size ? now : state.lastUpdateAt,
        };
      } catch (error) {
        state = { ...state, readProblem: `Presence could not be read: ${graphWords(error)}` };
        this.options.log.warn({ tenantId, problem: graphWords(error) }, 'presence not read');
      }
      state = { ...state, lastPollAt: now };
    }
    state = await this.subscriptions(state, wanted, now);
    state = await this.rosters(state, now);
    if (JSON.stringify(state) === JSON.stringify(row.value)) return;
    const turn = state;
    const before = row.value;
    // A notification or lifecycle event may have written the row meanwhile: the turn's
    // subscriptions (Graph made them) and poll are kept, and so is what the other write said.
    await this.update(tenantId, (fresh) => ({
      ...turn,
      lastUpdateAt:
        Math.max(fresh.lastUpdateAt ?? 0, turn.lastUpdateAt ?? 0) === 0
          ? null
          : instantOf(Math.max(fresh.lastUpdateAt ?? 0, turn.lastUpdateAt ?? 0)),
      // A `missed` or `subscriptionRemoved` since the turn read the row asks for a poll
      // (also while the turn made its first poll: so the ask is counted, not inferred).
      lastPollAt: (fresh.pollAsked ?? 0) !== (before.pollAsked ?? 0) ? null : turn.lastPollAt,
      pollAsked: fresh.pollAsked ?? 0,
    }));
  }

  /** The holder's reconcile of the tenant's team rosters, when due. */
  private async rosters(state: PresenceFeedState, now: Instant): Promise<PresenceFeedState> {
    const { rosters, deps, log } = this.options;
    if (!rosters) return state;
    if (state.lastRosterAt !== null && now - state.lastRosterAt < rosters.everyMs) return state;
    const { tenantId } = state;
    try {
      const done = await reconcileTeamRosters(deps, rosters.graph, tenantId);
      if (done.joined || done.left) log.warn({ tenantId, ...done }, 'team rosters repaired');
      return { ...state, lastRosterAt: now, rosterProblem: done.problem };
    } catch (error) {
      log.error({ err: error, tenantId }, 'team rosters not reconciled');
      return { ...state, lastRosterAt: now, rosterProblem: `Team rosters: ${graphWords(error)}` };
    }
  }

  private async subscriptions(
    state: PresenceFeedState,
    wanted: ReadonlySet<UserId>,
    now: Instant,
  ): Promise<PresenceFeedState> {
    const { graph, urls } = this.options;
    const { tenantId } = state;
    if (!urls)
      return {
        ...state,
        problem: `No public address (PUBLIC_BASE_URL) for Graph to send changes to: presence is read every ${Math.round(this.options.pollEveryMs / 1000)} s.`,
      };
    if (state.retrySubscribeAt !== null && now < state.retrySubscribeAt) return state;
    const plan = planSubscriptions(state.subscriptions, wanted, now);
    const kept = new Map(state.subscriptions.map((s) => [s.id, s]));
    for (const gone of plan.remove) {
      kept.delete(gone.id);
      // Not deleted: it runs out within the hour, and its notifications are ignored meanwhile.
      await graph
        .unsubscribe(tenantId, gone.id)
        .catch((error: unknown) =>
          this.options.log.warn(
            { tenantId, problem: graphWords(error) },
            'subscription not deleted',
          ),
        );
    }
    const expiresAt = instantOf(now + SUBSCRIPTION_LIFETIME_MS);
    const create = [...plan.create];
    try {
      for (const due of plan.renew) {
        try {
          kept.set(due.id, { ...due, expiresAt: await graph.renew(tenantId, due.id, expiresAt) });
        } catch (error) {
          // Graph no longer knows it: its people get a new subscription at once.
          if (!(error instanceof GraphProblem && error.status === 404)) throw error;
          kept.delete(due.id);
          create.push(...inBatches(due.userIds.filter((id) => wanted.has(id))));
        }
      }
      for (const userIds of create) {
        const made = await graph.subscribe(tenantId, {
          userIds,
          clientState: state.clientState,
          expiresAt,
        });
        kept.set(made.id, { id: made.id, userIds, expiresAt: made.expiresAt });
      }
      return { ...state, subscriptions: [...kept.values()], problem: null, retrySubscribeAt: null };
    } catch (error) {
      this.options.log.warn(
        { tenantId, problem: graphWords(error) },
        'presence subscription refused; polling carries presence',
      );
      return {
        ...state,
        subscriptions: [...kept.values()],
        problem: `Change notifications are not available (${graphWords(error)}): presence is read every ${Math.round(this.options.pollEveryMs / 1000)} s.`,
        retrySubscribeAt: instantOf(now + RESUBSCRIBE_AFTER_MS),
      };
    }
  }

  /** Reads people's presence (in Graph's batches) and applies every change. */
  private async readAndApply(
    tenantId: TenantId,
    wanted: ReadonlySet<UserId>,
    userIds: readonly UserId[],
  ): Promise<void> {
    for (const batch of inBatches(userIds.filter((id) => wanted.has(id)))) {
      const readings = await this.options.graph.read(tenantId, batch);
      await this.apply(tenantId, wanted, readings);
    }
  }

  /** Applies readings through the presence use case, only where the presence changed. */
  private async apply(
    tenantId: TenantId,
    wanted: ReadonlySet<UserId>,
    readings: readonly GraphPresenceReading[],
  ): Promise<void> {
    const { deps } = this.options;
    for (const reading of readings) {
      if (!wanted.has(reading.id)) continue;
      const presence: Presence = presenceFromGraph(reading);
      const agent = await deps.stores.routing.agents.get(agentKey(tenantId, reading.id));
      if (agent?.value.presence === presence) continue;
      await setPresence(deps, SYSTEM, tenantId, reading.id, presence);
    }
  }

  /**
   * Change notifications (any instance): those carrying the secret the tenant's
   * subscriptions were made with are read and applied; anything else changes nothing.
   * Says how many counted.
   */
  async notified(notifications: readonly GraphNotification[]): Promise<number> {
    let counted = 0;
    for (const [tenantId, items] of byTenant(notifications)) {
      const known = await this.known(tenantId, items);
      if (!known) continue;
      const ids = known.items.flatMap((n) => (n.resourceData?.id ? [n.resourceData.id] : []));
      counted += known.items.length;
      const wanted = await this.wanted(tenantId);
      await this.readAndApply(tenantId, wanted, ids);
      await this.update(tenantId, (s) => ({ ...s, lastUpdateAt: this.options.deps.clock.now() }));
    }
    return counted;
  }

  /**
   * Lifecycle events (any instance): `reauthorizationRequired` renews the subscription now;
   * `subscriptionRemoved` forgets it (the holder makes a new one at its next turn) and,
   * like `missed`, has everyone's presence read whole at the holder's next turn.
   */
  async lifecycle(notifications: readonly GraphNotification[]): Promise<number> {
    let counted = 0;
    for (const [tenantId, items] of byTenant(notifications)) {
      const known = await this.known(tenantId, items);
      if (!known) continue;
      counted += known.items.length;
      const now = this.options.deps.clock.now();
      for (const event of known.items) {
        const id = event.subscriptionId;
        if (event.lifecycleEvent === 'reauthorizationRequired') {
          const expiresAt = instantOf(now + SUBSCRIPTION_LIFETIME_MS);
          const renewed = await this.options.graph
            .renew(tenantId, id, expiresAt)
            .catch((error: unknown) => {
              this.options.log.warn(
                { tenantId, problem: graphWords(error) },
                'reauthorization failed',
              );
              return null;
            });
          await this.update(tenantId, (s) => ({
            ...s,
            // Not renewed: forgotten, so the holder makes a new one at its next turn.
            subscriptions: renewed
              ? s.subscriptions.map((x) => (x.id === id ? { ...x, expiresAt: renewed } : x))
              : s.subscriptions.filter((x) => x.id !== id),
            lastPollAt: renewed ? s.lastPollAt : null,
            pollAsked: (s.pollAsked ?? 0) + (renewed ? 0 : 1),
          }));
        } else if (event.lifecycleEvent === 'subscriptionRemoved') {
          await this.update(tenantId, (s) => ({
            ...s,
            subscriptions: s.subscriptions.filter((x) => x.id !== id),
            lastPollAt: null,
            pollAsked: (s.pollAsked ?? 0) + 1,
          }));
        } else if (event.lifecycleEvent === 'missed') {
          await this.update(tenantId, (s) => ({
            ...s,
            lastPollAt: null,
            pollAsked: (s.pollAsked ?? 0) + 1,
          }));
        }
      }
    }
    return counted;
  }

  /**
   * A team just provisioned has its roster read from Graph at once (any instance), so its
   * owners own the service from the start; a failure waits for the holder's next reconcile.
   */
  async teamProvisioned(tenantId: TenantId, teamId: string): Promise<void> {
    const { rosters, deps, log } = this.options;
    if (!rosters) return;
    try {
      const done = await reconcileTeamRosters(deps, rosters.graph, tenantId, teamId);
      if (done.problem) log.warn({ tenantId, problem: done.problem }, 'new team’s roster not read');
    } catch (error) {
      log.warn({ tenantId, problem: graphWords(error) }, 'new team’s roster not read');
    }
  }

  /** People who joined a service get their presence read at once (any instance). */
  async joined(tenantId: TenantId, userIds: readonly UserId[]): Promise<void> {
    if (!userIds.length) return;
    try {
      await this.readAndApply(tenantId, await this.wanted(tenantId), userIds);
    } catch (error) {
      // The next poll reads them; joining never fails for it.
      this.options.log.warn(
        { tenantId, problem: graphWords(error) },
        'presence of newcomers not read',
      );
    }
  }

  /** The notifications of one tenant that carry its secret, if any. */
  private async known(tenantId: TenantId, items: readonly GraphNotification[]) {
    const row = await this.options.deps.stores.presenceFeeds.get(presenceFeedKey(tenantId));
    if (!row) return null;
    // The tenant's secret proves a notification Graph's. Its subscription id is not asked
    // for: Graph may notify before the holder has stored a subscription it just made.
    const valid = items.filter(
      (n) => typeof n.clientState === 'string' && sameSecret(n.clientState, row.value.clientState),
    );
    if (valid.length < items.length)
      this.options.log.warn(
        { tenantId, ignored: items.length - valid.length },
        'Graph notifications without the tenant’s secret ignored',
      );
    return valid.length ? { row, items: valid } : null;
  }

  private async update(
    tenantId: TenantId,
    change: (state: PresenceFeedState) => PresenceFeedState,
  ): Promise<void> {
    const feeds = this.options.deps.stores.presenceFeeds;
    await retryOnConflict(async () => {
      const row = await feeds.get(presenceFeedKey(tenantId));
      if (row) await feeds.replace(change(row.value), row.etag);
    });
  }

  /** A person by UPN and their presence now, or why Graph cannot tell (see testPresence). */
  async read(tenantId: TenantId, upn: string): Promise<PresenceTestResult> {
    try {
      const user = await this.options.graph.findUser(tenantId, upn);
      if (!user) return { ok: false, problem: `Nobody in this tenant signs in as ${upn}.` };
      const [reading] = await this.options.graph.read(tenantId, [user.id]);
      if (!reading) return { ok: false, problem: `Graph has no presence for ${upn}.` };
      return {
        ok: true,
        userId: user.id,
        displayName: user.displayName,
        availability: reading.availability,
        activity: reading.activity,
        presence: presenceFromGraph(reading),
      };
    } catch (error) {
      return { ok: false, problem: graphWords(error) };
    }
  }
}

export type PresenceTestResult =
  | {
      readonly ok: true;
      readonly userId: UserId;
      readonly displayName: string;
      readonly availability: string;
      readonly activity: string;
      readonly presence: Presence;
    }
  | { readonly ok: false; readonly problem: string };

/**
 * The tenants one post may name: Graph batches the notifications of one app, so a few; the
 * webhook is public, so a post naming more is not Graph's, and only the first few are
 * looked at (each costs a storage read before its secret can be checked).
 */
export const TENANTS_PER_POST = 10;

function byTenant(notifications: readonly GraphNotification[]): Map<TenantId, GraphNotification[]> {
  const groups = new Map<TenantId, GraphNotification[]>();
  for (const n of notifications) {
    const { tenantId } = n;
    if (!groups.has(tenantId) && groups.size >= TENANTS_PER_POST) continue;
    groups.set(tenantId, [...(groups.get(tenantId) ?? []), n]);
  }
  return groups;
}

const NOT_CONFIGURED =
  'Microsoft Graph is not configured (GRAPH_CLIENT_ID and a credential): presence comes only from PUT …/users/{userId}/presence.';

/**
 * The presence test of the tenant settings (tenant admins): resolves a person by UPN through
 * Graph and reads their presence now; Graph's refusals, or Graph not being configured
 * (`feed` null), come back in words.
 */
export async function testPresence(
  deps: AppDeps,
  feed: PresenceFeed | null,
  identity: Identity,
  tenantId: TenantId,
  upn: string,
): Promise<Decision<PresenceTestResult>> {
  const access = await asTenantAdmin(deps, identity, tenantId);
  if (!access.ok) return access;
  return allow(feed ? await feed.read(tenantId, upn) : { ok: false, problem: NOT_CONFIGURED });
}

/** The feed's state for a tenant's admin: how presence arrives and since when. */
export async function presenceFeedStatus(
  deps: AppDeps,
  identity: Identity,
  tenantId: TenantId,
  configured: boolean,
): Promise<Decision<PresenceFeedStatus>> {
  const access = await asTenantAdmin(deps, identity, tenantId);
  if (!access.ok) return access;
  if (!configured) return allow({ source: 'none', problem: NOT_CONFIGURED });
  const row = await deps.stores.presenceFeeds.get(presenceFeedKey(tenantId));
  const state = row?.value;
  return allow({
    source: 'graph',
    notifications: (state?.subscriptions.length ?? 0) > 0 && !state?.problem,
    subscriptions: state?.subscriptions.length ?? 0,
    lastUpdateAt: state?.lastUpdateAt ?? null,
    lastPollAt: state?.lastPollAt ?? null,
    problem: state?.readProblem ?? state?.problem ?? null,
    lastRosterAt: state?.lastRosterAt ?? null,
    rosterProblem: state?.rosterProblem ?? null,
  });
}

export type PresenceFeedStatus =
  | { readonly source: 'none'; readonly problem: string }
  | {
      readonly source: 'graph';
      readonly notifications: boolean;
      readonly subscriptions: number;
      readonly lastUpdateAt: Instant | null;
      readonly lastPollAt: Instant | null;
      readonly problem: string | null;
      /** When the teams' rosters were last read from Graph (null: not yet). */
      readonly lastRosterAt: Instant | null;
      readonly rosterProblem: string | null;
    };
