import { strict as assert } from 'node:assert';
import { uniquePrefix, IN_MEMORY } from '../../test/table-accounts.js';
import { asTenantId } from '../domain/ids.js';
import { createLeaseStore, leaseKey } from '../store/lease-rows.js';
import { TenantLease } from './tenant-lease.js';

const T = asTenantId('tenant-lease');

describe('a tenant lease (one instance at a time does a tenant’s job)', () => {
  let now: number;
  let store: ReturnType<typeof createLeaseStore>;
  const lease = (holder: string) =>
    new TenantLease({ store, name: 'job', holder, durationMs: 10_000, now: () => now });
  beforeEach(() => {
    now = 1_000_000;
    store = createLeaseStore(IN_MEMORY.storage(uniquePrefix()));
  });

  it('refuses a second instance while the holder renews it, and renews only past half its time', async () => {
    const a = lease('a');
    const b = lease('b');
    assert.equal(await a.hold(T), true);
    const taken = await store.get(leaseKey(T, 'job'));
    now += 4_000;
    assert.equal(await a.hold(T), true);
    assert.equal((await store.get(leaseKey(T, 'job')))?.etag, taken?.etag, 'no write yet');
    assert.equal(await b.hold(T), false);
    now += 2_000;
    assert.equal(await a.hold(T), true);
    assert.equal((await store.get(leaseKey(T, 'job')))?.value.until, now + 10_000, 'renewed');
    now += 9_000;
    assert.equal(await b.hold(T), false, 'the renewal counts');
  });

  it('passes to another instance when the holder stops renewing (a crash) or gives it back', async () => {
    const a = lease('a');
    const b = lease('b');
    const c = lease('c');
    assert.equal(await a.hold(T), true);
    now += 10_001;
    assert.equal(await b.hold(T), true, 'the crashed holder’s lease ran out');
    assert.equal(await a.hold(T), false, 'the old holder finds it taken');
    await b.releaseAll();
    assert.equal(await c.hold(T), true, 'given back: taken at once');
  });

  it('lets exactly one of two instances racing for a free lease have it', async () => {
    const results = await Promise.all([lease('a').hold(T), lease('b').hold(T)]);
    assert.deepEqual(results.sort(), [false, true]);
  });
});
