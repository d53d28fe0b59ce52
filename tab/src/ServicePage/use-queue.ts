import { useCallback, useEffect, useRef, useState } from 'react';
import type { Api } from '../api/api-client';
import { queuePageSchema, type QueuedTask } from '../api/schemas';

/** Tasks a page of the queue adds. */
export const QUEUE_PAGE = 50;
/** The most tasks one request gives (the API's limit): the head shown again after a change. */
const MOST_AT_ONCE = 200;

export interface QueuePages {
  /** The head of the queue as loaded so far, in serving order; undefined before the first answer. */
  readonly tasks: readonly QueuedTask[] | undefined;
  /** How many tasks wait in all. */
  readonly waiting: number;
  readonly hasMore: boolean;
  readonly error: unknown;
  readonly loading: boolean;
  /** Loads the head again, as long as shown (up to 200 tasks), after a change. */
  readonly reload: () => void;
  /** Adds the next page. */
  readonly more: () => void;
}

/**
 * A service's queue a page at a time: the first 50 tasks, then 50 more on request, each page
 * from where the one before ended. A change reloads the head as far as it was shown.
 */
export function useQueuePages(api: Api, base: string): QueuePages {
  const [tasks, setTasks] = useState<readonly QueuedTask[]>();
  const [next, setNext] = useState<string | null>(null);
  const [waiting, setWaiting] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const shown = useRef(QUEUE_PAGE);
  const latest = useRef(0);
  const fetchPage = useCallback(
    async (query: string, keep: readonly QueuedTask[]) => {
      const mine = ++latest.current;
      setLoading(true);
      try {
        const page = await api.get(`${base}/queue?${query}`, queuePageSchema);
        if (mine !== latest.current) return;
        const known = new Set(keep.map((t) => t.taskId));
        const all = [...keep, ...page.items.filter((t) => !known.has(t.taskId))];
        shown.current = Math.max(QUEUE_PAGE, all.length);
        setTasks(all);
        setNext(page.next);
        setWaiting(page.waiting);
        setError(null);
      } catch (err) {
        if (mine === latest.current) setError(err);
      } finally {
        if (mine === latest.current) setLoading(false);
      }
    },
    [api, base],
  );
  const reload = useCallback(
    () => void fetchPage(`top=${Math.min(MOST_AT_ONCE, shown.current)}`, []),
    [fetchPage],
  );
  useEffect(() => {
    shown.current = QUEUE_PAGE;
    reload();
  }, [reload]);
  const more = () => {
    if (next && tasks)
      void fetchPage(`top=${QUEUE_PAGE}&cursor=${encodeURIComponent(next)}`, tasks);
  };
  return { tasks, waiting, hasMore: next !== null, error, loading, reload, more };
}
