import { nearestRank } from '../percentile.js';

/** Completed tasks a service's usual handling time is taken from: the latest ones. */
export const HANDLING_SAMPLE = 100;
/** Fewer completed tasks than this say nothing usual yet. */
export const MIN_HANDLING_SAMPLES = 5;
/** What counts as usual until a service has its own history: an hour. */
export const DEFAULT_USUAL_HANDLING_MS = 3600_000;

export interface HandledTask {
  readonly acceptedAt: number;
  readonly endedAt: number;
}

/**
 * How long a service's tasks usually stay in hand (accepted to completed): the time within
 * which nine in ten of its latest completed tasks were done, so "longer than usual" picks
 * out the rare ones that stall. An hour until there are enough of them.
 */
export function usualHandlingMs(handled: readonly HandledTask[]): number {
  const latest = [...handled]
    .sort((a, b) => b.endedAt - a.endedAt)
    .slice(0, HANDLING_SAMPLE)
    .map((t) => Math.max(0, t.endedAt - t.acceptedAt))
    .sort((a, b) => a - b);
  if (latest.length < MIN_HANDLING_SAMPLES) return DEFAULT_USUAL_HANDLING_MS;
  return nearestRank(latest, 0.9) ?? DEFAULT_USUAL_HANDLING_MS;
}

/** A task in hand for longer than its service usually takes. */
export const longerThanUsual = (acceptedAt: number, now: number, usualMs: number): boolean =>
  now - acceptedAt > usualMs;
