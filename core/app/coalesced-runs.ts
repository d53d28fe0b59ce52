/**
 * Runs one piece of work per key at a time in this process: asked again while it runs, it
 * runs once more afterwards (however often it was asked), and every caller waits for the
 * run that covers their request. An efficiency only: the storage ETags are the safety.
 */
export class CoalescedRuns<K> {
  private readonly running = new Map<K, Promise<void>>();
  private readonly again = new Set<K>();

  constructor(private readonly work: (key: K) => Promise<void>) {}

  run(key: K): Promise<void> {
    const current = this.running.get(key);
    if (current) {
      this.again.add(key);
      return current;
    }
    const run = this.loop(key).finally(() => this.running.delete(key));
    this.running.set(key, run);
    return run;
  }

  /** Asks for one more run after the current one (work found more to do). */
  repeat(key: K): void {
    this.again.add(key);
  }

  private async loop(key: K): Promise<void> {
    do {
      this.again.delete(key);
      await this.work(key);
    } while (this.again.has(key));
  }
}
