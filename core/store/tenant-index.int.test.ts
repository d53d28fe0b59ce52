import { strict as assert } from 'node:assert';
import { DEMO } from '../app/demo-tenant.js';
import { startTestApp } from '../../test/app-harness.js';
import { testStorage, uniquePrefix } from '../../test/azurite-fixture.js';
import { asTenantId } from '../domain/ids.js';
import { instantOf } from '../domain/instant.js';
import { newTenant } from '../domain/tenant-lifecycle.js';
import { createStores } from './stores.js';

const now = instantOf(1_795_000_000_000);

describe('the tenant index (what the timer sweeps list each second)', () => {
  it('lists each tenant once, however often it is added', async () => {
    const { tenantIndex } = createStores(testStorage());
    await tenantIndex.add(asTenantId('a'));
    await tenantIndex.add(asTenantId('b'));
    await tenantIndex.add(asTenantId('a'));
    assert.deepEqual((await tenantIndex.ids()).sort(), ['a', 'b']);
  });

  it('catches up with tenants written before it existed, once', async () => {
    const stores = createStores(testStorage());
    await stores.tenantIndex.add(asTenantId('listed'));
    for (const id of ['listed', 'old-1', 'old-2'])
      await stores.tenants.insert(newTenant(asTenantId(id), id, 'Active', now));
    assert.equal(await stores.tenantIndex.catchUp(stores.tenants), 2);
    assert.deepEqual((await stores.tenantIndex.ids()).sort(), ['listed', 'old-1', 'old-2']);
    assert.equal(await stores.tenantIndex.catchUp(stores.tenants), 0);
  });

  it('holds the demo tenant, a tenant the operator created, and tenants from before it, at start', async () => {
    const prefix = uniquePrefix();
    const before = createStores(testStorage(prefix));
    await before.tenants.insert(newTenant(asTenantId('from-before'), 'Old', 'Active', now));
    const app = await startTestApp({ SEED: 'demo', TABLE_PREFIX: prefix });
    try {
      const created = await app.call('PUT', '/tenants/t-new', {
        token: await app.token({ system: true }),
        body: { name: 'New', state: 'Active' },
      });
      assert.equal(created.status, 201);
      const ids = await createStores(testStorage(prefix)).tenantIndex.ids();
      assert.deepEqual(ids.sort(), [DEMO.tenant.id, 'from-before', 't-new'].sort());
    } finally {
      await app.stop();
    }
  });
});
