import { instantOf, type Instant } from '../domain/instant.js';

/** The only source of "now" for the app; core functions receive its value. */
export interface Clock {
  now(): Instant;
}

export const systemClock: Clock = { now: () => instantOf(Date.now()) };

type Listener = (now: Instant) => Promise<void> | void;

/**
 * A clock that moves only when told (`CLOCK=manual`), so tests can step through
 * offer timeouts, ACW and RONA. Listeners (the timer scheduler) run after each move.
 */
export class ManualClock implements Clock {
  private current: Instant;
  private readonly listeners = new Set<Listener>();

  constructor(start: Instant) {
    this.current = start;
  }

  now(): Instant {
    return this.current;
  }

  onAdvance(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async advance(ms: number): Promise<Instant> {
    if (!Number.isFinite(ms) || ms < 0)
      throw new RangeError('advance must be a non-negative number');
    this.current = instantOf(this.current + ms);
    for (const listener of this.listeners) await listener(this.current);
    return this.current;
  }
}
