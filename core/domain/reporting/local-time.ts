import { instantOf, type Instant } from '../instant.js';

/** A calendar day in a time zone, `YYYY-MM-DD`. */
export type LocalDate = string;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock fields of an instant in an IANA time zone (cached formatter per zone). */
function wallClock(at: Instant, timeZone: string) {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  const parts: Record<string, string> = {};
  for (const part of format.formatToParts(new Date(at))) parts[part.type] = part.value;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    hour: Number(parts.hour),
    // The same wall clock read as if it were UTC: its difference to `at` is the zone's offset.
    asUtc: Date.UTC(
      Number(parts.year),
      Number(parts.month) - 1,
      Number(parts.day),
      Number(parts.hour),
      Number(parts.minute),
      Number(parts.second),
    ),
  };
}

/** Whether a string names a time zone this runtime knows (IANA, e.g. `Europe/Zurich`). */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The day an instant falls on in a time zone. */
export const localDate = (at: Instant, timeZone: string): LocalDate => wallClock(at, timeZone).date;

/** The hour of the day (0–23) an instant falls in, in a time zone. */
export const localHour = (at: Instant, timeZone: string): number => wallClock(at, timeZone).hour;

/**
 * The instant a day begins in a time zone (its first moment: midnight, or the first hour
 * that exists where a clock change skips midnight).
 */
export function startOfDay(date: LocalDate, timeZone: string): Instant {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const midnightAsUtc = Date.UTC(year, month - 1, day);
  // The zone's offset near that midnight, found from a guess and corrected once for a
  // clock change between the guess and the answer.
  let at = midnightAsUtc - (wallClock(instantOf(midnightAsUtc), timeZone).asUtc - midnightAsUtc);
  at -= wallClock(instantOf(at), timeZone).asUtc - midnightAsUtc;
  // Where midnight does not exist that day, `at` lands in the day before: step to the day.
  while (localDate(instantOf(at), timeZone) < date) at += 3600_000;
  while (localDate(instantOf(at - 1), timeZone) === date) at -= 3600_000;
  return instantOf(at);
}

/** The day `days` after a day (before it, when negative): calendar arithmetic, no time zone. */
export function addDays(date: LocalDate, days: number): LocalDate {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** A span of time: from its first instant, up to but not including `to`. */
export interface Period {
  readonly from: Instant;
  readonly to: Instant;
}

/**
 * The last `days` days up to and including the day of `now`, in a time zone ("today" is
 * 1, "the last 7 days" 7): from the first moment of the first day to the end of today.
 * A day of a clock change is 23 or 25 hours long, as it is on the wall.
 */
export function lastDays(now: Instant, days: number, timeZone: string): Period {
  const today = localDate(now, timeZone);
  return {
    from: startOfDay(addDays(today, 1 - days), timeZone),
    to: startOfDay(addDays(today, 1), timeZone),
  };
}

/** A calendar month, `YYYY-MM`. */
export type LocalMonth = string;

/** The month an instant falls in, in a time zone. */
export const localMonth = (at: Instant, timeZone: string): LocalMonth =>
  localDate(at, timeZone).slice(0, 7);

/** The month `months` after (or, negative, before) another. */
export function addMonths(month: LocalMonth, months: number): LocalMonth {
  const [year = 0, number = 1] = month.split('-').map(Number);
  const index = year * 12 + (number - 1) + months;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}
