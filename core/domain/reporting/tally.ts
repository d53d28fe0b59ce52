import type { UserId } from '../ids.js';
import { instantOf, type Instant } from '../instant.js';
import type { TaskStep } from './task-kpis.js';

/*
 * Reporting counts as it goes: each step of a task adds to the tally of the quarter hour
 * its task entered the queue in (a task counts on its arrival, whenever it ends). A
 * dashboard sums the quarters of its period, whatever the tenant's time zone: every zone's
 * midnight and hours fall on a quarter hour of UTC.
 */

/** The length of one tally bucket: a quarter hour, aligned on UTC. */
export const BUCKET_MS = 15 * 60_000;

/** The quarter hour an instant falls in (its first instant). */
export const bucketOf = (at: Instant): Instant => instantOf(Math.floor(at / BUCKET_MS) * BUCKET_MS);

/**
 * Durations counted in bins, with their exact total: `bins` maps a bin's upper bound in
 * seconds to how many durations fell in it. Bins are one second wide up to an hour (so a
 * service level threshold of whole seconds counts exactly), a minute wide up to a day,
 * an hour wide beyond.
 */
export interface Durations {
  readonly count: number;
  readonly totalMs: number;
  readonly bins: Readonly<Record<string, number>>;
}

export const NO_DURATIONS: Durations = { count: 0, totalMs: 0, bins: {} };

/** The bin a duration falls in: the upper bound, in seconds, of its width. */
export function binOf(ms: number): number {
  const sec = Math.max(0, Math.ceil(ms / 1000));
  if (sec <= 3600) return sec;
  if (sec <= 86_400) return Math.ceil(sec / 60) * 60;
  return Math.ceil(sec / 3600) * 3600;
}

/** Durations added up in place (summing thousands of quarters copies nothing per quarter). */
class DurationSum {
  count = 0;
  totalMs = 0;
  readonly bins: Record<string, number> = {};
  add(d: Durations): void {
    if (!d.count) return;
    this.count += d.count;
    this.totalMs += d.totalMs;
    for (const bin in d.bins) this.bins[bin] = (this.bins[bin] ?? 0) + d.bins[bin]!;
  }
  done(): Durations {
    return this.count
      ? { count: this.count, totalMs: this.totalMs, bins: this.bins }
      : NO_DURATIONS;
  }
}

/** Several durations' counts as one. */
export function sumDurations(all: Iterable<Durations>): Durations {
  const sum = new DurationSum();
  for (const d of all) sum.add(d);
  return sum.done();
}

export function durationsOf(...values: readonly number[]): Durations {
  const sum = new DurationSum();
  for (const ms of values) sum.add({ count: 1, totalMs: ms, bins: { [binOf(ms)]: 1 } });
  return sum.done();
}

/** The bins in ascending order, as [upper bound in seconds, count]. */
export const binsOf = (d: Durations): [number, number][] =>
  Object.entries(d.bins)
    .map(([bin, n]): [number, number] => [Number(bin), n])
    .sort((x, y) => x[0] - y[0]);

/** How many durations were at most `sec` seconds (exact for whole seconds up to an hour). */
export const countWithin = (d: Durations, sec: number): number =>
  binsOf(d).reduce((n, [bin, count]) => (bin <= sec ? n + count : n), 0);

/** How many durations fell in a band: above the band before, at most `upToSec` (null: no bound). */
export interface Band {
  readonly upToSec: number | null;
  readonly count: number;
}

/** The bands a wait-time chart shows, in seconds (a service level threshold joins them). */
export const WAIT_BANDS_SEC: readonly number[] = [10, 20, 30, 60, 120, 300, 600, 1800];

/**
 * Durations counted in bands with the given upper bounds in whole seconds (exact up to an
 * hour, where bins are a second wide), and the rest beyond the last bound.
 */
export function bandsOf(d: Durations, bounds: readonly number[]): Band[] {
  const sorted = [...new Set(bounds)].sort((a, b) => a - b);
  const counts = new Array<number>(sorted.length + 1).fill(0);
  for (const [bin, n] of binsOf(d)) {
    const i = sorted.findIndex((bound) => bin <= bound);
    counts[i < 0 ? sorted.length : i]! += n;
  }
  return counts.map((count, i) => ({ upToSec: sorted[i] ?? null, count }));
}

/** Average and 90th percentile of some durations (null when there are none). */
export interface Spread {
  readonly count: number;
  readonly averageMs: number | null;
  /** By nearest rank, as the upper bound of its bin (within a second below an hour). */
  readonly p90Ms: number | null;
}

