import type { Api } from '../api/api-client';
import { queuePageSchema, type QueuedTask } from '../api/schemas';
import { usePages } from '../api/use-pages';

/** Tasks a page of the queue adds. */
export const QUEUE_PAGE = 50;

const itemsOf = (page: { readonly items: readonly QueuedTask[] }) => page.items;
const keyOf = (task: QueuedTask) => task.taskId;

/** A service's queue in serving order, 50 tasks at a time (see usePages). */
export function useQueuePages(api: Api, base: string) {
  const pages = usePages({
    api,
    path: `${base}/queue`,
    schema: queuePageSchema,
    size: QUEUE_PAGE,
    itemsOf,
    keyOf,
  });
  return { ...pages, tasks: pages.items, waiting: pages.page?.waiting ?? 0 };
}
