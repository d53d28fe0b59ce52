import { fromEveryShard } from '../../store/routing-rows.js';
import { createHmac } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pLimit from 'p-limit';
import type { TenantId } from '../../domain/ids.js';
import type { Instant } from '../../domain/instant.js';
import { ConflictError } from '../../store/conflict-error.js';
import type { CallbackEntry } from '../../store/callback-rows.js';
import type { Versioned } from '../../store/table-repository.js';
import type { AppDeps } from '../app-deps.js';
import { CoalescedRuns } from '../coalesced-runs.js';
import { DRAIN_TENANTS_AT_ONCE } from './card-outbox.js';
import { instanceLease, type TenantLease } from '../tenant-lease.js';

/** The channel will not send to this address at all (it turned out to be inside the network). */
export class CallbackRefused extends Error {
  override readonly name = 'CallbackRefused';
}

/**
 * Where events go: an HTTP POST (the bot passes fetch's). Resolves to the status; throws
 * {@link CallbackRefused} for an address it must not reach (given up at once).
 */
export interface CallbackChannel {
  post(url: string, body: string, headers: Readonly<Record<string, string>>): Promise<number>;
}

export interface CallbackLog {
  error(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface CallbackOutboxOptions {
  readonly deps: AppDeps;
  readonly channel: CallbackChannel;
  readonly log: CallbackLog;
  readonly random?: () => number;
  readonly leaseMs?: number;
  /** How often a quiet tenant's outbox is listed anyway (what another instance left). */
  readonly fullLookEveryMs?: number;
}

const LEASE_MS = 15_000;
const FULL_LOOK_EVERY_MS = 600_000;
const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 600_000;
/** How long an event is retried before it is given up. */
export const GIVE_UP_AFTER_MS = 24 * 3_600_000;

/** The secret's name among the tenant's (see TenantSecretStore). */
export const CALLBACK_SECRET = 'callbacks';

/**
 * The headers that let a receiver trust an event: its id (to drop a repeat), its type, the
 * time it was signed, and an HMAC-SHA256 of `{timestamp}.{body}` under the tenant's secret.
 */
export function signedHeaders(
  entry: Pick<CallbackEntry, 'id' | 'eventType' | 'body'>,
  secret: string,
  nowMs: number,
): Record<string, string> {
  const timestamp = String(Math.floor(nowMs / 1000));
  const signature = createHmac('sha256', secret).update(`${timestamp}.${entry.body}`).digest('hex');
  return {
    'content-type': 'application/json',
    'x-callback-id': entry.id,
    'x-callback-event': entry.eventType,
    'x-callback-timestamp': timestamp,
    'x-callback-signature': `sha256=${signature}`,
  };
}

/** What a failed attempt means: again after a while (full jitter, doubling), or never. */
export function nextAttempt(
  status: number | null,
  attempts: number,
  ageMs: number,
  random: () => number,
): { readonly retryInMs: number } | { readonly giveUp: string } {
  // A refusal, or a redirect (an address that moved is the sender's to fix), is final.
  if (status !== null && status < 500 && status !== 408 && status !== 429)
    return { giveUp: `the address answered ${status}` };
  if (ageMs >= GIVE_UP_AFTER_MS) return { giveUp: 'not taken within 24 hours' };
  const cap = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.min(attempts - 1, 20));
  return { retryInMs: Math.max(FIRST_RETRY_MS, Math.floor(random() * cap)) };
}

/**
 * Sends the task outcome events waiting in the callback outbox. One instance at a time per
 * tenant (a lease), so an event is not sent by two at once; each event is deleted once its
 * address answered 2xx, kept with its next attempt time otherwise, so a restart resumes it.
 * A task's events go in order: a later one waits while an earlier one is retried. The one
 * window: an instance dying between the answer and the delete sends that event again once
 * its lease runs out; the `x-callback-id` header lets the receiver drop the repeat.
 */
export class CallbackOutbox {
  private readonly runs = new CoalescedRuns<TenantId>((tenantId) =>
    this.drain(tenantId).catch((error: unknown) =>
      this.options.log.error({ err: error, tenantId }, 'callback outbox drain failed'),
    ),
  );
  private readonly lease: TenantLease;
  /** Tenants this instance wrote events for since their last look. */
  private readonly written = new Set<TenantId>();
  /** Per tenant, when the outbox was last listed, and when its earliest retry is due. */
  private readonly looked = new Map<TenantId, { readonly at: number; readonly retryAt: number }>();
  private stopping = false;
  private inFlight = 0;

  constructor(private readonly options: CallbackOutboxOptions) {
    const { stores } = options.deps;
    this.lease = instanceLease(stores, 'callbacks', options.leaseMs ?? LEASE_MS);
    stores.callbackWrites.subscribe((tenantId) => {
      this.written.add(tenantId);
      void this.kick(tenantId);
    });
  }