export function spreadOf(d: Durations): Spread {
  if (!d.count) return { count: 0, averageMs: null, p90Ms: null };
  const rank = Math.ceil(0.9 * d.count);
  let seen = 0;
  let p90 = 0;
  for (const [bin, n] of binsOf(d)) {
    seen += n;
    p90 = bin;
    if (seen >= rank) break;
  }
  return { count: d.count, averageMs: d.totalMs / d.count, p90Ms: p90 * 1000 };
}

/** What one person's part in some tasks adds up to. */
export interface PersonTally {
  /** Tasks they accepted. */
  readonly accepted: number;
  /** Invitations to them that rang out unanswered. */
  readonly missed: number;
  /** Their accepted tasks' handle times (accept to complete): the count is those completed. */
  readonly handle: Durations;
}

/** What some tasks of a service (or of a tenant) add up to. */
export interface Tally {
  /** Tasks that entered the queue. */
  readonly offered: number;
  readonly accepted: number;
  /** Canceled before anyone accepted them. */
  readonly abandoned: number;
  readonly missed: number;
  readonly withdrawn: number;
  /** Queue entry to accept. */
  readonly wait: Durations;
  /** Accept to complete. */
  readonly handle: Durations;
  /** After-call work, start to end. */
  readonly acw: Durations;
  /** By person id. */
  readonly people: Readonly<Record<string, PersonTally>>;
}

export const NO_TALLY: Tally = {
  offered: 0,
  accepted: 0,
  abandoned: 0,
  missed: 0,
  withdrawn: 0,
  wait: NO_DURATIONS,
  handle: NO_DURATIONS,
  acw: NO_DURATIONS,
  people: {},
};

const NO_PERSON: PersonTally = { accepted: 0, missed: 0, handle: NO_DURATIONS };

/** Adds up tallies (people too, unless told to leave them out). */
export function sumTallies(tallies: Iterable<Tally>, withPeople = true): Tally {
  let offered = 0;
  let accepted = 0;
  let abandoned = 0;
  let missed = 0;
  let withdrawn = 0;
  const wait = new DurationSum();
  const handle = new DurationSum();
  const acw = new DurationSum();
  const people = new Map<string, { accepted: number; missed: number; handle: DurationSum }>();
  for (const t of tallies) {
    offered += t.offered;
    accepted += t.accepted;
    abandoned += t.abandoned;
    missed += t.missed;
    withdrawn += t.withdrawn;
    wait.add(t.wait);
    handle.add(t.handle);
    acw.add(t.acw);
    if (withPeople)
      for (const id in t.people) {
        const p = t.people[id]!;
        let sum = people.get(id);
        if (!sum) people.set(id, (sum = { accepted: 0, missed: 0, handle: new DurationSum() }));
        sum.accepted += p.accepted;
        sum.missed += p.missed;
        sum.handle.add(p.handle);
      }
  }
  return {
    offered,
    accepted,
    abandoned,
    missed,
    withdrawn,
    wait: wait.done(),
    handle: handle.done(),
    acw: acw.done(),
    people: Object.fromEntries(
      [...people].map(([id, p]) => [
        id,
        { accepted: p.accepted, missed: p.missed, handle: p.handle.done() },
      ]),
    ),
  };
}

export const addTallies = (a: Tally, b: Tally): Tally => sumTallies([a, b]);

/** How many tasks of a quarter hour entered the queue, were accepted, were abandoned. */
export interface QuarterCounts {
  readonly offered: number;
  readonly accepted: number;
  readonly abandoned: number;
}

/**
 * A tally of the tasks that entered the queue in one quarter hour, or in one UTC day: a
 * day's tally keeps its quarters' counts (by the quarter's number in the day, 0–95), so
 * its tasks still fall into the hours of any time zone.
 */
export interface BucketTally {
  readonly start: Instant;
  readonly tally: Tally;
  readonly quarters?: Readonly<Record<string, QuarterCounts>>;
}

/** The length of a UTC day, the span of the larger tallies. */
export const DAY_MS = 86_400_000;

/** The UTC day an instant falls in (its first instant). */
export const dayOf = (at: Instant): Instant => instantOf(Math.floor(at / DAY_MS) * DAY_MS);

/** How long a tally's span is: a quarter hour, or a day. */
export const spanOf = (bucket: BucketTally): number => (bucket.quarters ? DAY_MS : BUCKET_MS);

