import { tenantKey } from '../../store/table-tenant-store.js';
import { markActiveMonth } from '../reporting/active-users.js';
import type { TenantId } from '../../domain/ids.js';
import type { Instant } from '../../domain/instant.js';
import { STALE_STAMP_MS, type Stores } from '../../store/stores.js';
import { ManualClock, type Clock } from '../clock.js';
import type { Dispatcher } from './dispatcher.js';
import { purgeExpiredTasks } from './retention.js';
import { keyShare } from '../../store/partition-cache.js';
import { foldTallies } from '../reporting/tally-folder.js';
import { foldStates } from '../reporting/state-folder.js';
import { CoalescedRuns } from '../coalesced-runs.js';

/** How often the tenant index's catch-up runs (one scan for all tenants). */
const HOURLY_MS = 3600 * 1000;
/**
 * How often each tenant's own jobs run: the retention purge, forgetting stopped instances'
 * stamps, the service index's catch-up. Retention is counted in days, so a purge up to six
 * hours after a task expires is on time, and an idle tenant's jobs cost little per second.
 */
export const TENANT_JOBS_EVERY_MS = 6 * 3600 * 1000;
/** The longest wait setTimeout takes (a due time further off is found by a later sweep). */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export interface TimerServiceOptions {
  readonly stores: Stores;
  readonly clock: Clock;
  readonly dispatcher: Dispatcher;
  /** How often the system clock sweeps (timers due in between fire at the next sweep). */
  readonly sweepEveryMs?: number;
  readonly onError?: (error: unknown) => void;
  /** Tells of tenants found missing from the tenant index and added (see TenantIndex.catchUp). */
  readonly onIndexed?: (count: number) => void;
  /** Runs after each sweep with every tenant (the bot's card outbox rides along). */
  readonly afterSweep?: (tenantIds: readonly TenantId[], now: Instant) => Promise<void>;
}

/**
 * A tenant's own jobs, every TENANT_JOBS_EVERY_MS: folding reporting's marked steps left
 * behind, the retention purge, forgetting the stamps of instances that stopped, and
 * catching the service index up.
 */
export async function tenantJobs(stores: Stores, tenantId: TenantId, now: Instant): Promise<void> {
  // Steps an instance marked and died before folding are counted before their tasks can go.
  await foldTallies(stores, tenantId);
  await foldStates(stores, tenantId);
  await purgeExpiredTasks(stores, tenantId, now);
  await stores.forgetStaleStamps(tenantId);
  const tenant = await stores.tenants.get(tenantKey(tenantId));
  // Someone Active since before this month began was Active in it too.
  if (tenant) await markActiveMonth(stores, tenant.value, now);
  const services = await stores.services.list(tenantId);
  await stores.serviceIndex.catchUp(
    tenantId,
    services.map((s) => s.value.id),
  );
}

/**
 * Durable timers: offer timeouts, ACW ends and RONA resets are times stored in the rows,
 * so after a crash or restart the next sweep fires everything that came due meanwhile.
 * The system clock sweeps periodically; a manual clock sweeps at every step it is moved.
 * The retention purge rides along, at most every six hours per tenant, and so does forgetting
 * the stamps of instances that stopped, and catching the tenant index up.
 */
export class TimerService {
  private interval: NodeJS.Timeout | undefined;
  /** A system clock's wake-up for the next timer due before the next periodic sweep. */
  private wake: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private sweeping: Promise<void> | undefined;
  private readonly lastPurge = new Map<TenantId, number>();
  private lastCatchUp = -Infinity;
  private catchUpTriedAt = -Infinity;

  constructor(private readonly options: TimerServiceOptions) {}

  start(): void {
    const { clock } = this.options;
    // A due time noted mid-sweep sets the wake-up at once, not after the whole sweep.
    this.unwatchDue = this.options.dispatcher.watchDue((at) => this.wakeAt(at));
    if (clock instanceof ManualClock) this.unsubscribe = clock.onAdvance((now) => this.sweep(now));
    else
      this.interval = setInterval(() => {
        // A sweep longer than the period is not followed by a growing line of sweeps: the
        // next tick after it sweeps (due timers wake on their own meanwhile).
        if (!this.inFlight) void this.sweep(clock.now());
      }, this.options.sweepEveryMs ?? 1000);
    void this.sweep(clock.now());
  }

  async stop(): Promise<void> {
    clearInterval(this.interval);
    clearTimeout(this.wake);
    this.unwatchDue?.();
    this.stopped = true;
    this.unsubscribe?.();
    await this.sweeping;
    await this.choring;
    await this.waking;
  }

  /**
   * One timer sweep at a time; a sweep asked for while one runs waits for it and runs after.
   * The sweep's chores (the catch-ups, tenants' own jobs, the outboxes' drains) run after
   * it, beside the sweeps that follow: however long they take, the next tick's sweep fires
   * the timers. (Measured with 10,000 tenants: a card drain of every tenant took a minute
   * after an instance started, and timers waited for it.) The promise settles when the
   * sweep and a run of the chores that began after it are done.
   */
  sweep(now: Instant): Promise<void> {
    const previous = this.sweeping ?? Promise.resolve();
    this.inFlight++;
    const timers = previous
      .then(() => this.sweepTimers(now))
      .then(() => this.wakeForNextDue())
      .finally(() => this.inFlight--);
    this.sweeping = timers.catch(() => undefined);
    const chores = timers.then(() => this.chores.run('chores'));
    this.choring = chores.catch(() => undefined);
    return chores;
  }

