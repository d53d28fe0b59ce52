import { asUserId, type UserId } from '../ids.js';
import { instantOf, type Instant } from '../instant.js';
import type { Modality, QueueExit } from '../routing/task.js';
import type { TaskPriority } from '../service-settings.js';
import type { WithdrawalCause } from '../routing/stale-offers.js';
import { localHour, type Period } from './local-time.js';
import {
  BUCKET_MS,
  countWithin,
  spanOf,
  spreadOf,
  sumTallies,
  WAIT_BANDS_SEC,
  bandsOf,
  type Band,
  type BucketTally,
  type QuarterCounts,
  type Spread,
} from './tally.js';

export type { Band, Spread } from './tally.js';

/**
 * Why an invitation ended unanswered, beyond the person's own decline or ring-out: a
 * withdrawal's cause (left the service, presence, tenant paused), someone else took the
 * task (`taken`), or the task ended while it rang (`ended`).
 */
export type WithdrawnCause = WithdrawalCause | 'taken' | 'ended';

/** One step of a task as history keeps it (issue #21: every step, with its time and people). */
export type TaskStep =
  | {
      readonly kind: 'created';
      readonly at: Instant;
      readonly exit: QueueExit;
      readonly modality: Modality;
      readonly priority: TaskPriority;
    }
  | { readonly kind: 'offered'; readonly at: Instant; readonly to: readonly UserId[] }
  | { readonly kind: 'declined'; readonly at: Instant; readonly by: UserId }
  | { readonly kind: 'missed'; readonly at: Instant; readonly by: UserId }
  | {
      readonly kind: 'withdrawn';
      readonly at: Instant;
      readonly from: UserId;
      readonly cause: WithdrawnCause;
    }
  | { readonly kind: 'accepted'; readonly at: Instant; readonly by: UserId }
  | { readonly kind: 'completed'; readonly at: Instant }
  | { readonly kind: 'canceled'; readonly at: Instant }
  | { readonly kind: 'acwStarted'; readonly at: Instant; readonly by: UserId }
  | { readonly kind: 'acwEnded'; readonly at: Instant; readonly by: UserId };

/** Counts per hour of the day (0–23, in the tenant's time zone) by when tasks entered the queue. */
export interface HourCounts {
  readonly hour: number;
  readonly offered: number;
  readonly accepted: number;
  readonly abandoned: number;
}

/** A service's (or a tenant's) figures over a period. */
export interface QueueKpis {
  /** Tasks that entered the queue in the period. */
  readonly offered: number;
  readonly accepted: number;
  /** Canceled while waiting, before anyone accepted them (also before any invitation). */
  readonly abandoned: number;
  /** Invitations that rang out unanswered (RONA). */
  readonly missed: number;
  /** Invitations withdrawn before anyone answered. */
  readonly withdrawn: number;
  /** Queue entry to accept, of the tasks accepted. */
  readonly wait: Spread;
  /** Accept to complete. */
  readonly handle: Spread;
  readonly acw: Spread;
  /**
   * Share of the decided tasks accepted within the threshold: a task is decided once it is
   * accepted, abandoned, or has waited past the threshold (one still waiting within it
   * counts neither way yet). Null when none is decided.
   */
  readonly serviceLevel: number | null;
  /** The decided tasks the service level counts, and those of them accepted within the threshold. */
  readonly decided: number;
  readonly inTime: number;
  readonly perHour: readonly HourCounts[];
  /** The accepted tasks' waits in bands; the service level threshold is one of the bounds. */
  readonly waitBands: readonly Band[];
}

/**
 * The queue figures of the tasks that entered the queue in `period` (a task counts on the
 * day it arrived, whenever it ended: a call queued at 23:59 and answered at 00:01 is the
 * earlier day's), from the tallies of its quarter hours, as of `now`, with the service
 * level threshold in seconds, per hour of the day in `timeZone`. `waitingSince` holds
 * when each task nobody answered yet entered the queue: one waiting past the threshold
 * is decided (missed) before anyone answers it.
 */
