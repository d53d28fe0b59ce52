import { strict as assert } from 'node:assert';
import { inMemoryDemo } from '../../test/demo-deps.js';
import { PEOPLE } from '../../test/demo-people.js';
import { DEMO } from './demo-tenant.js';
import { asTenantId, asUserId } from '../domain/ids.js';
import { tenantKey } from '../store/table-tenant-store.js';
import { resolveActor } from './resolve-actor.js';

const T = asTenantId(DEMO.tenant.id);
const ADMINS = '0a0a0000-0000-4000-8000-00000000ad01';
const PARTNERS = '0a0a0000-0000-4000-8000-00000000fa11';
const OUTSIDER = asUserId('7a1e0000-0000-4000-8000-0000000000f1');

describe('who the caller is in a tenant: admins by group, and the partner’s', () => {
  const actorOf = async (userId: string, groups: string[]) => {
    const deps = await inMemoryDemo();
    const row = (await deps.stores.tenants.get(tenantKey(T)))!;
    const general = {
      ...row.value.settings.general,
      tenantAdminGroupId: ADMINS,
      partnerAdminGroupId: PARTNERS,
    };
    await deps.stores.tenants.replace(
      { ...row.value, settings: { ...row.value.settings, general } },
      row.etag,
    );
    const access = await resolveActor(
      deps,
      { kind: 'user', tenantId: T, userId: asUserId(userId), groups },
      T,
    );
    assert.ok(access.ok);
    const { actor } = access.value;
    assert.equal(actor.kind, 'user');
    return actor.kind === 'user' ? { admin: actor.tenantAdmin, partner: actor.partner } : null;
  };

  const cases: [string, string, string[], { admin: boolean; partner: boolean }][] = [
    ['the partner group only', OUTSIDER, [PARTNERS], { admin: true, partner: true }],
    ['both groups', OUTSIDER, [PARTNERS, ADMINS], { admin: true, partner: false }],
    ['the tenant admin group', OUTSIDER, [ADMINS], { admin: true, partner: false }],
    [
      'the partner group and the tenant admin role',
      PEOPLE.ALEX,
      [PARTNERS],
      { admin: true, partner: false },
    ],
    ['a user of the tenant, no group', PEOPLE.MEGAN, [], { admin: false, partner: false }],
  ];
  for (const [name, userId, groups, expected] of cases)
    it(name, async () => assert.deepEqual(await actorOf(userId, groups), expected));
});
