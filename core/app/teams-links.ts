import type { TenantId, UserId } from '../domain/ids.js';
import { ConflictError } from '../store/conflict-error.js';
import { teamsUserKey } from '../store/teams-link-rows.js';
import { type TeamsUserLink } from '../domain/teams-link.js';
import type { AppDeps } from './app-deps.js';

const same = (a: TeamsUserLink, b: TeamsUserLink) =>
  a.teamsId === b.teamsId &&
  a.name === b.name &&
  a.serviceUrl === b.serviceUrl &&
  a.botId === b.botId &&
  a.conversationId === b.conversationId;

/**
 * Remembers how to reach people in Teams (from their activities and team rosters). What a
 * new sighting does not tell (a personal chat, a name) is kept from before; rows that did
 * not change are not written.
 */
export async function rememberLinks(
  deps: AppDeps,
  tenantId: TenantId,
  links: readonly TeamsUserLink[],
): Promise<void> {
  const store = deps.stores.teamsLinks.users;
  for (const link of links) {
    const before = (await store.get(teamsUserKey(tenantId, link.userId)))?.value;
    const next = {
      ...link,
      name: link.name || before?.name || '',
      conversationId: link.conversationId ?? before?.conversationId ?? null,
    };
    if (!before || !same(before, next)) await store.upsert(next);
  }
}

/**
 * Forgets how to reach a person who removed the app from their personal scope: their chat
 * is gone. Their next card asks for the app again (through Graph, when configured) instead
 * of failing against a chat that no longer takes messages.
 */
export async function forgetChat(deps: AppDeps, tenantId: TenantId, userId: UserId): Promise<void> {
  const store = deps.stores.teamsLinks.users;
  const row = await store.get(teamsUserKey(tenantId, userId));
  if (!row) return;
  try {
    await store.delete(teamsUserKey(tenantId, userId), row.etag);
  } catch (error) {
    // Seen again meanwhile (Teams told of a new chat): that sighting stands.
    if (!(error instanceof ConflictError)) throw error;
  }
}
