import { z } from 'zod';
import type { GroupGraph, GroupMember } from '../../core/app/admin-groups.js';
import { GraphProblem } from '../../core/app/graph-problem.js';
import type { GraphClient } from './graph-client.js';

const group = z.object({ id: z.string(), displayName: z.string().nullish() }).loose();
const member = z
  .object({
    '@odata.type': z.string().optional(),
    id: z.string(),
    displayName: z.string().nullish(),
    userPrincipalName: z.string().nullish(),
  })
  .loose();

const NEEDS = 'GroupMember.Read.All';

/**
 * Security groups through Microsoft Graph: the group (`/groups/{id}`), then its members
 * with nested groups' members (`/groups/{id}/transitiveMembers`, paged), people only; the
 * groups claim of a token counts nested membership the same way.
 */
export function groupGraph(client: GraphClient): GroupGraph {
  return {
    async group(tenantId, groupId) {
      const path = `/groups/${encodeURIComponent(groupId)}`;
      let found: unknown;
      try {
        found = await client.request(tenantId, 'GET', `${path}?$select=id,displayName`, NEEDS);
      } catch (error) {
        if (error instanceof GraphProblem && error.status === 404) return null;
        throw error;
      }
      const parsed = group.safeParse(found);
      if (!parsed.success) throw new GraphProblem(0, 'Microsoft Graph answered without a group.');
      const items = await client.all(
        tenantId,
        `${path}/transitiveMembers?$select=id,displayName,userPrincipalName`,
        NEEDS,
      );
      const members = items.flatMap((item): GroupMember[] => {
        const m = member.safeParse(item);
        if (!m.success) return [];
        if (m.data['@odata.type'] && m.data['@odata.type'] !== '#microsoft.graph.user') return [];
        return [
          {
            userId: m.data.id,
            displayName: m.data.displayName ?? m.data.userPrincipalName ?? m.data.id,
            upn: m.data.userPrincipalName ?? null,
          },
        ];
      });
      return { displayName: parsed.data.displayName ?? groupId, members };
    },
  };
}
