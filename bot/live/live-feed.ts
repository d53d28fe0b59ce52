import { CoalescedRuns } from '../../core/app/coalesced-runs.js';
import type { EventStream } from '../http/event-stream.js';
import type { TenantChanges } from './tenant-changes.js';

export interface LiveFeedOptions<T> {
  /** The event name of each new view. */
  readonly event: string;
  readonly tenantId: string;
  /** The view as it was when the request was checked; sent first. */
  readonly first: T;
  /** The view now. */
  readonly load: () => Promise<T>;
  /** What must differ for a new event (e.g. the view without its timestamp). */
  readonly fingerprint: (view: T) => string;
  readonly changes: TenantChanges;
  /** How often to look anyway: other instances' changes publish nothing here. */
  readonly pollMs: number;
  readonly onError: (error: unknown) => void;
}

/**
 * A live view: sends it at once, then again whenever it differs after a change of its
 * tenant (looked at once per burst of changes) or a poll, and after every move of a manual
 * clock (the client counts time from the server's `now`, which only moves then). Every tenant change is also
 * passed on as a `changed` event, so a page showing other data knows to fetch it again.
 */
export function liveFeed<T>(options: LiveFeedOptions<T>): EventStream {
  return async (sink, signal) => {
    let last = options.fingerprint(options.first);
    let clockMoved = false;
    sink.send(options.event, options.first);
    const refresh = new CoalescedRuns<'view'>(async () => {
      if (signal.aborted) return;
      const force = clockMoved;
      clockMoved = false;
      const view = await options.load();
      const print = options.fingerprint(view);
      if ((print === last && !force) || signal.aborted) return;
      last = print;
      sink.send(options.event, view);
    });
    const look = () => refresh.run('view').catch(options.onError);
    const unsubscribe = options.changes.subscribe(options.tenantId, (kind) => {
      if (kind === 'clock') clockMoved = true;
      sink.send('changed', {});
      void look();
    });
    const poll = setInterval(() => void look(), options.pollMs);
    try {
      await new Promise<void>((resolve) => {
        if (signal.aborted) resolve();
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
    } finally {
      clearInterval(poll);
      unsubscribe();
    }
  };
}
