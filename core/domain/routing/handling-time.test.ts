import { strict as assert } from 'node:assert';
import {
  DEFAULT_USUAL_HANDLING_MS,
  longerThanUsual,
  usualHandlingMs,
  type HandledTask,
} from './handling-time.js';

const minutes = (n: number) => n * 60_000;
const handled = (durations: readonly number[], endedFrom = 0): HandledTask[] =>
  durations.map((d, i) => ({
    acceptedAt: endedFrom + i * 1000 - d,
    endedAt: endedFrom + i * 1000,
  }));

describe('a service’s usual handling time', () => {
  it('is what nine in ten of its completed tasks took at most', () => {
    const tenMinutesMostly = [...Array<number>(9).fill(minutes(10)), minutes(90)];
    assert.equal(usualHandlingMs(handled(tenMinutesMostly)), minutes(10));
    const spread = Array.from({ length: 20 }, (_, i) => minutes(i + 1));
    assert.equal(usualHandlingMs(handled(spread)), minutes(18));
  });

  it('looks at the latest hundred tasks only', () => {
    const old = handled(Array<number>(200).fill(minutes(60)), 0);
    const recent = handled(Array<number>(100).fill(minutes(5)), 1_000_000);
    assert.equal(usualHandlingMs([...old, ...recent]), minutes(5));
  });

  it('is an hour while there are fewer than five', () => {
    assert.equal(usualHandlingMs([]), DEFAULT_USUAL_HANDLING_MS);
    assert.equal(usualHandlingMs(handled([1, 2, 3, 4])), DEFAULT_USUAL_HANDLING_MS);
  });

  it('flags a task in hand for longer than that, not one just at it', () => {
    assert.equal(longerThanUsual(0, minutes(10), minutes(10)), false);
    assert.equal(longerThanUsual(0, minutes(10) + 1, minutes(10)), true);
  });
});
