import type { ServiceId, TaskId, UserId } from '../ids.js';
import type { Instant } from '../instant.js';
import type { Modality, QueueExit } from '../routing/task.js';
import type { TaskPriority } from '../service-settings.js';
import type { WithdrawalCause } from '../routing/stale-offers.js';
import { nearestRank } from '../percentile.js';
import { localHour, type Period } from './local-time.js';

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

/** A task's history: its steps in the order they happened (the first says what it is). */
export interface TaskHistory {
  readonly taskId: TaskId;
  readonly serviceId: ServiceId;
  readonly steps: readonly TaskStep[];
}

/** What a task's steps add up to (the facts the KPIs count). */
export interface TaskFacts {
  /** When it entered the queue (null: no `created` step kept). */
  readonly queuedAt: Instant | null;
  readonly acceptedAt: Instant | null;
  readonly acceptedBy: UserId | null;
  readonly completedAt: Instant | null;
  /** Canceled while it still waited (before anyone accepted it). */
  readonly abandonedAt: Instant | null;
  /** Each person's missed invitations (RONA), in order. */
  readonly missedBy: readonly UserId[];
  readonly withdrawn: number;
  /** Time in after-call work (ACW start to its end), if it ended. */
  readonly acwMs: number | null;
}

/** Folds a task's steps into its facts. */
export function factsOf(history: TaskHistory): TaskFacts {
  let queuedAt: Instant | null = null;
  let acceptedAt: Instant | null = null;
  let acceptedBy: UserId | null = null;
  let completedAt: Instant | null = null;
  let abandonedAt: Instant | null = null;
  let acwStartedAt: Instant | null = null;
  let acwMs: number | null = null;
  const missedBy: UserId[] = [];
  let withdrawn = 0;
  for (const step of history.steps)
    switch (step.kind) {
      case 'created':
        queuedAt ??= step.at;
        break;
      case 'accepted':
        acceptedAt ??= step.at;
        acceptedBy ??= step.by;
        break;
      case 'completed':
        completedAt ??= step.at;
        break;
      case 'canceled':
        if (acceptedAt === null) abandonedAt ??= step.at;
        break;
      case 'missed':
        missedBy.push(step.by);
        break;
      case 'withdrawn':
        withdrawn++;
        break;
      case 'acwStarted':
        acwStartedAt ??= step.at;
        break;
      case 'acwEnded':
        if (acwStartedAt !== null && acwMs === null) acwMs = step.at - acwStartedAt;
        break;
      case 'offered':
      case 'declined':
        break;
    }
  return {
    queuedAt,
    acceptedAt,
    acceptedBy,
    completedAt,
    abandonedAt,
    missedBy,
    withdrawn,
    acwMs,
  };
}

/** Average and 90th percentile of some durations (null when there are none). */
export interface Spread {
  readonly count: number;
  readonly averageMs: number | null;
  readonly p90Ms: number | null;
}

/** Average and 90th percentile (by nearest rank, see nearestRank) of some durations. */
export function spreadOf(values: readonly number[]): Spread {
  if (!values.length) return { count: 0, averageMs: null, p90Ms: null };
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((total, v) => total + v, 0);
  return { count: sorted.length, averageMs: sum / sorted.length, p90Ms: nearestRank(sorted, 0.9) };
}

/** Whether a task entered the queue within a period (a task counts on its arrival). */
const arrivedIn = (task: TaskFacts, period: Period): task is TaskFacts & { queuedAt: Instant } =>
  task.queuedAt !== null && task.queuedAt >= period.from && task.queuedAt < period.to;

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
  readonly perHour: readonly HourCounts[];
}

/**
 * The queue figures of the tasks that entered the queue in `period` (a task counts on the
 * day it arrived, whenever it ended: a call queued at 23:59 and answered at 00:01 is the
 * earlier day's), as of `now`, with the service level threshold in seconds, per hour of
 * the day in `timeZone`.
 */
export function queueKpis(
  tasks: readonly TaskFacts[],
  period: Period,
  options: { readonly now: Instant; readonly thresholdSec: number; readonly timeZone: string },
): QueueKpis {
  const thresholdMs = options.thresholdSec * 1000;
  const hours = Array.from({ length: 24 }, (_, hour) => ({
    hour,
    offered: 0,
    accepted: 0,
    abandoned: 0,
  }));
  const waits: number[] = [];
  const handles: number[] = [];
  const acws: number[] = [];
  let offered = 0;
  let accepted = 0;
  let abandoned = 0;
  let missed = 0;
  let withdrawn = 0;
  let decided = 0;
  let withinThreshold = 0;
  for (const task of tasks) {
    if (!arrivedIn(task, period)) continue;
    const { queuedAt } = task;
    const hour = hours[localHour(queuedAt, options.timeZone)]!;
    offered++;
    hour.offered++;
    missed += task.missedBy.length;
    withdrawn += task.withdrawn;
    if (task.acceptedAt !== null) {
      accepted++;
      hour.accepted++;
      const wait = task.acceptedAt - queuedAt;
      waits.push(wait);
      decided++;
      if (wait <= thresholdMs) withinThreshold++;
      if (task.completedAt !== null) handles.push(task.completedAt - task.acceptedAt);
    } else if (task.abandonedAt !== null) {
      abandoned++;
      hour.abandoned++;
      decided++;
    } else if (options.now - queuedAt > thresholdMs) decided++;
    if (task.acwMs !== null) acws.push(task.acwMs);
  }
  return {
    offered,
    accepted,
    abandoned,
    missed,
    withdrawn,
    wait: spreadOf(waits),
    handle: spreadOf(handles),
    acw: spreadOf(acws),
    serviceLevel: decided ? withinThreshold / decided : null,
    perHour: hours,
  };
}

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
export function personKpis(tasks: readonly TaskFacts[], period: Period): PersonKpis[] {
  const handles = new Map<UserId, number[]>();
  const accepted = new Map<UserId, number>();
  const missed = new Map<UserId, number>();
  for (const task of tasks) {
    if (!arrivedIn(task, period)) continue;
    for (const userId of task.missedBy) missed.set(userId, (missed.get(userId) ?? 0) + 1);
    if (task.acceptedBy !== null)
      accepted.set(task.acceptedBy, (accepted.get(task.acceptedBy) ?? 0) + 1);
    if (task.acceptedBy !== null && task.acceptedAt !== null && task.completedAt !== null) {
      const list = handles.get(task.acceptedBy) ?? [];
      list.push(task.completedAt - task.acceptedAt);
      handles.set(task.acceptedBy, list);
    }
  }
  const people = [...new Set([...accepted.keys(), ...missed.keys()])].sort();
  return people.map((userId) => {
    const handle = spreadOf(handles.get(userId) ?? []);
    return {
      userId,
      accepted: accepted.get(userId) ?? 0,
      handled: handle.count,
      handle,
      missed: missed.get(userId) ?? 0,
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
