import { useCallback, useEffect, useRef, useState } from 'react';
import type { z } from 'zod';
import type { Api } from './api-client';

/** The most items one request gives (the API's limit): the head shown again after a change. */
const MOST_AT_ONCE = 200;

export interface Pages<Item, Page> {
  /** Every item loaded so far, in the list's order; undefined before the first answer. */
  readonly items: readonly Item[] | undefined;
  /** The latest page as answered (what the list says besides its items). */
  readonly page: Page | undefined;
  readonly hasMore: boolean;
  readonly error: unknown;
  readonly loading: boolean;
  /** Loads the head again, as far as it was shown (up to 200 items), after a change. */
  readonly reload: () => void;
  /** Adds the next page. */
  readonly more: () => void;
}

/**
 * A long list a page at a time (`?top=&cursor=`): the first `size` items, then `size`
 * more on request, each page from where the one before ended. A change reloads the head
 * as far as it was shown, in one request. `itemsOf` and `keyOf` should not change from
 * render to render (module-level functions): a new one loads the list again.
 */
export function usePages<Item, Page extends { readonly next: string | null }>(options: {
  readonly api: Api;
  readonly path: string;
  readonly schema: z.ZodType<Page>;
  readonly size: number;
  readonly itemsOf: (page: Page) => readonly Item[];
  readonly keyOf: (item: Item) => string;
}): Pages<Item, Page> {
  const { api, path, schema, size, itemsOf, keyOf } = options;
  const [items, setItems] = useState<readonly Item[]>();
  const [page, setPage] = useState<Page>();
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const shown = useRef(size);
  const latest = useRef(0);
  const fetchPage = useCallback(
    async (query: string, keep: readonly Item[]) => {
      const mine = ++latest.current;
      setLoading(true);
      try {
        const answer = await api.get(`${path}?${query}`, schema);
        if (mine !== latest.current) return;
        const known = new Set(keep.map(keyOf));
        const fresh = itemsOf(answer).filter((i) => !known.has(keyOf(i)));
        const all = [...keep, ...fresh];
        shown.current = Math.max(size, all.length);
        setItems(all);
        setPage(answer);
        setError(null);
      } catch (err) {
        if (mine === latest.current) setError(err);
      } finally {
        if (mine === latest.current) setLoading(false);
      }
    },
    [api, path, schema, size, itemsOf, keyOf],
  );
  const reload = useCallback(
    () => void fetchPage(`top=${Math.min(MOST_AT_ONCE, shown.current)}`, []),
    [fetchPage],
  );
  useEffect(() => {
    shown.current = size;
    reload();
  }, [reload, size]);
  const next = page?.next ?? null;
  const more = () => {
    if (next && items) void fetchPage(`top=${size}&cursor=${encodeURIComponent(next)}`, items);
  };
  return { items, page, hasMore: next !== null, error, loading, reload, more };
}
