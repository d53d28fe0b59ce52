import { strict as assert } from 'node:assert';
import { durationsOf, NO_DURATIONS, sumDurations } from '../reporting/tally.js';
import {
  DEFAULT_USUAL_HANDLING_MS,
  HANDLING_SAMPLE,
  longerThanUsual,
  usualHandlingMs,
} from './handling-time.js';

const minutes = (n: number) => n * 60_000;
/** A day's handling times, as reporting tallies them. */
const day = (times: readonly number[]) => durationsOf(...times);

describe('a service’s usual handling time', () => {
  it('is what nine in ten of its completed tasks took at most', () => {
    const tenMinutesMostly = [...Array<number>(9).fill(minutes(10)), minutes(90)];
    assert.equal(usualHandlingMs([day(tenMinutesMostly)]), minutes(10));
    const spread = Array.from({ length: 20 }, (_, i) => minutes(i + 1));
    assert.equal(usualHandlingMs([day(spread)]), minutes(18));
    assert.equal(
      usualHandlingMs([day([61_500, 61_500, 61_500, 61_500, 61_500])]),
      62_000,
      'to the second above',
    );
  });

  it('looks at the latest days only, until they hold a hundred tasks', () => {
    const recent = [
      day(Array<number>(60).fill(minutes(5))),
      day(Array<number>(40).fill(minutes(5))),
    ];
    const old = day(Array<number>(200).fill(minutes(60)));
    assert.equal(
      usualHandlingMs([...recent, old]),
      minutes(5),
      'a hundred reached: older days left out',
    );
    assert.equal(
      usualHandlingMs([recent[0]!, old]),
      minutes(60),
      'sixty: the day before counts whole',
    );
    assert.equal(
      usualHandlingMs([
        NO_DURATIONS,
        day([minutes(3), minutes(3), minutes(3), minutes(3), minutes(3)]),
      ]),
      minutes(3),
      'a quiet day in between',
    );
    const many = sumDurations(Array.from({ length: HANDLING_SAMPLE }, () => day([minutes(1)])));
    assert.equal(usualHandlingMs([many, old]), minutes(1));
  });

  it('is an hour while there are fewer than five', () => {
    assert.equal(usualHandlingMs([]), DEFAULT_USUAL_HANDLING_MS);
    assert.equal(usualHandlingMs([day([1, 2]), day([3, 4])]), DEFAULT_USUAL_HANDLING_MS);
  });

  it('flags a task in hand for longer than that, not one just at it', () => {
    assert.equal(longerThanUsual(0, minutes(10), minutes(10)), false);
    assert.equal(longerThanUsual(0, minutes(10) + 1, minutes(10)), true);
  });
});
