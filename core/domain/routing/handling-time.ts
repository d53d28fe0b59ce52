import { spreadOf, sumDurations, type Durations } from '../reporting/tally.js';

/** Completed tasks a service's usual handling time is taken from: the latest days holding this many. */
export const HANDLING_SAMPLE = 100;
/** How far back those days may go. */
export const HANDLING_DAYS = 30;
/** Fewer completed tasks than this say nothing usual yet. */
export const MIN_HANDLING_SAMPLES = 5;
/** What counts as usual until a service has its own history: an hour. */
export const DEFAULT_USUAL_HANDLING_MS = 3600_000;

/**
 * How long a service's tasks usually stay in hand (accepted to completed): the time within
 * which nine in ten of its latest completed tasks were done, so "longer than usual" picks
 * out the rare ones that stall. Given each day's handling times (reporting's tallies,
 * newest day first), it takes whole days from the newest until they hold
 * {@link HANDLING_SAMPLE} tasks; an hour until there are enough of them. The time is the
 * upper bound of its tally bin (within a second below an hour), as the dashboard's p90.
 */
export function usualHandlingMs(newestFirst: Iterable<Durations>): number {
  const days: Durations[] = [];
  let count = 0;
  for (const day of newestFirst) {
    if (count >= HANDLING_SAMPLE) break;
    days.push(day);
    count += day.count;
  }
  if (count < MIN_HANDLING_SAMPLES) return DEFAULT_USUAL_HANDLING_MS;
  return spreadOf(sumDurations(days)).p90Ms ?? DEFAULT_USUAL_HANDLING_MS;
}

/** A task in hand for longer than its service usually takes. */
export const longerThanUsual = (acceptedAt: number, now: number, usualMs: number): boolean =>
  now - acceptedAt > usualMs;
