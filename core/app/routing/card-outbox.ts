import { performance } from 'node:perf_hooks';
import pLimit from 'p-limit';
import { setTimeout as sleep } from 'node:timers/promises';
import pThrottle from 'p-throttle';
import type { TenantId, UserId } from '../../domain/ids.js';
import type { Instant } from '../../domain/instant.js';
import type { CardOutboxEntry, SentCard } from '../../domain/routing/cards.js';
import type { DueCard, OutboxRow } from '../../store/card-rows.js';
import type { TeamsUserLink } from '../../domain/teams-link.js';
import { ConflictError } from '../../store/conflict-error.js';
import { readingCached } from '../../store/partition-cache.js';
import { MAX_TRANSACTION_OPS, partitionOf } from '../../store/table-transaction.js';
import { teamsUserKey } from '../../store/teams-link-rows.js';
import type { AppDeps } from '../app-deps.js';
import { CoalescedRuns } from '../coalesced-runs.js';
import { instanceLease, type TenantLease } from '../tenant-lease.js';
import { loadCardContext, type CardContext } from './card-context.js';

/** What the outbox asks of the chat channel (Teams, through the bot). */
export interface CardChannel<Card> {
  /** Posts a card in the person's personal chat, opening that chat first if there is none yet. */
  post(link: TeamsUserLink, card: Card): Promise<SentCard>;
  /** Replaces a card already posted. */
  update(link: TeamsUserLink, sent: SentCard, card: Card): Promise<void>;
}

/** Draws a person's card about a task from its context; `view.kind` 'offered' asks them to answer. */
export type RenderCard<Card> = (
  context: CardContext,
  userId: UserId,
  now: Instant,
) => { readonly view: { readonly kind: string }; readonly card: Card };

/** What a failed send means for the next try. */
export type SendFailure =
  | { readonly kind: 'retry'; readonly afterMs: number }
  | { readonly kind: 'give-up'; readonly why: string };

/** The channel's rules for sending: its rate limits, and what to do after a failure. */
export interface SendPolicy {
  /** Messages per second, per conversation and per tenant. */
  readonly limits: { readonly perConversation: number; readonly perTenant: number };
  decide(error: unknown, attempt: number, random: () => number): SendFailure;
  /** The channel's status in the error, if it answered. */
  status(error: unknown): number | undefined;
  /** Why a send failed, in one short line (never a stack). */
  cause(error: unknown): string;
}

