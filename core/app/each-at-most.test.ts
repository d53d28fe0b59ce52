import { strict as assert } from 'node:assert';
import { eachAtMost } from './each-at-most.js';

describe('eachAtMost', () => {
  it('runs every item once, never more than the bound at a time', async () => {
    let running = 0;
    let most = 0;
    const done: number[] = [];
    const items = Array.from({ length: 100 }, (_, i) => i);
    await eachAtMost(items, 7, async (i) => {
      running++;
      most = Math.max(most, running);
      // Each job waits a different number of turns, so jobs finish out of order.
      for (let k = 0; k <= i % 5; k++) await Promise.resolve();
      running--;
      done.push(i);
    });
    assert.equal(most, 7);
    assert.deepEqual(
      done.sort((a, b) => a - b),
      items,
    );
  });

  it('runs the rest after a failure, then rejects with the first', async () => {
    const done: number[] = [];
    await assert.rejects(
      eachAtMost([1, 2, 3, 4], 2, async (i) => {
        await Promise.resolve();
        if (i === 2 || i === 3) throw new Error(`item ${i}`);
        done.push(i);
      }),
      /item 2/,
    );
    assert.deepEqual(done, [1, 4]);
  });

  it('resolves at once on no items', async () => {
    await eachAtMost([], 4, () => Promise.reject(new Error('not called')));
  });
});
