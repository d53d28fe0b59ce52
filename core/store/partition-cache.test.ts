import { strict as assert } from 'node:assert';
import { IN_MEMORY } from '../../test/table-accounts.js';
import { describePartitionCacheContract } from './partition-cache.contract.js';
import { periodShare } from './partition-cache.js';

describePartitionCacheContract(IN_MEMORY);

describe('the slow periods of partitions read in together', () => {
  const keys = Array.from({ length: 10_000 }, (_, i) => `idle-${String(i).padStart(5, '0')}`);

  it('gives each partition a share from a half to all of a period, the same each time', () => {
    for (const key of keys) {
      const share = periodShare(key);
      assert.ok(share >= 0.5 && share < 1, `${key}: ${share}`);
      assert.equal(periodShare(key), share);
    }
  });

  it('spreads 10,000 tenants read in at once over the half period, none of its tenths holding more than 12%', () => {
    const tenths = new Array<number>(10).fill(0);
    for (const key of keys) tenths[Math.floor((periodShare(key) - 0.5) * 20)]! += 1;
    for (const count of tenths) assert.ok(count > 800 && count < 1200, tenths.join());
  });
});
