/**
 * One read in flight that later callers share: a caller content with a read sent at or
 * after some time joins the one under way instead of sending another.
 */
export class SharedRead<T> {
  private current: { readonly startedAt: number; readonly done: Promise<T> } | null = null;

  /** The read under way, if it was sent at or after `notBefore` (performance.now()). */
  joinable(notBefore: number): Promise<T> | null {
    return this.current && this.current.startedAt >= notBefore ? this.current.done : null;
  }

  /** Whether a read is under way. */
  get busy(): boolean {
    return this.current !== null;
  }

  /** Sends a read (`startedAt` is when it was asked for) and keeps it as the one to join until it settles. */
  start(startedAt: number, read: () => Promise<T>): Promise<T> {
    const done = read();
    const entry = { startedAt, done };
    this.current = entry;
    void done
      .finally(() => {
        if (this.current === entry) this.current = null;
      })
      .catch(() => undefined);
    return done;
  }
}
