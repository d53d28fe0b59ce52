import { strict as assert } from 'node:assert';
import { uniquePrefix, IN_MEMORY } from '../../test/table-accounts.js';
import { asTenantId } from '../domain/ids.js';
import { instantOf } from '../domain/instant.js';
import { auditLicenses } from '../domain/license-audit.js';
import { LICENSES } from '../domain/license.js';
import { createStores, type Stores } from '../store/stores.js';
import { tenantKey } from '../store/table-tenant-store.js';
import { DEMO } from './demo-tenant.js';
import { seedDemo } from './seed-demo.js';

const now = instantOf(1_795_000_000_000);
const tenantId = asTenantId(DEMO.tenant.id);

async function audit(stores: Stores) {
  const [pools, users, services] = await Promise.all([
    stores.licensePools.list(tenantId),
    stores.users.list(tenantId),
    stores.services.list(tenantId),
  ]);
  return auditLicenses(
    pools.map((r) => r.value),
    users.map((r) => r.value),
    services.map((r) => r.value),
  );
}

describe('seedDemo', () => {
  it('creates the demo tenant, its OU tree, people, services and every license pool, consistently', async () => {
    const stores = createStores(IN_MEMORY.storage(uniquePrefix()));
    await seedDemo(stores, now);
    const tenant = await stores.tenants.get(tenantKey(tenantId));
    assert.equal(tenant?.value.state, 'Active');
    assert.equal(tenant?.value.settings.provisioning.defaultOuId, DEMO.defaultOuId);
    assert.equal((await stores.orgUnits.list(tenantId)).length, DEMO.orgUnits.length);
    const users = await stores.users.list(tenantId);
    assert.equal(users.length, DEMO.users.length);
    assert.ok(
      users.some((u) => u.value.roles.includes('TenantAdmin')),
      'a tenant admin',
    );
    assert.equal((await stores.services.list(tenantId)).length, DEMO.services.length);
    assert.ok(
      (await stores.memberships.list(tenantId)).some((m) => m.value.role === 'Owner'),
      'an owner',
    );
    const pools = await stores.licensePools.list(tenantId);
    assert.deepEqual(pools.map((p) => p.value.license).sort(), [...LICENSES].sort());
    assert.deepEqual(await audit(stores), [], 'every pool counts exactly its holders');
  });

  it('is idempotent, also when two instances seed at once', async () => {
    const stores = createStores(IN_MEMORY.storage(uniquePrefix()));
    const [a, b] = await Promise.all([seedDemo(stores, now), seedDemo(stores, now)]);
    assert.ok((a.created === 0) !== (b.created === 0), 'exactly one of them wrote the tenant');
    assert.equal((await seedDemo(stores, now)).created, 0);
    assert.equal((await stores.users.list(tenantId)).length, DEMO.users.length);
    assert.deepEqual(await audit(stores), []);
  });

  it('never overwrites what an admin changed since', async () => {
    const stores = createStores(IN_MEMORY.storage(uniquePrefix()));
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