  kick(tenantId: TenantId): Promise<void> {
    return this.stopping ? Promise.resolve() : this.runs.run(tenantId);
  }

  /** Drains every tenant's callbacks, a few tenants at a time (see DRAIN_TENANTS_AT_ONCE). */
  async drainAll(tenantIds: readonly TenantId[]): Promise<void> {
    const limit = pLimit(DRAIN_TENANTS_AT_ONCE);
    await Promise.all(tenantIds.map((t) => limit(() => this.kick(t))));
  }

  /** Stops sending; leases are given back unless a send is in flight (then they run out). */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.inFlight > 0) return;
    await this.lease
      .releaseAll()
      .catch((error: unknown) =>
        this.options.log.warn(
          { err: error },
          'callback leases not given back: other instances send these tenants’ events once they run out',
        ),
      );
  }

  /**
   * Lists the tenant's outbox only when there may be something to send: events this
   * instance wrote, a retry come due, or a look now and then (at once after a start) for
   * what another instance left. A tenant without callbacks costs a query per look.
   */
  private async drain(tenantId: TenantId): Promise<void> {
    const { stores, clock } = this.options.deps;
    const now = clock.now();
    const last = this.looked.get(tenantId);
    const every = this.options.fullLookEveryMs ?? FULL_LOOK_EVERY_MS;
    const wrote = this.written.delete(tenantId);
    if (!wrote && last && now < last.retryAt && performance.now() - last.at < every) return;
    const shards = await stores.routingShards(tenantId);
    const waiting = await fromEveryShard(tenantId, shards, (p) => stores.callbacks.list(p));
    const look = (retryAt: number) => this.looked.set(tenantId, { at: performance.now(), retryAt });
    if (waiting.length === 0) return void look(Infinity);
    if (!(await this.lease.hold(tenantId)))
      return void look(now + (this.options.leaseMs ?? LEASE_MS));
    const secret = await stores.secrets.get(tenantId, CALLBACK_SECRET);
    const held = new Set<string>(); // tasks whose earlier event still waits
    let retryAt = Infinity;
    for (const entry of waiting) {
      if (this.stopping) return;
      const { taskId, notBefore } = entry.value;
      if (held.has(taskId)) continue;
      if (notBefore === null || notBefore <= now) {
        const next = await this.send(entry, secret, now);
        if (next === null) continue;
        retryAt = Math.min(retryAt, next);
      } else retryAt = Math.min(retryAt, notBefore);
      held.add(taskId);
    }
    look(retryAt);
  }

  /** One attempt; null when the event is done with (taken, or given up), else its retry time. */
  private async send(
    entry: Versioned<CallbackEntry>,
    secret: string,
    now: Instant,
  ): Promise<number | null> {
    const { channel, deps, log } = this.options;
    const e = entry.value;
    let status: number | null = null;
    let cause = '';
    let refused = false;
    this.inFlight++;
    try {
      status = await channel.post(e.url, e.body, signedHeaders(e, secret, deps.clock.now()));
      cause = `answered ${status}`;
    } catch (error) {
      cause = error instanceof Error ? error.message : String(error);
      refused = error instanceof CallbackRefused;
    } finally {
      this.inFlight--;
    }
    const where = { tenantId: e.tenantId, taskId: e.taskId, event: e.eventType, id: e.id };
    if (status !== null && status >= 200 && status < 300) return this.remove(entry);
    if (refused) {
      log.error({ ...where, cause }, `callback given up: ${cause}`);
      return this.remove(entry);
    }
    const attempts = e.attempts + 1;
    const next = nextAttempt(
      status,
      attempts,
      now - e.createdAt,
      this.options.random ?? Math.random,
    );
    if ('giveUp' in next) {
      log.error({ ...where, attempts, cause }, `callback given up: ${next.giveUp}`);
      return this.remove(entry);
    }
    log.warn({ ...where, attempts, cause, retryInMs: next.retryInMs }, 'callback failed, retrying');
    const retryAt = (now + next.retryInMs) as Instant;
    try {
      await deps.stores.callbacks.replace({ ...e, attempts, notBefore: retryAt }, entry.etag);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
    return retryAt;
  }

  private async remove(entry: Versioned<CallbackEntry>): Promise<null> {
    const { stores } = this.options.deps;
    try {
      await stores.callbacks.delete(stores.callbacks.keyOf(entry.value), entry.etag);
    } catch (error) {
      // Gone already (another holder after our lease ran out): nothing left to do.
      if (!(error instanceof ConflictError)) throw error;
    }
    return null;
  }
}