export function queueKpis(
  buckets: readonly BucketTally[],
  period: Period,
  options: {
    readonly now: Instant;
    /** Null: figures of several services, each with its own threshold (see withServiceLevels). */
    readonly thresholdSec: number | null;
    readonly timeZone: string;
    readonly waitingSince?: readonly Instant[];
  },
): QueueKpis {
  const hours = Array.from({ length: 24 }, (_, hour) => ({
    hour,
    offered: 0,
    accepted: 0,
    abandoned: 0,
  }));
  const counted = inPeriod(buckets, period);
  const count = (at: number, tally: QuarterCounts) => {
    const hour = hours[localHour(instantOf(at), options.timeZone)]!;
    hour.offered += tally.offered;
    hour.accepted += tally.accepted;
    hour.abandoned += tally.abandoned;
  };
  for (const { start, tally, quarters } of counted)
    if (!quarters) count(start, tally);
    else for (const q in quarters) count(start + Number(q) * BUCKET_MS, quarters[q]!);
  const sum = sumTallies(
    counted.map((b) => b.tally),
    false,
  );
  const { thresholdSec } = options;
  const waitedPast =
    thresholdSec === null
      ? 0
      : (options.waitingSince ?? []).filter(
          (at) => at >= period.from && at < period.to && options.now - at > thresholdSec * 1000,
        ).length;
  const decided = thresholdSec === null ? 0 : sum.accepted + sum.abandoned + waitedPast;
  const inTime = thresholdSec === null ? 0 : countWithin(sum.wait, thresholdSec);
  return {
    offered: sum.offered,
    accepted: sum.accepted,
    abandoned: sum.abandoned,
    missed: sum.missed,
    withdrawn: sum.withdrawn,
    wait: spreadOf(sum.wait),
    handle: spreadOf(sum.handle),
    acw: spreadOf(sum.acw),
    serviceLevel: decided ? inTime / decided : null,
    decided,
    inTime,
    perHour: hours,
    waitBands: bandsOf(
      sum.wait,
      thresholdSec !== null && thresholdSec <= 3600
        ? [...WAIT_BANDS_SEC, thresholdSec]
        : WAIT_BANDS_SEC,
    ),
  };
}

/**
 * The figures of several services together (`all`, counted without a threshold) with their
 * service level: each service's decided tasks judged by its own threshold (`each`).
 */
export function withServiceLevels(all: QueueKpis, each: readonly QueueKpis[]): QueueKpis {
  const decided = each.reduce((n, k) => n + k.decided, 0);
  const inTime = each.reduce((n, k) => n + k.inTime, 0);
  return { ...all, decided, inTime, serviceLevel: decided ? inTime / decided : null };
}

/** The buckets of the tasks that entered the queue within a period (wholly inside it). */
const inPeriod = (buckets: readonly BucketTally[], period: Period) =>
  buckets.filter((b) => b.start >= period.from && b.start + spanOf(b) <= period.to);

/** One person's figures over a period (tasks by when they entered the queue, as above). */
export interface PersonKpis {
  readonly userId: UserId;
  /** Tasks this person accepted (completed or not yet). */
  readonly accepted: number;
  /** Tasks this person accepted and completed. */
  readonly handled: number;
  readonly handle: Spread;
  /** Invitations to this person that rang out unanswered. */
  readonly missed: number;
}

/** Each person's figures over a period, by person id. */
export function personKpis(buckets: readonly BucketTally[], period: Period): PersonKpis[] {
  const sum = sumTallies(inPeriod(buckets, period).map((b) => b.tally));
  return Object.keys(sum.people)
    .sort()
    .map((userId) => {
      const person = sum.people[userId]!;
      return {
        userId: asUserId(userId),
        accepted: person.accepted,
        handled: person.handle.count,
        handle: spreadOf(person.handle),
        missed: person.missed,
      };
    });
}

/** A stretch of a person's state: from `at` until the next change (or now). */
export interface StateChange {
  readonly at: Instant;
  readonly active: boolean;
  readonly available: boolean;
}

/**
 * How long a person was Active and how long available within a period, from their state
 * changes in time order (the state before the first change in the period is the last
 * change before it; a stretch still open runs to `now`, or to the period's end).
 */
export function timeInStates(
  changes: readonly StateChange[],
  period: Period,
  now: Instant,
): { readonly activeMs: number; readonly availableMs: number } {
  const end = Math.min(period.to, now);
  let activeMs = 0;
  let availableMs = 0;
  changes.forEach((change, i) => {
    const until = changes[i + 1]?.at ?? end;
    const from = Math.max(change.at, period.from);
    const to = Math.min(until, end);
    if (to <= from) return;
    if (change.active) activeMs += to - from;
    if (change.available) availableMs += to - from;
  });
  return { activeMs, availableMs };
}
