import { z } from 'zod';
import type { TeamRosterGraph, TeamRosterMember } from '../../core/app/team-roster-sync.js';
import { asUserId, isValidId } from '../../core/domain/ids.js';
import type { GraphClient } from './graph-client.js';

/** A member of a team as Graph lists them (conversationMember; people are aadUserConversationMember). */
const member = z
  .object({
    '@odata.type': z.string().optional(),
    userId: z.string().nullish(),
    displayName: z.string().nullish(),
    roles: z.array(z.string()).nullish(),
    tenantId: z.string().nullish(),
  })
  .loose();

/** Team rosters from Microsoft Graph, as it documents them (`/teams/{id}/members`, paged). */
export function rosterGraph(client: GraphClient): TeamRosterGraph {
  return {
    async members(tenantId, groupId) {
      const items = await client.all(
        tenantId,
        `/teams/${encodeURIComponent(groupId)}/members`,
        'TeamMember.Read.All',
      );
      return items.flatMap((item): TeamRosterMember[] => {
        const m = member.safeParse(item);
        if (!m.success || !m.data.userId || !isValidId(m.data.userId)) return [];
        if (
          m.data['@odata.type'] &&
          m.data['@odata.type'] !== '#microsoft.graph.aadUserConversationMember'
        )
          return [];
        const roles = (m.data.roles ?? []).map((r) => r.toLowerCase());
        return [
          {
            userId: asUserId(m.data.userId),
            name: m.data.displayName ?? m.data.userId,
            teamOwner: roles.includes('owner'),
            // Guests, and people of another tenant (shared in), get no access.
            guest: roles.includes('guest') || (!!m.data.tenantId && m.data.tenantId !== tenantId),
          },
        ];
      });
    },
  };
}
