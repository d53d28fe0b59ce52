import { strict as assert } from 'node:assert';
import { asServiceId, asTenantId, asUserId } from '../domain/ids.js';
import { instantOf } from '../domain/instant.js';
import { BUCKET_MS, durationsOf, NO_TALLY, type Tally } from '../domain/reporting/tally.js';
import { uniquePrefix, type TestAccount } from '../../test/table-accounts.js';
import { createStores, type Stores } from './stores.js';

/** Reporting's quarter-hour tallies as stored, on an account (Azurite or in memory). */
export function describeTallyRowsContract(account: TestAccount): void {
  describe(`reporting tallies as stored (${account.name})`, () => {
    const T = asTenantId('t-tallies');
    const DESK = asServiceId('desk');
    const SALES = asServiceId('sales');
    const quarter = (n: number) => instantOf(Date.UTC(2026, 5, 10) + n * BUCKET_MS);
    let stores: Stores;
    beforeEach(() => {
      stores = createStores(account.storage(uniquePrefix()));
    });
    const put = (serviceId: typeof DESK | null, n: number, tally: Tally = NO_TALLY) =>
      stores.commit([
        stores.tallies.insertOp({
          tenantId: T,
          serviceId,
          span: 'quarter',
          start: quarter(n),
          tally,
        }),
      ]);

    it('keeps a tally of thousands of people whole (spread over several columns)', async () => {
      const people = Object.fromEntries(
        Array.from({ length: 2_000 }, (_, i) => [
          asUserId(`person-${i}`),
          { accepted: i, missed: 1, handle: durationsOf(i * 1000, 7) },
        ]),
      );
      const tally = { ...NO_TALLY, offered: 2_000, wait: durationsOf(1, 2_500, 9e6), people };
      assert.ok(JSON.stringify(tally).length > 64_000, 'more than one column holds');
      await put(DESK, 0, tally);
      const read = await stores.tallies.get({
        tenantId: T,
        serviceId: DESK,
        span: 'quarter',
        start: quarter(0),
      });
      assert.deepEqual(read?.value.tally, tally);
    });

    it('keeps a day apart from its quarters, with its counts per quarter', async () => {
      const day = {
        tenantId: T,
        serviceId: DESK,
        span: 'day',
        start: quarter(0),
        tally: { ...NO_TALLY, offered: 3 },
        quarters: { '5': { offered: 3, accepted: 1, abandoned: 0 } },
      } as const;
      await stores.commit([stores.tallies.insertOp(day)]);
      await put(DESK, 0);
      assert.deepEqual(
        (await stores.tallies.between(T, DESK, quarter(0), quarter(96), 'day')).map((r) => r),
        [day],
      );
      assert.deepEqual(
        (await stores.tallies.between(T, DESK, quarter(0), quarter(96))).map((r) => r.span),
        ['quarter'],
      );
    });

    it('lists a service’s quarters of a period in order, apart from others’ and the tenant’s', async () => {
      for (const n of [3, 0, 1, 2, 4]) await put(DESK, n);
      await put(SALES, 1);
      await put(null, 1);
      const starts = async (serviceId: typeof DESK | null, from: number, to: number) =>
        (await stores.tallies.between(T, serviceId, quarter(from), quarter(to))).map(
          (r) => (r.start - quarter(0)) / BUCKET_MS,
        );
      assert.deepEqual(await starts(DESK, 1, 4), [1, 2, 3], 'from included, to not');
      assert.deepEqual(await starts(SALES, 0, 9), [1]);
      assert.deepEqual(await starts(null, 0, 9), [1]);
      assert.deepEqual(
        (await stores.tallies.before(T, quarter(2))).map((r) => [r.serviceId, r.start]),
        [
          [DESK, quarter(0)],
          [DESK, quarter(1)],
          [SALES, quarter(1)],
          [null, quarter(1)],
        ],
      );
    });
  });
}
