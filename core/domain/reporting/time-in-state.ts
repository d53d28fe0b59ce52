import type { ServiceId } from '../ids.js';
import type { Instant } from '../instant.js';
import { presenceAdmitted } from '../routing/presence.js';
import type { DistributionSettings } from '../service-settings.js';
import { BUCKET_MS, dayOf } from './tally.js';
import type { PersonState } from './user-states.js';

/*
 * Time Active and time available per person and service, counted as people's states
 * change: each stretch between two changes adds its time to the quarter hours it covers.
 * Kept per person, service and UTC day, by quarter, so a period in any time zone sums them.
 */

/** What a service asks of a person's own state (its settings at the time of counting). */
export interface ServiceRule {
  readonly serviceId: ServiceId;
  /** Skill-based services have no Active switch: their members count as Active. */
  readonly skillBased: boolean;
  readonly presence: DistributionSettings['presence'];
}

/** Milliseconds Active and available in each quarter of a day (by its number, 0–95). */
export type DayTimes = Readonly<Record<string, readonly [number, number]>>;

/** Times per service and UTC day (its first instant). */
export type StretchTimes = Map<ServiceId, Map<Instant, Record<string, [number, number]>>>;

/** Whether a person with this state counts as available in a service they are Active in. */
export const availableIn = (state: PersonState, rule: ServiceRule): boolean =>
  presenceAdmitted(state.presence, rule.presence) && state.engagement === null && !state.rona;

/** A switch of Active in a service, at a time. */
export interface ActiveSwitch {
  readonly at: Instant;
  readonly serviceId: ServiceId;
  readonly active: boolean;
}

/**
 * What a stretch [from, to) in one state adds, per service and UTC day and quarter, with
 * the Active switches within it applied in order (`active` as it stood at `from`); and
 * Active per service as it stands at `to`. Services without a rule (left since) add nothing.
 */
export function stretchTimes(
  from: Instant,
  to: Instant,
  state: PersonState,
  active: ReadonlyMap<ServiceId, boolean>,
  switches: readonly ActiveSwitch[],
  rules: readonly ServiceRule[],
): { times: StretchTimes; active: Map<ServiceId, boolean> } {
  const into: StretchTimes = new Map();
  const now = new Map(active);
  const inOrder = switches.filter((s) => s.at > from && s.at <= to).sort((a, b) => a.at - b.at);
  let at = from;
  const count = (until: Instant) => {
    for (const rule of rules) {
      const isActive = rule.skillBased || (now.get(rule.serviceId) ?? false);
      if (!isActive) continue;
      const available = availableIn(state, rule);
      addSpan(into, rule.serviceId, at, until, available);
    }
  };
  for (const s of inOrder) {
    count(s.at);
    at = s.at;
    now.set(s.serviceId, s.active);
  }
  count(to);
  return { times: into, active: now };
}

/** Adds a span Active (and, if so, available) to the quarters it covers. */
function addSpan(
  into: StretchTimes,
  serviceId: ServiceId,
  from: number,
  to: number,
  available: boolean,
): void {
  let days = into.get(serviceId);
  if (!days) into.set(serviceId, (days = new Map<Instant, Record<string, [number, number]>>()));
  for (let start = from; start < to;) {
    const quarter = Math.floor(start / BUCKET_MS) * BUCKET_MS;
    const end = Math.min(to, quarter + BUCKET_MS);
    const day = dayOf(quarter as Instant);
    let quarters = days.get(day);
    if (!quarters) days.set(day, (quarters = {}));
    const index = String((quarter - day) / BUCKET_MS);
    const was = quarters[index] ?? [0, 0];
    quarters[index] = [was[0] + (end - start), was[1] + (available ? end - start : 0)];
    start = end;
  }
}

/** Adds one day's times to another's. */
export function addDayTimes(
  a: DayTimes | undefined,
  b: DayTimes,
): Record<string, [number, number]> {
  const sum: Record<string, [number, number]> = {};
  for (const q in a) sum[q] = [a[q]![0], a[q]![1]];
  for (const q in b) {
    const was = sum[q] ?? [0, 0];
    sum[q] = [was[0] + b[q]![0], was[1] + b[q]![1]];
  }
  return sum;
}

/** Time Active and available within [from, to), from days' times by quarter. */
export function timeWithin(
  days: readonly { readonly day: Instant; readonly times: DayTimes }[],
  period: { readonly from: number; readonly to: number },
): { activeMs: number; availableMs: number } {
  let activeMs = 0;
  let availableMs = 0;
  for (const { day, times } of days)
    for (const q in times) {
      const start = day + Number(q) * BUCKET_MS;
      if (start < period.from || start >= period.to) continue;
      activeMs += times[q]![0];
      availableMs += times[q]![1];
    }
  return { activeMs, availableMs };
}

/** The UTC days a period touches, [first, last] (their first instants). */
export const daysTouched = (period: { readonly from: number; readonly to: number }) =>
  [dayOf(period.from as Instant), dayOf((period.to - 1) as Instant)] as const;
