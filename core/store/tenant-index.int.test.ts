import { strict as assert } from 'node:assert';
import { isDeepStrictEqual } from 'node:util';
import { DEMO } from '../app/demo-tenant.js';
import { startTestApp } from '../../test/app-harness.js';
import { cachedTestStorage, testStorage, uniquePrefix } from '../../test/azurite-fixture.js';
import { until } from '../../test/until.js';
import { asTenantId } from '../domain/ids.js';
import { instantOf } from '../domain/instant.js';
import { newTenant } from '../domain/tenant-lifecycle.js';
import { createStores, STALE_STAMP_MS } from './stores.js';
import { STAMP_PREFIX } from './partition-cache.js';

const now = instantOf(1_795_000_000_000);

describe('the tenant index (what the timer sweeps list each second)', () => {
  it('lists each tenant once, however often it is added', async () => {
    const { tenantIndex } = createStores(testStorage());
    await tenantIndex.add(asTenantId('a'));
    await tenantIndex.add(asTenantId('b'));
    await tenantIndex.add(asTenantId('a'));
    assert.deepEqual((await tenantIndex.ids()).sort(), ['a', 'b']);
  });

  it('lists, from its cached copy, a tenant another instance added', async () => {
    const prefix = uniquePrefix();
    // Checked against storage when older than 100 ms (the app's bound is as short).
    const here = createStores(cachedTestStorage(prefix, { maxStalenessMs: 100 })).tenantIndex;
    const there = createStores(cachedTestStorage(prefix, { maxStalenessMs: 100 })).tenantIndex;
    await here.add(asTenantId('a'));
    assert.deepEqual(await here.ids(), ['a']);
    await there.add(asTenantId('b'));
    await until('this instance lists the other’s tenant', async () =>
      isDeepStrictEqual((await here.ids()).sort(), ['a', 'b']),
    );
  });

  it('forgets the cache stamps of instances silent for a day in its partition, and lists no stamp', async () => {
    const prefix = uniquePrefix();
    const { tenantIndex } = createStores(cachedTestStorage(prefix));
    await tenantIndex.add(asTenantId('a'));
    const raw = await testStorage(prefix).client('TenantIndex');
    await raw.upsertEntity({
      partitionKey: 'tenants',
      rowKey: `${STAMP_PREFIX}stopped-long-ago`,
      writtenAt: Date.now() - 25 * 3600 * 1000,
    });
    assert.equal(await tenantIndex.forgetStaleStamps(STALE_STAMP_MS), 1);
    const stamps: string[] = [];
    for await (const row of raw.listEntities())
      if (row.rowKey?.startsWith(STAMP_PREFIX)) stamps.push(row.rowKey);
    assert.equal(stamps.length, 1, 'the live instance’s stamp stays');
    assert.deepEqual(await tenantIndex.ids(), ['a']);
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

  it('holds the demo tenant, a tenant the operator created, and tenants from before it once the first sweep ran', async () => {
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
      const index = createStores(testStorage(prefix)).tenantIndex;
      const expected = [DEMO.tenant.id, 'from-before', 't-new'].sort();
      await until('the first sweep caught the index up', async () =>
        isDeepStrictEqual((await index.ids()).sort(), expected),
      );
    } finally {
      await app.stop();
    }
  });

  it('takes in, within the hour, a tenant an older instance wrote without it (an upgrade)', async () => {
    const app = await startTestApp({ SEED: 'none', CLOCK: 'manual' });
    try {
      const advance = (ms: number) => app.call('POST', '/dev/clock', { body: { advanceMs: ms } });
      const stores = createStores(testStorage(app.prefix));
      await advance(0); // the first sweep has caught up with an empty account
      await stores.tenants.insert(newTenant(asTenantId('by-old-code'), 'Old', 'Active', now));
      await advance(60_000);
      assert.deepEqual(await stores.tenantIndex.ids(), [], 'not before the hour is up');
      await advance(3_600_000);
      assert.deepEqual(await stores.tenantIndex.ids(), ['by-old-code']);
    } finally {
      await app.stop();
    }
  });
});