/** A day's tally with a quarter's added (the day of that quarter; none yet: an empty one). */
export function addToDay(day: BucketTally | undefined, quarter: BucketTally): BucketTally {
  const index = String((quarter.start - dayOf(quarter.start)) / BUCKET_MS);
  const quarters = { ...day?.quarters };
  const was = quarters[index] ?? { offered: 0, accepted: 0, abandoned: 0 };
  const { offered, accepted, abandoned } = quarter.tally;
  if (offered || accepted || abandoned)
    quarters[index] = {
      offered: was.offered + offered,
      accepted: was.accepted + accepted,
      abandoned: was.abandoned + abandoned,
    };
  return {
    start: dayOf(quarter.start),
    tally: addTallies(day?.tally ?? NO_TALLY, quarter.tally),
    quarters,
  };
}

/**
 * The tallies a period is read from: whole UTC days inside it as days, the rest as
 * quarters (a local day seldom begins at UTC midnight). Each as [from, to).
 */
export function spansOf(period: { readonly from: number; readonly to: number }): {
  days: [number, number] | null;
  quarters: [number, number][];
} {
  const firstDay = Math.ceil(period.from / DAY_MS) * DAY_MS;
  const lastDay = Math.floor(period.to / DAY_MS) * DAY_MS;
  if (firstDay >= lastDay) return { days: null, quarters: [[period.from, period.to]] };
  return {
    days: [firstDay, lastDay],
    quarters: [
      [period.from, firstDay],
      [lastDay, period.to],
    ].filter(([from, to]) => from! < to!) as [number, number][],
  };
}

/** What a step needs to know of its task: when it entered the queue, was accepted, ended. */
export interface TaskTimes {
  readonly enqueuedAt: Instant;
  readonly acceptedAt: Instant | null;
  readonly acceptedBy: UserId | null;
  readonly endedAt: Instant | null;
}

/** The kinds of step that add to a tally (the others only tell the story). */
export const TALLIED_STEPS: ReadonlySet<TaskStep['kind']> = new Set([
  'created',
  'accepted',
  'completed',
  'canceled',
  'missed',
  'withdrawn',
  'acwEnded',
]);

const person = (userId: UserId, part: Partial<PersonTally>) => ({
  [userId]: { ...NO_PERSON, ...part },
});

/**
 * What one step adds, in its task's arrival quarter (null: nothing). A task is accepted
 * once and ends once, so counting each step as it comes adds up to the task's whole story:
 * a cancel before any accept is an abandon; after-call work runs from the task's end.
 */
export function stepTally(step: TaskStep, task: TaskTimes): BucketTally | null {
  const tally = (part: Partial<Tally>): BucketTally => ({
    start: bucketOf(task.enqueuedAt),
    tally: { ...NO_TALLY, ...part },
  });
  switch (step.kind) {
    case 'created':
      return tally({ offered: 1 });
    case 'accepted':
      return tally({
        accepted: 1,
        wait: durationsOf(step.at - task.enqueuedAt),
        people: person(step.by, { accepted: 1 }),
      });
    case 'completed': {
      if (task.acceptedAt === null || task.acceptedBy === null) return null;
      const handle = durationsOf(step.at - task.acceptedAt);
      return tally({ handle, people: person(task.acceptedBy, { handle }) });
    }
    case 'canceled':
      return task.acceptedAt === null ? tally({ abandoned: 1 }) : null;
    case 'missed':
      return tally({ missed: 1, people: person(step.by, { missed: 1 }) });
    case 'withdrawn':
      return tally({ withdrawn: 1 });
    case 'acwEnded':
      return task.endedAt === null ? null : tally({ acw: durationsOf(step.at - task.endedAt) });
    case 'offered':
    case 'declined':
    case 'acwStarted':
      return null;
  }
}

/** The times a task's history tells (null: it has no `created` step). */
export function timesOf(steps: readonly TaskStep[]): TaskTimes | null {
  const created = steps.find((s) => s.kind === 'created');
  if (!created) return null;
  const accepted = steps.find((s) => s.kind === 'accepted');
  const ended = steps.find((s) => s.kind === 'completed' || s.kind === 'canceled');
  return {
    enqueuedAt: created.at,
    acceptedAt: accepted?.at ?? null,
    acceptedBy: accepted?.kind === 'accepted' ? accepted.by : null,
    endedAt: ended?.at ?? null,
  };
}

/** What a whole history adds up to, step by step (as reporting counted it as it went). */
export function historyTallies(steps: readonly TaskStep[]): BucketTally[] {
  const times = timesOf(steps);
  if (!times) return [];
  return steps.flatMap((step) => stepTally(step, times) ?? []);
}