  /** The chores' runs: one at a time, and one more if a sweep asked meanwhile. */
  private readonly chores = new CoalescedRuns<'chores'>(() => this.choresOnce());
  private choring: Promise<void> | undefined;
  /** The tenants and time of the latest sweep, for the chores that follow it. */
  private latest: { tenants: readonly TenantId[]; now: Instant } | null = null;

  /** Timer sweeps running or waiting to (their chores not counted). */
  private inFlight = 0;

  private stopped = false;
  private waking: Promise<void> | undefined;
  private unwatchDue: (() => void) | undefined;
  /** When the wake-up set now falls due (clock time), if one is set. */
  private wakeSetFor: Instant | null = null;

  /**
   * With the system clock, wakes at the next timer's due time and fires the timers of just
   * the tenants due then: a timer fires within milliseconds of its due time, not up to a
   * sweep period (and a sweep's length) late.
   */
  private wakeForNextDue(): void {
    const { clock, dispatcher } = this.options;
    const next = dispatcher.nextDue(clock.now());
    if (next !== null) this.wakeAt(next);
  }

  /** Wakes at `at` (unless a wake-up as early is set). */
  private wakeAt(at: Instant): void {
    const { clock, dispatcher } = this.options;
    if (clock instanceof ManualClock || this.stopped) return;
    const now = clock.now();
    const inMs = at - now;
    // Whenever it falls due: a sweep that runs long (thousands of tenants) must not make it late.
    if (inMs <= 0 || inMs > MAX_TIMEOUT_MS) return;
    if (this.wakeSetFor !== null && this.wakeSetFor <= at && this.wakeSetFor > now) return;
    clearTimeout(this.wake);
    this.wakeSetFor = at;
    this.wake = setTimeout(
      () => {
        this.wakeSetFor = null;
        // Beside a periodic sweep under way, not after it (a long one would make it late):
        // a tenant's runs are one at a time anyway, and steps settle races by ETags.
        const due = clock.now();
        this.waking = this.reporting(() => dispatcher.sweep(dispatcher.dueBy(due), due)).then(() =>
          this.wakeForNextDue(),
        );
      },
      inMs + 1, // due by then, whatever the timer's rounding
    );
    this.wake.unref();
  }

  /**
   * One timer sweep: every tenant's due timers. Tenants missing from the tenant index join
   * it before this instance's first (the chores catch up hourly after that, and try again
   * at the next sweep after a failure).
   */
  private async sweepTimers(now: Instant): Promise<void> {
    const { stores, dispatcher } = this.options;
    if (this.latest === null) await this.catchUp(now);
    let tenants: TenantId[];
    try {
      tenants = await stores.tenantIndex.ids();
    } catch (error) {
      this.options.onError?.(error);
      return;
    }
    this.latest = { tenants, now };
    await this.reporting(() => dispatcher.sweep(tenants, now));
  }

  /**
   * The chores after a sweep. They fail apart: a failing catch-up, purge or card drain is
   * reported and tried again later, and never keeps the timers (or each other) from running.
   */
  private async choresOnce(): Promise<void> {
    const { stores } = this.options;
    if (!this.latest) return;
    const { tenants, now } = this.latest;
    if (now - this.lastCatchUp >= HOURLY_MS && this.catchUpTriedAt !== now) await this.catchUp(now);
    for (const tenantId of tenants) {
      if (this.stopped) return;
      const last = this.lastPurge.get(tenantId) ?? this.firstJobs(tenantId, now);
      if (now - last < TENANT_JOBS_EVERY_MS) continue;
      await this.reporting(async () => {
        await tenantJobs(stores, tenantId, now);
        this.lastPurge.set(tenantId, now);
      });
    }
    await this.reporting(async () => this.options.afterSweep?.(tenants, now));
  }

  /**
   * Tenants written before the index existed (or by an older instance during an upgrade)
   * join it: one scan of all tenancy rows.
   */
  private catchUp(now: Instant): Promise<void> {
    const { stores } = this.options;
    this.catchUpTriedAt = now;
    return this.reporting(async () => {
      const added = await stores.tenantIndex.catchUp(stores.tenants);
      await stores.tenantIndex.forgetStaleStamps(STALE_STAMP_MS);
      this.lastCatchUp = now;
      if (added) this.options.onIndexed?.(added);
    });
  }

  /**
   * For a tenant whose jobs this instance has not run yet: as if it had, a share of the
   * period ago (by the tenant's id), so the jobs of every tenant an instance starts with
   * come due spread over the period rather than all in its first sweep. Measured before:
   * with 10,000 tenants the first sweep ran 150,000 requests one tenant after another, and
   * held the timer sweep up for minutes.
   */
  private firstJobs(tenantId: TenantId, now: Instant): number {
    const last = now - TENANT_JOBS_EVERY_MS * keyShare(tenantId);
    this.lastPurge.set(tenantId, last);
    return last;
  }

  /** Runs one job of a sweep, reporting its failure instead of passing it on. */
  private async reporting(job: () => Promise<void>): Promise<void> {
    try {
      await job();
    } catch (error) {
      this.options.onError?.(error);
    }
  }
}
