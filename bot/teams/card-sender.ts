import pThrottle from 'p-throttle';
import type { Logger } from 'pino';
import type { AppDeps } from '../../core/app/app-deps.js';
import { CoalescedRuns } from '../../core/app/coalesced-runs.js';
import { loadCardContext } from '../../core/app/routing/card-context.js';
import type { TenantId } from '../../core/domain/ids.js';
import type { Instant } from '../../core/domain/instant.js';
import type { CardOutboxEntry } from '../../core/store/card-rows.js';
import { ConflictError } from '../../core/store/conflict-error.js';
import type { Versioned } from '../../core/store/table-repository.js';
import { teamsUserKey } from '../../core/store/teams-link-rows.js';
import { drawTaskCard } from './cards/task-card.js';
import { decideRetry, failedResponse, TEAMS_LIMITS } from './send-policy.js';
import type { TeamsChannel } from './teams-channel.js';

/** How long a sender holds a card it is drawing; a crashed sender's claim runs out then. */
const CLAIM_MS = 30_000;

export interface CardSenderOptions {
  readonly deps: AppDeps;
  readonly channel: TeamsChannel;
  readonly log: Logger;
  readonly random?: () => number;
  readonly limits?: { readonly perConversation: number; readonly perTenant: number };
}

type Gate = () => Promise<void>;

/**
 * Draws the cards waiting in the outbox into people's chats: claims each entry by ETag (so
 * two instances never draw one card twice), draws it from the current task state, posts
 * or updates it within Teams' rate limits, and deletes the entry. Failures stay in the
 * outbox with their next attempt time, so a restart resumes them.
 */
export class CardSender {
  private readonly runs = new CoalescedRuns<TenantId>(async (tenantId) => {
    try {
      await this.drain(tenantId);
    } catch (error) {
      this.options.log.error({ err: error, tenantId }, 'card outbox drain failed');
    }
  });
  private readonly conversationGates = new Map<string, Gate>();
  private readonly tenantGates = new Map<TenantId, Gate>();

  constructor(private readonly options: CardSenderOptions) {}

  /** Drains a tenant's outbox soon (runs are coalesced per tenant). */
  kick(tenantId: TenantId): Promise<void> {
    return this.runs.run(tenantId);
  }

  async drainAll(tenantIds: readonly TenantId[]): Promise<void> {
    await Promise.all(tenantIds.map((t) => this.kick(t)));
  }

  private async drain(tenantId: TenantId) {
    const { deps } = this.options;
    const now = deps.clock.now();
    const due = (await deps.stores.cards.outbox.list(tenantId)).filter(
      ({ value: e }) =>
        (e.claimUntil === null || e.claimUntil <= now) &&
        (e.notBefore === null || e.notBefore <= now),
    );
    // In marking order, so a person's cards arrive in the order things happened.
    due.sort((a, b) => a.value.markedAt - b.value.markedAt);
    for (const entry of due)
      await this.deliver(entry, now).catch((error: unknown) => {
        // This card waits for its claim to run out; the others go on.
        const { taskId, userId } = entry.value;
        this.options.log.error({ err: error, tenantId, taskId, userId }, 'card delivery failed');
      });
  }

  private async deliver(entry: Versioned<CardOutboxEntry>, now: Instant) {
    const { deps } = this.options;
    const outbox = deps.stores.cards.outbox;
    let claimed: Versioned<CardOutboxEntry>;
    try {
      claimed = await outbox.replace(
        { ...entry.value, claimUntil: (now + CLAIM_MS) as Instant },
        entry.etag,
      );
    } catch (error) {
      if (error instanceof ConflictError) return; // someone else has it, or it changed: next drain
      throw error;
    }
    try {
      await this.draw(claimed.value, now);
    } catch (error) {
      await this.failed(claimed, error, now);
      return;
    }
    await this.finish(claimed);
  }

  private async draw(entry: CardOutboxEntry, now: Instant) {
    const { deps, channel } = this.options;
    const { tenantId, taskId, userId } = entry;
    const context = await loadCardContext(deps, tenantId, taskId, userId);
    if (!context) return; // the task is gone: nothing to tell
    const { view, card } = drawTaskCard(context, userId, now);
    const existing = context.card;
    if (!existing && view.kind !== 'offered') return; // never had a card, nothing to ask now
    const link = await deps.stores.teamsLinks.users.get(teamsUserKey(tenantId, userId));
    if (!link) {
      this.options.log.warn({ tenantId, userId, taskId }, 'no Teams chat known for this person');
      return;
    }
    if (existing) {
      await this.gate(tenantId, existing.conversationId);
      await channel.update(link.value, existing, card);
      if (entry.note && entry.note !== existing.note)
        await deps.stores.cards.cards.upsert({ ...existing, note: entry.note });
      return;
    }
    await this.gate(tenantId, link.value.conversationId ?? `new:${userId}`);
    const sent = await channel.post(link.value, card);
    await deps.stores.cards.cards.upsert({ tenantId, taskId, userId, ...sent, note: entry.note });
    if (link.value.conversationId !== sent.conversationId)
      await deps.stores.teamsLinks.users.upsert({
        ...link.value,
        conversationId: sent.conversationId,
      });
  }

  /** Deletes a drawn (or given-up) entry; one a newer step marked meanwhile is given back instead. */
  private async finish(claimed: Versioned<CardOutboxEntry>) {
    const outbox = this.options.deps.stores.cards.outbox;
    try {
      await outbox.delete(outbox.keyOf(claimed.value), claimed.etag);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      await this.release(claimed.value, {});
      this.runs.repeat(claimed.value.tenantId);
    }
  }

  /** Gives an entry back unclaimed (with its next attempt, after a failure), as it is now. */
  private async release(
    entry: CardOutboxEntry,
    retry: Partial<Pick<CardOutboxEntry, 'attempts' | 'notBefore'>>,
  ) {
    const outbox = this.options.deps.stores.cards.outbox;
    const current = await outbox.get(outbox.keyOf(entry));
    if (!current) return;
    await outbox.replace({ ...current.value, ...retry, claimUntil: null }, current.etag);
  }

  private async failed(claimed: Versioned<CardOutboxEntry>, error: unknown, now: Instant) {
    const { log } = this.options;
    const entry = claimed.value;
    const attempts = entry.attempts + 1;
    const decision = decideRetry(
      failedResponse(error),
      attempts,
      this.options.random ?? Math.random,
    );
    const where = { tenantId: entry.tenantId, taskId: entry.taskId, userId: entry.userId };
    if (decision.kind === 'give-up') {
      log.error({ err: error, ...where, attempts }, `card given up: ${decision.why}`);
      await this.finish(claimed);
      return;
    }
    log.warn({ err: error, ...where, attempts, retryInMs: decision.afterMs }, 'card send failed');
    await this.release(entry, { attempts, notBefore: (now + decision.afterMs) as Instant });
  }

  /** Waits for a slot under both of Teams' limits: this conversation's and this tenant's. */
  private async gate(tenantId: TenantId, conversationId: string) {
    const limits = this.options.limits ?? TEAMS_LIMITS;
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
