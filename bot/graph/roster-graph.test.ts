import { strict as assert } from 'node:assert';
import { asTenantId } from '../../core/domain/ids.js';
import type { GraphClient } from './graph-client.js';
import { rosterGraph } from './roster-graph.js';

const T = asTenantId('0d3e0000-0000-4000-8000-000000000001');
const member = (userId: string | null, roles: string[], more: object = {}) => ({
  '@odata.type': '#microsoft.graph.aadUserConversationMember',
  id: `m-${userId}`,
  displayName: `Person ${userId}`,
  roles,
  userId,
  tenantId: T,
  ...more,
});

describe('a team’s roster as Graph lists it (conversationMember)', () => {
  it('keeps people of the tenant, marks owners, and counts guests and other tenants’ people as guests', async () => {
    const asked: string[] = [];
    const client = {
      all: (_tenant: unknown, path: string) => {
        asked.push(path);
        return Promise.resolve([
          member('0d3e0000-0000-4000-8000-0000000000b1', ['owner']),
          member('0d3e0000-0000-4000-8000-0000000000c1', []),
          member('0d3e0000-0000-4000-8000-0000000000c2', ['guest']),
          member('0d3e0000-0000-4000-8000-0000000000c3', [], {
            tenantId: '99990000-0000-4000-8000-000000000009',
          }),
          member(null, []), // no Entra user behind it
          member('not an id!', []),
          member('0d3e0000-0000-4000-8000-0000000000c4', [], {
            '@odata.type': '#microsoft.graph.skypeForBusinessUserConversationMember',
          }),
        ]);
      },
    } as unknown as GraphClient;
    const roster = await rosterGraph(client).members(T, 'group/1');
    assert.deepEqual(asked, ['/teams/group%2F1/members']);
    assert.deepEqual(
      roster.map((p) => [p.userId.slice(-2), p.teamOwner, p.guest]),
      [
        ['b1', true, false],
        ['c1', false, false],
        ['c2', false, true],
        ['c3', false, true],
      ],
    );
    assert.equal(roster[0]?.name, 'Person 0d3e0000-0000-4000-8000-0000000000b1');
  });
});
