import type { EdmType, FeedValue } from './feed-types.js';

/** A function `$filter` applies to a value: what it takes, what it gives, and how. */
interface ValueFunction {
  readonly takes: EdmType;
  readonly gives: EdmType;
  readonly apply: (value: never) => FeedValue;
}

const DAY_MS = 86_400_000;

const ofTime = (part: (d: Date) => number): ValueFunction => ({
  takes: 'Edm.DateTimeOffset',
  gives: 'Edm.Int64',
  apply: (ms: number) => part(new Date(ms)),
});

const ofText = (gives: EdmType, f: (s: string) => FeedValue): ValueFunction => ({
  takes: 'Edm.String',
  gives,
  apply: f,
});

/**
 * The value functions of OData v4 `$filter` that Power Query folds a date or text step
 * into: parts of a time (in UTC, as the feed's times are), its date, and text in one case
 * or trimmed, and its length.
 */
export const VALUE_FUNCTIONS: Readonly<Record<string, ValueFunction>> = {
  year: ofTime((d) => d.getUTCFullYear()),
  month: ofTime((d) => d.getUTCMonth() + 1),
  day: ofTime((d) => d.getUTCDate()),
  hour: ofTime((d) => d.getUTCHours()),
  minute: ofTime((d) => d.getUTCMinutes()),
  second: ofTime((d) => d.getUTCSeconds()),
  date: {
    takes: 'Edm.DateTimeOffset',
    gives: 'Edm.Date',
    apply: (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS,
  },
  tolower: ofText('Edm.String', (s) => s.toLowerCase()),
  toupper: ofText('Edm.String', (s) => s.toUpperCase()),
  trim: ofText('Edm.String', (s) => s.trim()),
  length: ofText('Edm.Int64', (s) => s.length),
};

/** A function's result for a value (null stays null). */
export const applied = (f: ValueFunction, value: FeedValue): FeedValue =>
  value === null ? null : (f.apply as (v: FeedValue) => FeedValue)(value);
