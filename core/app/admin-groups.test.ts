// Who an admin group gives rights to (tenant settings, General, "Details"), in the unit tier.
import { strict as assert } from 'node:assert';
import { inMemoryDemo } from '../../test/demo-deps.js';
import { PEOPLE } from '../../test/demo-people.js';
import type { Identity } from '../domain/actor.js';
import { asTenantId, asUserId } from '../domain/ids.js';
import { adminGroupDetails, type GroupGraph } from './admin-groups.js';
import type { AppDeps } from './app-deps.js';
import { DEMO } from './demo-tenant.js';
import { GraphProblem } from './graph-problem.js';

const T = asTenantId(DEMO.tenant.id);
const GROUP = '0d3e0000-0000-4000-8000-00000000a001';
const as = (userId: string): Identity => ({
  kind: 'user',
  tenantId: T,
  userId: asUserId(userId),
  groups: [],
});

describe('admin group details', () => {
  let deps: AppDeps;
  beforeEach(async () => {
    deps = await inMemoryDemo();
  });
  const graph = (answer: Awaited<ReturnType<GroupGraph['group']>> | Error): GroupGraph => ({
    group: () => (answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer)),
  });

  it('lists the group’s people by name for a tenant admin', async () => {
    const details = await adminGroupDetails(
      deps,
      graph({
        displayName: 'Routing admins',
        members: [
          { userId: 'u2', displayName: 'Zoe', upn: 'zoe@contoso.example' },
          { userId: 'u1', displayName: 'Ann', upn: null },
        ],
      }),
      as(PEOPLE.ALEX),
      T,
      GROUP,
    );
    assert.deepEqual(details, {
      ok: true,
      value: {
        ok: true,
        groupId: GROUP,
        displayName: 'Routing admins',
        members: [
          { userId: 'u1', displayName: 'Ann', upn: null },
          { userId: 'u2', displayName: 'Zoe', upn: 'zoe@contoso.example' },
        ],
      },
    });
  });

  it('says in words when Graph is not configured, knows no such group, or refuses', async () => {
    const words = async (g: GroupGraph | null) => {
      const d = await adminGroupDetails(deps, g, as(PEOPLE.ALEX), T, GROUP);
      assert.ok(d.ok && !d.value.ok, 'an answer without members');
      return d.value.problem;
    };
    assert.match(await words(null), /Microsoft Graph is not configured/);
    assert.equal(await words(graph(null)), `This tenant has no group with the id ${GROUP}.`);
    assert.equal(
      await words(graph(new GraphProblem(403, 'GroupMember.Read.All is not granted.'))),
      'GroupMember.Read.All is not granted.',
    );
  });

  it('is for tenant admins only, and does not swallow what is not Graph’s', async () => {
    const refused = await adminGroupDetails(deps, graph(null), as(PEOPLE.NESTOR), T, GROUP);
    assert.equal(refused.ok ? 'allowed' : refused.refusal.code, 'forbidden');
    await assert.rejects(
      adminGroupDetails(deps, graph(new TypeError('bug')), as(PEOPLE.ALEX), T, GROUP),
      TypeError,
    );
  });
});
