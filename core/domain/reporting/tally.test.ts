import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { asUserId } from '../ids.js';
import { instantOf } from '../instant.js';
import type { TaskStep } from './task-kpis.js';
import {
  addTallies,
  bandsOf,
  binOf,
  bucketOf,
  BUCKET_MS,
  countWithin,
  durationsOf,
  NO_TALLY,
  stepTally,
  type TaskTimes,
} from './tally.js';

const ADA = asUserId('ada');
const BO = asUserId('bo');
const QUEUED = instantOf(Date.UTC(2026, 5, 10, 9, 7, 30)); // in the 09:00 quarter
const NINE = instantOf(Date.UTC(2026, 5, 10, 9, 0));
const task: TaskTimes = {
  enqueuedAt: QUEUED,
  acceptedAt: instantOf(QUEUED + 12_000),
  acceptedBy: ADA,
  endedAt: instantOf(QUEUED + 312_000),
};
const at = (ms: number) => instantOf(QUEUED + ms);

describe('what one step adds to reporting', () => {
  // [the step, the task as it stands, what it adds besides the arrival quarter (null: nothing)]
  const cases: [string, TaskStep, TaskTimes, object | null][] = [
    ['created: a task offered to the queue', created(), task, { offered: 1 }],
    [
      'accepted: its wait, and the person’s accept',
      { kind: 'accepted', at: at(12_000), by: ADA },
      task,
      { accepted: 1, wait: durationsOf(12_000), people: { ada: person({ accepted: 1 }) } },
    ],
    [
      'completed: the handle time, the person’s too',
      { kind: 'completed', at: at(312_000) },
      task,
      {
        handle: durationsOf(300_000),
        people: { ada: person({ handle: durationsOf(300_000) }) },
      },
    ],
    [
      'canceled before anyone accepted it: abandoned',
      { kind: 'canceled', at: at(5_000) },
      { ...task, acceptedAt: null, acceptedBy: null },
      { abandoned: 1 },
    ],
    ['canceled after it was accepted: nothing', { kind: 'canceled', at: at(9_000) }, task, null],
    [
      'missed: the ring-out, the person’s too',
      { kind: 'missed', at: at(3_000), by: BO },
      task,
      { missed: 1, people: { bo: person({ missed: 1 }) } },
    ],
    [
      'withdrawn',
      { kind: 'withdrawn', at: at(3_000), from: BO, cause: 'presence' },
      task,
      { withdrawn: 1 },
    ],
    [
      'ACW ended: from the task’s end',
      { kind: 'acwEnded', at: at(342_000), by: ADA },
      task,
      { acw: durationsOf(30_000) },
    ],
    ['offered: nothing', { kind: 'offered', at: at(0), to: [ADA] }, task, null],
    ['declined: nothing', { kind: 'declined', at: at(1_000), by: ADA }, task, null],
    ['ACW started: nothing yet', { kind: 'acwStarted', at: at(312_000), by: ADA }, task, null],
  ];
  for (const [what, step, times, adds] of cases)
    it(what, () =>
      assert.deepEqual(
        stepTally(step, times),
        adds && { start: NINE, tally: { ...NO_TALLY, ...adds } },
      ),
    );

  it('counts a step in its task’s arrival quarter, however much later it comes', () => {
    const late = stepTally({ kind: 'completed', at: at(86_400_000) }, task);
    assert.equal(late?.start, NINE);
  });
});

describe('quarters and bins', () => {
  it('quarters are aligned on UTC, so local midnights everywhere fall on one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4e12 }), (ms) => {
        const start = bucketOf(instantOf(ms));
        return start % BUCKET_MS === 0 && start <= ms && ms < start + BUCKET_MS;
      }),
    );
  });

  it('bins round up to the second below an hour, so a threshold in seconds counts exactly', () => {
    assert.deepEqual(
      [binOf(0), binOf(1), binOf(1000), binOf(1001), binOf(3_600_000)],
      [0, 1, 1, 2, 3600],
    );
    const waits = durationsOf(19_999, 20_000, 20_001);
    assert.equal(countWithin(waits, 20), 2);
  });

  it('bands count each duration once, up to and including their bound, the rest beyond', () => {
    const waits = durationsOf(0, 10_000, 10_001, 20_000, 25_000, 4_000_000);
    assert.deepEqual(bandsOf(waits, [20, 10, 20]), [
      { upToSec: 10, count: 2 },
      { upToSec: 20, count: 2 },
      { upToSec: null, count: 2 },
    ]);
    assert.deepEqual(bandsOf(durationsOf(), [10]), [
      { upToSec: 10, count: 0 },
      { upToSec: null, count: 0 },
    ]);
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 2 * 86_400_000 })),
        fc.uniqueArray(fc.integer({ min: 1, max: 3600 }), { minLength: 1 }),
        (ms, bounds) => {
          const bands = bandsOf(durationsOf(...ms), bounds);
          const sorted = [...bounds].sort((a, b) => a - b);
          return (
            bands.reduce((n, b) => n + b.count, 0) === ms.length &&
            bands.every(
              (band, i) =>
                band.count ===
                ms.filter(
                  (m) =>
                    (i === 0 || m > sorted[i - 1]! * 1000) &&
                    (band.upToSec === null || m <= band.upToSec * 1000),
                ).length,
            )
          );
        },
      ),
    );
  });

  it('adding tallies adds every figure, person by person', () => {
    const a = { ...NO_TALLY, offered: 2, people: { ada: person({ accepted: 1 }) } };
    const b = {
      ...NO_TALLY,
      offered: 1,
      wait: durationsOf(4_000),
      people: { ada: person({ missed: 1 }), bo: person({ accepted: 1 }) },
    };
    assert.deepEqual(addTallies(a, b), {
      ...NO_TALLY,
      offered: 3,
      wait: durationsOf(4_000),
      people: { ada: person({ accepted: 1, missed: 1 }), bo: person({ accepted: 1 }) },
    });
    assert.deepEqual(addTallies(addTallies(a, b), NO_TALLY), addTallies(b, a));
  });
});

function created(): TaskStep {
  return {
    kind: 'created',
    at: QUEUED,
    exit: 'NoOneAvailable',
    modality: 'Call',
    priority: 'Normal',
  };
}

function person(part: object) {
  return { accepted: 0, missed: 0, handle: durationsOf(), ...part };
}
