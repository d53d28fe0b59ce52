import type { TeamsUserLink } from '../domain/teams-link.js';
import { z } from 'zod';
import { asTenantId, asUserId, type TenantId, type UserId } from '../domain/ids.js';
import { TableRepository, type EntityMapping, type TableKey } from './table-repository.js';
import type { TableStorage } from './table-storage.js';

/** How the bot reaches people in Teams, per tenant: learned from activities and team rosters. */
export const TEAMS_LINKS_TABLE = 'TeamsLinks';

export const teamsUserKey = (tenantId: TenantId, userId: UserId): TableKey => ({
  partitionKey: tenantId,
  rowKey: `user:${userId}`,
});

const userLinkRow = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  teamsId: z.string(),
  name: z.string(),
  serviceUrl: z.string(),
  botId: z.string(),
  conversationId: z.string().nullish(),
});

const userLinkMapping: EntityMapping<TeamsUserLink> = {
  table: TEAMS_LINKS_TABLE,
  rowPrefix: 'user:',
  cached: true,
  keyOf: (l) => teamsUserKey(l.tenantId, l.userId),
  toEntity: (l) => ({
    teamsId: l.teamsId,
    name: l.name,
    serviceUrl: l.serviceUrl,
    botId: l.botId,
    conversationId: l.conversationId,
  }),
  fromEntity: (entity) => {
    const r = userLinkRow.parse(entity);
    return {
      tenantId: asTenantId(r.partitionKey),
      userId: asUserId(r.rowKey.slice('user:'.length)),
      teamsId: r.teamsId,
      name: r.name,
      serviceUrl: r.serviceUrl,
      botId: r.botId,
      conversationId: r.conversationId ?? null,
    };
  },
};

export function createTeamsLinkStores(storage: TableStorage) {
  return { users: new TableRepository(storage, userLinkMapping) };
}

export type TeamsLinkStores = ReturnType<typeof createTeamsLinkStores>;
