import { useMemo } from 'react';
import type { Api } from '../api/api-client';
import { boardSchema, type BoardMember } from '../api/schemas';
import { usePages } from '../api/use-pages';

/** Members a page of the service's board adds (most services fit in one). */
export const MEMBERS_PAGE = 200;

const itemsOf = (board: { readonly members: readonly BoardMember[] }) => board.members;
const keyOf = (member: BoardMember) => member.userId;

/**
 * A service's members, 200 at a time (see usePages), as one board: what the latest page
 * says of the service, with every member loaded so far, by name.
 */
export function useBoardPages(api: Api, base: string) {
  const pages = usePages({
    api,
    path: `${base}/members`,
    schema: boardSchema,
    size: MEMBERS_PAGE,
    itemsOf,
    keyOf,
  });
  const { page, items } = pages;
  const data = useMemo(
    () =>
      page && items
        ? {
            ...page,
            members: [...items].sort((a, b) => a.displayName.localeCompare(b.displayName)),
          }
        : undefined,
    [page, items],
  );
  return { ...pages, data };
}
