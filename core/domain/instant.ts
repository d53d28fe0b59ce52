/** Milliseconds since the Unix epoch. Core never reads the clock: time is passed in. */
export type Instant = number & { readonly __instant: true };

export const instantOf = (ms: number): Instant => ms as Instant;

export const toIso = (at: Instant): string => new Date(at).toISOString();
