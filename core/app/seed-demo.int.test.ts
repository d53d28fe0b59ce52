import { strict as assert } from 'node:assert';
import { testStorage } from '../../test/azurite-fixture.js';
import { asTenantId } from '../domain/ids.js';
import { instantOf } from '../domain/instant.js';
import { LICENSES } from '../domain/license.js';
import { createStores } from '../store/stores.js';
import { tenantKey } from '../store/table-tenant-store.js';
import { DEMO } from './demo-tenant.js';
import { seedDemo } from './seed-demo.js';

const now = instantOf(1_795_000_000_000);
const tenantId = asTenantId(DEMO.tenant.id);

describe('seedDemo', () => {
  it('creates the demo tenant, its OU tree, people and every license pool', async () => {
    const stores = createStores(testStorage());
    await seedDemo(stores, now);
    assert.equal((await stores.tenants.get(tenantKey(tenantId)))?.value.state, 'Active');
    assert.equal((await stores.orgUnits.list(tenantId)).length, DEMO.orgUnits.length);
    const users = await stores.users.list(tenantId);
    assert.equal(users.length, DEMO.users.length);
    assert.ok(
      users.some((u) => u.value.roles.includes('TenantAdmin')),
      'a tenant admin',
    );
    const pools = await stores.licensePools.list(tenantId);
    assert.deepEqual(pools.map((p) => p.value.license).sort(), [...LICENSES].sort());
    assert.ok(pools.every((p) => p.value.used === 0));
  });

  it('is idempotent, also when two instances seed at once', async () => {
    const stores = createStores(testStorage());
    const [a, b] = await Promise.all([seedDemo(stores, now), seedDemo(stores, now)]);
    assert.equal(a.created + b.created, a.created + a.existing, 'every row created exactly once');
    const again = await seedDemo(stores, now);
    assert.equal(again.created, 0);
    assert.equal((await stores.users.list(tenantId)).length, DEMO.users.length);
  });

  it('never overwrites what an admin changed since', async () => {
    const stores = createStores(testStorage());
    await seedDemo(stores, now);
    const tenant = await stores.tenants.get(tenantKey(tenantId));
    assert.ok(tenant);
    await stores.tenants.replace(
      { ...tenant.value, name: 'Renamed', state: 'Suspended' },
      tenant.etag,
    );
    await seedDemo(stores, now);
    const after = await stores.tenants.get(tenantKey(tenantId));
    assert.equal(after?.value.name, 'Renamed');
    assert.equal(after?.value.state, 'Suspended');
  });
});
