import { strict as assert } from 'node:assert';
import { historySeq } from './history-rows.js';

describe('history step keys (historySeq)', () => {
  it('list in the order they were made, each with a random tail of 4 hex digits that keeps varying past each refill of the random pool', () => {
    // 10,000 keys draw 20,000 random bytes: several refills of the 4,096-byte pool.
    const keys = Array.from({ length: 10_000 }, () => historySeq());
    for (const key of keys) assert.match(key, /^\d{9}[0-9a-f]{4}$/);
    assert.deepEqual([...keys].sort(), keys, 'made order is key order');
    // 10,000 draws of 65,536 values give about 9,300 distinct ones; a tail drawn once per
    // pool, or a pool never refilled, gives a handful.
    const tails = new Set(keys.map((key) => key.slice(9)));
    assert.ok(tails.size > 8_000, `${tails.size} distinct tails`);
    for (let from = 0; from < keys.length; from += 2_048) {
      const stretch = new Set(keys.slice(from, from + 2_048).map((key) => key.slice(9)));
      assert.ok(stretch.size > 1_500, `keys ${from} on: ${stretch.size} distinct tails`);
    }
  });
});
