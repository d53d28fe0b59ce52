import { strict as assert } from 'node:assert';
import { instantOf, type Instant } from '../domain/instant.js';
import { ManualClock } from './clock.js';

describe('ManualClock', () => {
  it('stands still until advanced, then tells its listeners the new time', async () => {
    const clock = new ManualClock(instantOf(1000));
    const seen: Instant[] = [];
    clock.onAdvance((now) => {
      seen.push(now);
    });
    assert.equal(clock.now(), 1000);
    assert.equal(await clock.advance(500), 1500);
    assert.equal(clock.now(), 1500);
    assert.deepEqual(seen, [1500]);
  });

  it('refuses to go back in time', async () => {
    const clock = new ManualClock(instantOf(1000));
    await assert.rejects(clock.advance(-1), RangeError);
    assert.equal(clock.now(), 1000);
  });
});
