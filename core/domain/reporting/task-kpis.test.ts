import { strict as assert } from 'node:assert';
import { asUserId } from '../ids.js';
import { instantOf, type Instant } from '../instant.js';
import { lastDays, startOfDay } from './local-time.js';
import {
  personKpis,
  queueKpis,
  timeInStates,
  withServiceLevels,
  type TaskStep,
} from './task-kpis.js';
import fc from 'fast-check';
import {
  addToDay,
  BUCKET_MS,
  dayOf,
  durationsOf,
  historyTallies,
  NO_TALLY,
  spansOf,
  spreadOf,
  timesOf,
  type BucketTally,
} from './tally.js';

const ZONE = 'Europe/Zurich';
const DAY = startOfDay('2026-06-10', ZONE); // 00:00 local, 22:00 UTC the day before
const at = (localHours: number, seconds = 0) =>
  instantOf(DAY + localHours * 3600_000 + seconds * 1000);
const ADA = asUserId('ada');
const BO = asUserId('bo');
const SEC = 1000;

/** A task of the day's history, by its steps: what it added up to, and whether it still waits. */
const task = (...steps: TaskStep[]) => {
  const times = timesOf(steps);
  return {
    buckets: historyTallies(steps),
    waitingSince:
      times && times.acceptedAt === null && times.endedAt === null ? [times.enqueuedAt] : [],
  };
};
type Told = ReturnType<typeof task>;
const buckets = (tasks: readonly Told[]) => tasks.flatMap((t) => t.buckets);
const created = (when: Instant): TaskStep => ({
  kind: 'created',
  at: when,
  exit: 'NoOneAvailable',
  modality: 'Call',
  priority: 'Normal',
});
const accepted = (when: Instant, by = ADA): TaskStep => ({ kind: 'accepted', at: when, by });

const today = lastDays(at(12), 1, ZONE);
const kpis = (tasks: readonly Told[], now = at(23, 3599)) =>
  queueKpis(buckets(tasks), today, {
    now,
    thresholdSec: 20,
    timeZone: ZONE,
    waitingSince: tasks.flatMap((t) => t.waitingSince),
  });