/** The log lines the outbox writes (pino's shape). */
export interface OutboxLog {
  error(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

/** How long one instance draws a tenant's cards before it must renew its lease. */
const LEASE_MS = 15_000;
/**
 * A card for someone whose chat is on its way (the app is being installed for them) is
 * looked at again this often, this many times, unless Teams tells of the chat sooner.
 */
export const CHAT_WAIT_MS = 15_000;
export const CHAT_WAIT_TRIES = 8;
/** How often a drain also reads the due outbox rows of earlier versions (see legacyLook). */
const LEGACY_LOOK_MS = 3_600_000;
/** The least time between two drains of a tenant's outbox. */
const DRAIN_GAP_MS = 100;
/** How often a quiet tenant's outbox is listed anyway (for what another instance left to retry). */
export const FULL_DRAIN_EVERY_MS = 600_000;
/**
 * How many tenants' outboxes a sweep drains at once (cards, callbacks). All at once, each
 * drain holds a connection: at 10,000 tenants the process ran out of file descriptors.
 */
export const DRAIN_TENANTS_AT_ONCE = 16;

export interface CardOutboxOptions<Card> {
  readonly deps: AppDeps;
  readonly channel: CardChannel<Card>;
  readonly render: RenderCard<Card>;
  readonly policy: SendPolicy;
  readonly log: OutboxLog;
  readonly random?: () => number;
  /** Overrides the policy's rate limits (tests). */
  readonly limits?: { readonly perConversation: number; readonly perTenant: number };
  readonly drainGapMs?: number;
  /** Waits out the gap between drains (tests hold it to see what waits for it). */
  readonly pause?: (ms: number) => Promise<unknown>;
  readonly leaseMs?: number;
  readonly fullDrainEveryMs?: number;
  /**
   * Reaches people the bot knows no chat of (installs the app for them through Graph);
   * absent, their cards are dropped with a warning.
   */
  readonly reach?: { reach(tenantId: TenantId, userIds: readonly UserId[]): Promise<void> };
  /** Each card sent, retried or given up (with the channel's status when it failed). */
  readonly onSend?: (outcome: 'sent' | 'retry' | 'given-up', status: number | undefined) => void;
}

type Gate = () => Promise<void>;

/**
 * The card outbox's drain: draws the cards waiting in the outbox into people's chats,
 * through a channel and a renderer it is given (the bot passes Teams'). One instance at a time draws
 * a tenant's cards (a lease, renewed every few seconds while there is work, left to run
 * out while the tenant is quiet), so no card is drawn twice and no entry needs a claim of
 * its own. Each is drawn from the current task state and posted or updated within Teams'
 * rate limits; then everything a drain drew is marked drawn in one transaction under the
 * entries' ETags, so an entry a newer step marked meanwhile is drawn again. Drains of a
 * tenant are at least {@link DRAIN_GAP_MS} apart: the steps of one moment share a drain.
 * Failures stay due with their next attempt time, so a restart resumes them; a crashed
 * instance's lease runs out.
 */
export class CardOutbox<Card> {
  private readonly runs = new CoalescedRuns<TenantId>((tenantId) =>
    // A drain serves every step, whether or not the one that set it off was a retry.
    readingCached(async () => {
      let drew = true;
      try {
        drew = await this.drain(tenantId);
      } catch (error) {
        this.options.log.error({ err: error, tenantId }, 'card outbox drain failed');
      }
      // Marks arriving now join the one drain after this pause. A drain that found the
      // tenant quiet (or drawn by another instance) pauses not: a sweep's drain of 10,000
      // quiet tenants took a minute of pauses, 16 tenants at a time (measured).
      if (drew) await (this.options.pause ?? sleep)(this.options.drainGapMs ?? DRAIN_GAP_MS);
    }),
  );
  private readonly conversationGates = new Map<string, Gate>();
  private readonly tenantGates = new Map<TenantId, Gate>();
  private readonly lease: TenantLease;
  /** Per tenant, when this process last read its outbox rows of earlier versions. */
  private readonly legacyReadAt = new Map<TenantId, number>();
  /**
   * Per tenant, the routing rows' version when a drain left nothing due or found another
   * instance drawing, and when.
   */
  private readonly quiet = new Map<TenantId, { readonly version: number; readonly at: number }>();
  /** Set by stop(): no new drain or card starts, and nobody waits for a send in flight. */
  private stopping = false;
  private markStopped!: () => void;
  private readonly stopped = new Promise<void>((resolve) => (this.markStopped = resolve));
  /** Cards being sent now (their outbox rows stay due until marked). */
  private inFlight = 0;

  constructor(private readonly options: CardOutboxOptions<Card>) {
    const { stores } = options.deps;
    this.lease = instanceLease(stores, 'cards', options.leaseMs ?? LEASE_MS);
    // A card marked outside a step moves no routing row: the drain must not take it for quiet.
    stores.cardMarks.subscribe((tenantId) => {
      this.quiet.delete(tenantId);
      void this.kick(tenantId);
    });
  }

  /**
   * Drains a tenant's outbox soon (runs are coalesced per tenant). Resolves when that drain
   * is done, or at once when the sender stops (a send in flight is then abandoned: its row
   * stays due, for this instance after a restart or for another once the lease runs out).
   */
  kick(tenantId: TenantId): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return Promise.race([this.runs.run(tenantId), this.stopped]);
  }

  /**
   * A person's chat just became known (Teams told the bot of it): their cards that wait
   * for it go out now, not at their next attempt.
   */
  async chatKnown(tenantId: TenantId, userId: UserId): Promise<void> {
    const { stores } = this.options.deps;
    const shards = await stores.routingShards(tenantId);
    const waiting = (await stores.cards.outbox.due(tenantId, false, shards)).filter(
      (card) => card.userId === userId && card.notBefore !== null,
    );
    for (const card of waiting)
      await stores
        .commit(stores.cards.outbox.retryOps(card, { attempts: card.attempts, notBefore: null }))
        .catch((error: unknown) => {
          // Drawn meanwhile, or waiting again after a failed try: the drain has it either way.
          if (!(error instanceof ConflictError)) throw error;
        });
    // Those replaces move no routing row: the drain must not take the tenant for quiet.
    this.quiet.delete(tenantId);
    await this.kick(tenantId);
  }

  /** Drains every tenant's outbox, a few tenants at a time. */
  async drainAll(tenantIds: readonly TenantId[]): Promise<void> {
    const limit = pLimit(DRAIN_TENANTS_AT_ONCE);
    await Promise.all(tenantIds.map((t) => limit(() => this.kick(t))));
  }

  /**
   * Stops drawing without waiting for Teams. With no send in flight, the leases are given
   * back so other instances draw this one's tenants at once; with one in flight they are
   * left to run out, so nobody sends that card again while it may still arrive.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.markStopped();
    if (this.inFlight > 0) return;
    try {
      await this.lease.releaseAll();
    } catch (error) {
      this.options.log.warn(
        { err: error },
        'card leases not given back: other instances draw these tenants once they run out',
      );
    }
  }

  /**
   * One drain; says whether the pause should follow: it drew, or goes again (not when the
   * tenant was quiet, or drawn by another instance).
   */
  private async drain(tenantId: TenantId): Promise<boolean> {
    const { deps } = this.options;
    // Nothing was left due at the last drain, and no step marked a card since (a step's
    // marks move the routing rows' version; the sweep checked other instances' first): leave
    // even the lease be, so a quiet tenant costs no lease renewals. Now and then the outbox
    // is listed anyway, for what another instance left to retry (that moves no version).
    const version = deps.stores.seen('routing', tenantId);
    const quiet = this.quiet.get(tenantId);
    const fullEvery = this.options.fullDrainEveryMs ?? FULL_DRAIN_EVERY_MS;
    if (version !== undefined && quiet?.version === version) {
      if (performance.now() - quiet.at < fullEvery) return false;
      // The look now and then: one query (two when it also reads rows of earlier versions),
      // and the lease only if another instance left a card due.
      const shards = await deps.stores.routingShards(tenantId);
      const left = await deps.stores.cards.outbox.due(tenantId, this.legacyLook(tenantId), shards);
      if (left.length === 0) {
        this.quiet.set(tenantId, { version, at: performance.now() });
        return false;
      }
    }
    this.quiet.delete(tenantId);
    if (!(await this.lease.hold(tenantId))) {
      // Another instance draws this tenant's cards now (ours included, at its next sweep):
      // ask again once something changes here, or to see whether it still does.
      if (version !== undefined) this.quiet.set(tenantId, { version, at: performance.now() });
      return false;
    }
    const now = deps.clock.now();
    const shards = await deps.stores.routingShards(tenantId);
    const due = await deps.stores.cards.outbox.due(tenantId, this.legacyLook(tenantId), shards);
    const ready = due.filter((card) => card.notBefore === null || card.notBefore <= now);
    // In marking order, so a person's cards arrive in the order things happened.
    ready.sort((a, b) => a.markedAt - b.markedAt);
    const drawn: DueCard[] = [];
    for (const entry of ready) {
      if (this.stopping) break;
      await this.deliver(entry, now).then(
        (done) => done && drawn.push(entry),
        (error: unknown) => {
          // This card waits for the next drain; the others go on.
          const { taskId, userId } = entry;
          const cause = this.options.policy.cause(error);
          this.options.log.error(
            { tenantId, taskId, userId, cause },
            `card delivery failed: ${cause}`,
          );
        },
      );
    }
    if (this.stopping) return false;
    await this.markDrawn(tenantId, drawn);
    // A step that marked a card while this drain drew kept its mark (a row of its own): the
    // next drain draws it, after the pause (so steps coming all the time share drains).
    if (deps.stores.seen('routing', tenantId) !== version) {
      this.runs.repeat(tenantId);
      return true;
    }
    if (version !== undefined && drawn.length === due.length)
      this.quiet.set(tenantId, { version, at: performance.now() });
    return ready.length > 0;
  }

  /**
   * Whether this drain also reads the outbox rows of earlier versions (`out:`, kept drawn):
   * every one on a tenant's first drain in this process (rows from before `due` existed
   * lack it, and count as due), then the due ones once an hour, for what an instance of an
   * earlier version marked during a rolling upgrade.
   */
  private legacyLook(tenantId: TenantId): boolean | 'all' {
    const at = this.legacyReadAt.get(tenantId);
    if (at !== undefined && performance.now() - at < LEGACY_LOOK_MS) return false;
    this.legacyReadAt.set(tenantId, performance.now());
    return at === undefined ? 'all' : true;
  }

  /** Draws one card; says whether it is done with (drawn, or given up). */
  private async deliver(entry: DueCard, now: Instant): Promise<boolean> {
    this.inFlight++;
    try {
      if ((await this.draw(entry, now)) === 'waitForChat')
        return await this.waitForChat(entry, now);
      this.options.onSend?.('sent', undefined);
      return true;
    } catch (error) {
      if (this.stopping) return false; // abandoned: the row stays due as it is
      return this.failed(entry, error, now);
    } finally {
      this.inFlight--;
    }
  }

  /** Draws one card, or says it must wait for the person's chat. */
  private async draw(entry: CardOutboxEntry, now: Instant): Promise<'drawn' | 'waitForChat'> {
    const { deps, channel } = this.options;
    const { tenantId, taskId, userId } = entry;
    // Without a chat there is nothing to draw in: ask nothing else.
    const link = await deps.stores.teamsLinks.users.get(teamsUserKey(tenantId, userId));
    if (!link) {
      if (this.options.reach) {
        // The app is installed for them (in the background): the card waits for their chat.
        void this.options.reach.reach(tenantId, [userId]);
        return 'waitForChat';
      }
      this.options.log.warn({ tenantId, userId, taskId }, 'no Teams chat known for this person');
      return 'drawn';
    }
    const context = await loadCardContext(deps, tenantId, taskId, userId, entry);
    if (!context) return 'drawn'; // the task is gone: nothing to tell
    const { view, card } = this.options.render(context, userId, now);
    const existing = context.card;
    if (!existing && view.kind !== 'offered') return 'drawn'; // never had a card, nothing to ask now
    if (existing) {
      await this.gate(tenantId, existing.conversationId);
      await channel.update(link.value, existing, card);
      if (entry.note && entry.note !== existing.note)
        await deps.stores.cards.cards.upsert({ ...existing, note: entry.note });
      return 'drawn';
    }
    await this.gate(tenantId, link.value.conversationId ?? `new:${userId}`);
    const sent = await channel.post(link.value, card);
    await deps.stores.cards.cards.upsert({ tenantId, taskId, userId, ...sent, note: entry.note });
    if (link.value.conversationId !== sent.conversationId)
      await deps.stores.teamsLinks.users.upsert({
        ...link.value,
        conversationId: sent.conversationId,
      });
    return 'drawn';
  }

  /**
   * Takes the drawn cards' rows out of the outbox, a transaction per chunk: the marks it read
   * go (a step marking a card meanwhile wrote a mark of its own, which stays due), and rows
   * of earlier versions are marked drawn under their ETags. If one of them changed or went
   * meanwhile (a step marked an earlier version's row, retention purged the task) the
   * transaction fails as a whole: the rows still as read are taken out again.
   */
  private async markDrawn(tenantId: TenantId, drawn: readonly DueCard[]) {
    const { stores } = this.options.deps;
    const outbox = stores.cards.outbox;
    const shards = await stores.routingShards(tenantId);
    // A transaction per partition (marks lie in the shards of the steps that wrote them).
    const byPartition = new Map<string, OutboxRow[]>();
    for (const r of drawn.flatMap((card) => card.rows)) {
      const partition = partitionOf(outbox.drawnOp(r));
      byPartition.set(partition, [...(byPartition.get(partition) ?? []), r]);
    }
    const chunks = [...byPartition.values()].flatMap((rows) =>
      Array.from({ length: Math.ceil(rows.length / MAX_TRANSACTION_OPS) }, (_, i) =>
        rows.slice(i * MAX_TRANSACTION_OPS, (i + 1) * MAX_TRANSACTION_OPS),
      ),
    );
    for (let chunk of chunks) {
      for (let attempt = 1; chunk.length; attempt++) {
        try {
          await stores.commit(chunk.map((r) => outbox.drawnOp(r)));
          break;
        } catch (error) {
          if (!(error instanceof ConflictError) || attempt === 3) throw error;
          this.runs.repeat(tenantId);
          const legacy = chunk.some((r) => r.kind === 'legacy');
          const now = (await outbox.due(tenantId, legacy, shards)).flatMap((card) => card.rows);
          const asRead = new Set(now.map((r) => outbox.versionOf(r)));
          chunk = chunk.filter((r) => asRead.has(outbox.versionOf(r)));
        }
      }
    }
  }

  /**
   * A card whose person has no chat yet waits for it: looked at again every CHAT_WAIT_MS
   * (and at once when Teams tells of the chat: chatKnown), given up after CHAT_WAIT_TRIES.
   * Nothing failed, so the channel's retry policy has no say. Says whether it is done with.
   */
  private async waitForChat(entry: DueCard, now: Instant): Promise<boolean> {
    const { tenantId, taskId, userId } = entry;
    const attempts = entry.attempts + 1;
    if (attempts > CHAT_WAIT_TRIES) {
      this.options.log.warn(
        { tenantId, taskId, userId, attempts },
        'card given up: no Teams chat with this person came',
      );
      return true;
    }
    await this.retryLater(entry, { attempts, notBefore: (now + CHAT_WAIT_MS) as Instant });
    return false;
  }

  /**
   * Keeps a failed card for its next attempt, on each of its rows (a newer step's mark,
   * written meanwhile, has no backoff of its own and takes the card's when read with them).
   */
  private async retryLater(
    failed: DueCard,
    retry: Pick<CardOutboxEntry, 'attempts' | 'notBefore'>,
  ) {
    const { stores } = this.options.deps;
    try {
      await stores.commit(stores.cards.outbox.retryOps(failed, retry));
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      this.runs.repeat(failed.tenantId);
    }
  }

  /** Keeps a failed card for its next attempt; says whether it is given up instead. */
  private async failed(entry: DueCard, error: unknown, now: Instant): Promise<boolean> {
    const { log, policy } = this.options;
    const attempts = entry.attempts + 1;
    const decision = policy.decide(error, attempts, this.options.random ?? Math.random);
    const where = { tenantId: entry.tenantId, taskId: entry.taskId, userId: entry.userId };
    // One line per failure, with its cause: a stack per retry says nothing new.
    const cause = policy.cause(error);
    this.options.onSend?.(decision.kind === 'give-up' ? 'given-up' : 'retry', policy.status(error));
    if (decision.kind === 'give-up') {
      log.error({ ...where, attempts, cause }, `card given up: ${decision.why} (${cause})`);
      return true;
    }
    log.warn(
      { ...where, attempts, cause, retryInMs: decision.afterMs },
      `card send failed, retrying: ${cause}`,
    );
    await this.retryLater(entry, { attempts, notBefore: (now + decision.afterMs) as Instant });
    return false;
  }

  /** Waits for a slot under both of Teams' limits: this conversation's and this tenant's. */
  private async gate(tenantId: TenantId, conversationId: string) {
    const limits = this.options.limits ?? this.options.policy.limits;
    const gateOf = <K>(gates: Map<K, Gate>, key: K, limit: number) => {
      let gate = gates.get(key);
      if (!gate) {
        if (gates.size > 10_000) gates.clear();
        gate = pThrottle({ limit, interval: 1000 })(async () => {});
        gates.set(key, gate);
      }
      return gate;
    };
    await gateOf(this.conversationGates, conversationId, limits.perConversation)();
    await gateOf(this.tenantGates, tenantId, limits.perTenant)();
  }
}
