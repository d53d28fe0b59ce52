import type { TenantId } from '../domain/ids.js';
import type { TeamsUserLink } from '../store/teams-link-rows.js';
import type { AppDeps } from './app-deps.js';

const same = (a: TeamsUserLink, b: TeamsUserLink) =>
  a.teamsId === b.teamsId &&
  a.name === b.name &&
  a.serviceUrl === b.serviceUrl &&
  a.botId === b.botId &&
  a.conversationId === b.conversationId;

/**
 * Remembers how to reach people in Teams (from their activities and team rosters). A known
 * personal chat is kept when the new sighting has none; rows that did not change are not written.
 */
export async function rememberLinks(
  deps: AppDeps,
  tenantId: TenantId,
  links: readonly TeamsUserLink[],
): Promise<void> {
  if (!links.length) return;
  const store = deps.stores.teamsLinks.users;
  const known = new Map((await store.list(tenantId)).map((l) => [l.value.userId, l.value]));
  for (const link of links) {
    const before = known.get(link.userId);
    const next = { ...link, conversationId: link.conversationId ?? before?.conversationId ?? null };
    if (!before || !same(before, next)) await store.upsert(next);
  }
}