describe('queue KPIs of a day', () => {
  it('an empty day: nothing counted, no averages, no service level', () => {
    const day = kpis([]);
    assert.deepEqual(
      [day.offered, day.accepted, day.abandoned, day.missed, day.withdrawn],
      [0, 0, 0, 0, 0],
    );
    assert.deepEqual(day.wait, { count: 0, averageMs: null, p90Ms: null });
    assert.equal(day.serviceLevel, null);
    assert.equal(day.perHour.length, 24);
    assert.ok(day.perHour.every((h) => h.offered === 0));
  });

  // [what happened, the tasks, offered, accepted, abandoned, missed, withdrawn, service level]
  const cases = [
    [
      'answered within the threshold',
      [task(created(at(9)), accepted(at(9, 15)))],
      1,
      1,
      0,
      0,
      0,
      1,
    ],
    ['answered after it', [task(created(at(9)), accepted(at(9, 25)))], 1, 1, 0, 0, 0, 0],
    [
      'canceled before any invitation: abandoned, no wait counted',
      [task(created(at(9)), { kind: 'canceled', at: at(9, 5) })],
      1,
      0,
      1,
      0,
      0,
      0,
    ],
    [
      'rang out at Ada, withdrawn from Bo, then Bo took it',
      [
        task(
          created(at(10)),
          { kind: 'offered', at: at(10), to: [ADA] },
          { kind: 'missed', at: at(10, 10), by: ADA },
          { kind: 'offered', at: at(10, 10), to: [BO] },
          { kind: 'withdrawn', at: at(10, 12), from: BO, cause: 'presence' },
          accepted(at(10, 18), BO),
        ),
      ],
      1,
      1,
      0,
      1,
      1,
      1,
    ],
    [
      'still waiting within the threshold: counts neither way yet',
      [task(created(at(23, 3590)))],
      1,
      0,
      0,
      0,
      0,
      null,
    ],
    [
      'still waiting past the threshold: decided, and not within it',
      [task(created(at(23, 3500)))],
      1,
      0,
      0,
      0,
      0,
      0,
    ],
    [
      'a task of yesterday answered today is yesterday’s',
      [task(created(at(-1)), accepted(at(0, 30)))],
      0,
      0,
      0,
      0,
      0,
      null,
    ],
    [
      'canceled after it was accepted: not abandoned',
      [task(created(at(9)), accepted(at(9, 5)), { kind: 'canceled', at: at(9, 60) })],
      1,
      1,
      0,
      0,
      0,
      1,
    ],
  ] as const;
  for (const [what, tasks, offered, acceptedCount, abandoned, missed, withdrawn, level] of cases)
    it(what, () => {
      const day = kpis([...tasks]);
      assert.deepEqual(
        {
          offered: day.offered,
          accepted: day.accepted,
          abandoned: day.abandoned,
          missed: day.missed,
          withdrawn: day.withdrawn,
          serviceLevel: day.serviceLevel,
        },
        { offered, accepted: acceptedCount, abandoned, missed, withdrawn, serviceLevel: level },
      );
    });

  it('a task queued at 23:59:50 and answered after midnight counts on its day, in its hour', () => {
    const day = kpis([task(created(at(23, 3590)), accepted(at(24, 15)))], at(24, 20));
    assert.equal(day.offered, 1);
    assert.equal(day.wait.averageMs, 25 * SEC);
    assert.equal(day.perHour[23]?.accepted, 1);
    assert.equal(day.serviceLevel, 0);
  });

  it('hours follow the wall clock on the day the clocks go forward', () => {
    const spring = startOfDay('2026-03-29', ZONE);
    const period = lastDays(spring, 1, ZONE);
    // 02:30 does not exist that day: an hour after 01:30 the wall says 03:30.
    const tasks = [1.5, 2.5, 3.5].map((h) =>
      task(created(instantOf(spring + h * 3600_000)), {
        kind: 'canceled',
        at: instantOf(spring + h * 3600_000 + SEC),
      }),
    );
    const day = queueKpis(buckets(tasks), period, {
      now: period.to,
      thresholdSec: 20,
      timeZone: ZONE,
    });
    assert.deepEqual(
      day.perHour.filter((h) => h.offered).map((h) => [h.hour, h.abandoned]),
      [
        [1, 1],
        [3, 1],
        [4, 1],
      ],
    );
  });

  it('wait, handle and ACW times: averages and the 90th percentile', () => {
    const waits = [5, 10, 15, 20, 25, 30, 35, 40, 45, 50];
    const tasks = waits.map((w, i) =>
      task(
        created(at(8)),
        accepted(at(8, w)),
        { kind: 'completed', at: at(8, w + 60 * (i + 1)) },
        { kind: 'acwStarted', at: at(8, w + 60 * (i + 1)), by: ADA },
        { kind: 'acwEnded', at: at(8, w + 60 * (i + 1) + 30), by: ADA },
      ),
    );
    const day = kpis(tasks);
    assert.deepEqual(day.wait, { count: 10, averageMs: 27.5 * SEC, p90Ms: 45 * SEC });
    assert.equal(day.handle.averageMs, 330 * SEC);
    assert.equal(day.handle.p90Ms, 540 * SEC);
    assert.deepEqual(day.acw, { count: 10, averageMs: 30 * SEC, p90Ms: 30 * SEC });
    assert.equal(day.serviceLevel, 0.4); // 5, 10, 15 and 20 s of ten
  });

  it('the wait-time distribution: accepted tasks in bands, the threshold one of the bounds', () => {
    const waits = [5, 10, 15, 20, 25, 30, 45, 50, 700, 4000];
    const tasks = waits.map((w) => task(created(at(8)), accepted(at(8, w))));
    const counts = (thresholdSec: number) =>
      queueKpis(buckets(tasks), today, { now: at(23), thresholdSec, timeZone: ZONE }).waitBands.map(
        (b) => [b.upToSec, b.count],
      );
    assert.deepEqual(counts(20), [
      [10, 2],
      [20, 2],
      [30, 2],
      [60, 2],
      [120, 0],
      [300, 0],
      [600, 0],
      [1800, 1],
      [null, 1],
    ]);
    // A threshold of 45 s splits the band up to a minute; one beyond an hour joins no band.
    assert.deepEqual(counts(45).slice(3, 5), [
      [45, 1],
      [60, 1],
    ]);
    assert.equal(counts(3601).length, 9);
  });

  it('an ACW not ended yet is not counted', () => {
    const day = kpis([
      task(created(at(8)), accepted(at(8, 1)), { kind: 'acwStarted', at: at(8, 60), by: ADA }),
    ]);
    assert.equal(day.acw.count, 0);
  });
});

describe('several services together', () => {
  const answered = (...waits: number[]) =>
    waits.map((w) => task(created(at(9)), accepted(at(9, w))));
  const of = (tasks: Told[], thresholdSec: number | null) =>
    queueKpis(buckets(tasks), today, {
      now: at(23),
      thresholdSec,
      timeZone: ZONE,
      waitingSince: tasks.flatMap((t) => t.waitingSince),
    });

  it('judge each service’s tasks by its own threshold', () => {
    const helpdesk = answered(10, 30); // 20 s: one of two in time
    const sales = [...answered(30, 45, 90), task(created(at(9)))]; // 60 s: two of four
    const all = of([...helpdesk, ...sales], null);
    assert.equal(all.offered, 6);
    assert.equal(all.serviceLevel, null, 'no one threshold fits both');
    assert.deepEqual(
      all.waitBands.map((b) => b.upToSec),
      [10, 20, 30, 60, 120, 300, 600, 1800, null],
    );
    const both = withServiceLevels(all, [of(helpdesk, 20), of(sales, 60)]);
    assert.deepEqual([both.inTime, both.decided], [3, 6]);
    assert.equal(both.serviceLevel, 0.5);
    assert.equal(both.offered, 6);
  });

  it('none decided: no service level', () => {
    const waiting = [task(created(at(22, 3590)))];
    assert.equal(withServiceLevels(of(waiting, null), [of(waiting, 20)]).serviceLevel, null);
  });
});

describe('the 90th percentile', () => {
  const cases = [
    [[7], 7],
    [[1, 2], 2],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 9],
    [[10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 100], 10],
  ] as const;
  for (const [seconds, p90] of cases)
    it(`of ${seconds.join(', ')} s is ${p90} s`, () =>
      assert.equal(spreadOf(durationsOf(...seconds.map((s) => s * SEC))).p90Ms, p90 * SEC));

  it('is the upper bound of its bin: a second up to an hour, a minute up to a day', () => {
    assert.equal(spreadOf(durationsOf(7_200)).p90Ms, 8 * SEC);
    assert.equal(spreadOf(durationsOf(3601 * SEC)).p90Ms, 3660 * SEC);
    assert.equal(spreadOf(durationsOf(90_001 * SEC)).p90Ms, 93_600 * SEC);
  });

  it('the average stays exact', () =>
    assert.equal(spreadOf(durationsOf(1_234, 5_678)).averageMs, 3_456));
});

describe('each person’s KPIs of a day', () => {
  it('counts what each handled, their handle time, and what rang out at them', () => {
    const people = personKpis(
      buckets([
        task(created(at(9)), accepted(at(9, 5)), { kind: 'completed', at: at(9, 65) }),
        task(created(at(9)), accepted(at(9, 5)), { kind: 'completed', at: at(9, 125) }),
        task(
          created(at(10)),
          { kind: 'missed', at: at(10, 10), by: ADA },
          accepted(at(10, 20), BO),
        ), // accepted by Bo, not completed: not handled yet
      ]),
      today,
    );
    assert.deepEqual(
      people.map((p) => [p.userId, p.accepted, p.handled, p.handle.averageMs, p.missed]),
      [
        [ADA, 2, 2, 90 * SEC, 1],
        [BO, 1, 0, null, 0],
      ],
    );
  });
});

describe('time Active and available within a period', () => {
  it('counts each stretch inside the period, from a change before it, up to now', () => {
    const changes = [
      { at: at(-2), active: true, available: true }, // since yesterday 22:00
      { at: at(8), active: true, available: false }, // busy from 08:00
      { at: at(9), active: false, available: false }, // inactive from 09:00
      { at: at(10), active: true, available: true }, // and back at 10:00
    ];
    const { activeMs, availableMs } = timeInStates(changes, today, at(11));
    assert.equal(activeMs, (9 + 1) * 3600_000); // 00:00–09:00 and 10:00–11:00
    assert.equal(availableMs, (8 + 1) * 3600_000);
  });

  it('no changes: no time', () => {
    assert.deepEqual(timeInStates([], today, at(11)), { activeMs: 0, availableMs: 0 });
  });
});

describe('a period read as whole UTC days and the quarters at its ends', () => {
  const ZONES = [
    'UTC',
    'Europe/Zurich',
    'Asia/Kolkata',
    'Asia/Kathmandu',
    'America/St_Johns',
    'Australia/Lord_Howe',
  ];
  it('counts what its quarters count, per hour too, in any time zone', () => {
    const quarterArb = fc.record({
      at: fc.integer({ min: 0, max: 40 * 96 - 1 }),
      offered: fc.nat(5),
      accepted: fc.nat(5),
      abandoned: fc.nat(2),
      waitSec: fc.array(fc.nat(400), { maxLength: 3 }),
    });
    fc.assert(
      fc.property(
        fc.array(quarterArb, { maxLength: 60 }),
        fc.constantFrom(...ZONES),
        fc.constantFrom(1, 7, 30),
        fc.integer({ min: 31, max: 39 }),
        (made, zone, days, nowDay) => {
          const origin = Date.UTC(2026, 2, 1); // a month with clock changes in it
          const quarters = made.map((q) => ({
            start: instantOf(origin + q.at * BUCKET_MS),
            tally: {
              ...NO_TALLY,
              offered: q.offered,
              accepted: q.accepted,
              abandoned: q.abandoned,
              wait: durationsOf(...q.waitSec.map((s) => s * SEC)),
              people: { [ADA]: { accepted: q.accepted, missed: 0, handle: durationsOf() } },
            },
          }));
          const byDay = new Map<number, BucketTally>();
          for (const q of quarters)
            byDay.set(dayOf(q.start), addToDay(byDay.get(dayOf(q.start)), q));
          const period = lastDays(instantOf(origin + nowDay * 86_400_000), days, zone);
          const spans = spansOf(period);
          const within = (b: BucketTally, [from, to]: readonly [number, number]) =>
            b.start >= from && b.start < to;
          const read = [
            ...[...byDay.values()].filter((d) => spans.days && within(d, spans.days)),
            ...quarters.filter((q) => spans.quarters.some((range) => within(q, range))),
          ];
          const options = { now: period.to, thresholdSec: 20, timeZone: zone };
          assert.deepEqual(queueKpis(read, period, options), queueKpis(quarters, period, options));
          assert.deepEqual(personKpis(read, period), personKpis(quarters, period));
        },
      ),
      { numRuns: 300 },
    );
  });
});
