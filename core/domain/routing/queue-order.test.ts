import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import type { TaskPriority } from '../service-settings.js';
import {
  byLevel,
  MAX_PLACE_COUNTED,
  ORDINARY_LEVELS,
  pickLevel,
  placeInQueue,
  servingOrder,
  servingPage,
  type Level,
  type Queued,
  type RoundRobinState,
  type ServingPosition,
} from './queue-order.js';

const ordinarySubset = fc.subarray([...ORDINARY_LEVELS], { minLength: 1 });

/** Picks with a fixed set of levels that never run dry. */
function picks(levels: readonly Level[], count: number, start: RoundRobinState = {}): Level[] {
  const waiting = new Set(levels);
  const out: Level[] = [];
  let state = start;
  for (let i = 0; i < count; i++) {
    const next = pickLevel(waiting, state);
    if (!next) break;
    out.push(next.level);
    state = next.state;
  }
  return out;
}

const weightsOf = (levels: readonly Level[]) => {
  const ordered = ORDINARY_LEVELS.filter((l) => levels.includes(l));
  return new Map(ordered.map((l, i) => [l, 2 ** (ordered.length - 1 - i)]));
};

describe('queue order: weighted round robin', () => {
  it('serves every backlogged level exactly its weight in ANY window of W picks (adjacent levels 2:1)', () => {
    fc.assert(
      fc.property(ordinarySubset, fc.nat(200), (levels, offset) => {
        const weights = weightsOf(levels);
        const W = [...weights.values()].reduce((a, b) => a + b, 0);
        const window = picks(levels, offset + W).slice(offset);
        for (const [level, weight] of weights)
          assert.equal(window.filter((l) => l === level).length, weight);
      }),
    );
  });

  it('never starves the lowest level: whatever the history, it is served within 2W picks while it waits', () => {
    const history = fc.array(fc.subarray([...ORDINARY_LEVELS]), { minLength: 1, maxLength: 400 });
    fc.assert(
      fc.property(history, (sets) => {
        let state: RoundRobinState = {};
        let gap = 0;
        for (const set of sets) {
          const waiting = new Set<Level>([...set, 'Lowest']);
          const next = pickLevel(waiting, state);
          assert.ok(next);
          state = next.state;
          gap = next.level === 'Lowest' ? 0 : gap + 1;
          assert.ok(gap < 2 * 127, `waited ${gap} picks`);
        }
      }),
    );
  });

  it('matches the seed example: 12 high, 6 medium, 3 low are served 4:2:1 per round of 7', () => {
    const queue: Queued[] = [
      ...Array.from({ length: 12 }, (_, i) => ({
        priority: 'High' as const,
        enqueuedAt: i,
        id: `h${i}`,
      })),
      ...Array.from({ length: 6 }, (_, i) => ({
        priority: 'Normal' as const,
        enqueuedAt: i,
        id: `n${i}`,
      })),
      ...Array.from({ length: 3 }, (_, i) => ({
        priority: 'Low' as const,
        enqueuedAt: i,
        id: `l${i}`,
      })),
    ];
    const order = servingOrder(queue, {}).map((t) => t.priority[0]);
    for (let round = 0; round < 3; round++) {
      const slice = order.slice(round * 7, round * 7 + 7);
      assert.deepEqual(
        [
          slice.filter((p) => p === 'H').length,
          slice.filter((p) => p === 'N').length,
          slice.filter((p) => p === 'L').length,
        ],
        [4, 2, 1],
      );
    }
    assert.equal(order.length, 21);
  });
});

const task = (priority: TaskPriority, enqueuedAt: number, id: string): Queued => ({
  priority,
  enqueuedAt,
  id,
});
const anyPriority = fc.constantFrom<TaskPriority>('Strict', ...ORDINARY_LEVELS, 'NothingElse');
const queueArb = fc
  .array(fc.record({ priority: anyPriority, enqueuedAt: fc.nat(1000) }), { maxLength: 60 })
  .map((xs) => xs.map((x, i) => task(x.priority, x.enqueuedAt, `t${String(i).padStart(3, '0')}`)));

describe('queue order: Strict, Nothing Else, FIFO', () => {
  it('serves all Strict tasks first, FIFO among them, and Nothing Else only at the very end', () => {
    fc.assert(
      fc.property(queueArb, (queue) => {
        const order = servingOrder(queue, {});
        assert.equal(order.length, queue.length);
        const strict = order.filter((t) => t.priority === 'Strict');
        assert.deepEqual(order.slice(0, strict.length), strict);
        const rest = order.filter((t) => t.priority === 'NothingElse');
        assert.deepEqual(order.slice(order.length - rest.length), rest);
      }),
    );
  });

  it('keeps FIFO inside every level (entry time, then id)', () => {
    fc.assert(
      fc.property(queueArb, (queue) => {
        const order = servingOrder(queue, {});
        for (const [level, group] of byLevel(queue)) {
          assert.deepEqual(
            order.filter((t) => t.priority === level),
            group,
          );
        }
      }),
    );
  });

  it('serves nothing from an empty queue', () => {
    assert.deepEqual(servingOrder([], {}), []);
    assert.equal(pickLevel(new Set(), {}), null);
  });
});

describe('queue order a page at a time', () => {
  /** Levels read from just after a task, as the routing index gives them. */
  const levelsOf = (queue: readonly Queued[]) =>
    new Map(
      [...byLevel(queue)].map(([level, group]) => {
        const from = (after: Queued | null) => {
          const rest = group.filter(
            (t) =>
              !after ||
              t.enqueuedAt > after.enqueuedAt ||
              (t.enqueuedAt === after.enqueuedAt && t.id > after.id),
          );
          return rest[Symbol.iterator]();
        };
        return [level, from] as const;
      }),
    );

  it('pages of any size, one after the other, give the serving order and end with it', () => {
    fc.assert(
      fc.property(queueArb, fc.integer({ min: 1, max: 25 }), (queue, top) => {
        const levels = levelsOf(queue);
        const served: Queued[] = [];
        let from: ServingPosition | null = { roundRobin: {}, after: {} };
        let pages = 0;
        while (from) {
          const page: ReturnType<typeof servingPage<Queued>> = servingPage(levels, from, top);
          assert.ok(page.tasks.length <= top);
          if (page.next) assert.equal(page.tasks.length, top, 'only the last page is short');
          served.push(...page.tasks);
          from = page.next;
          pages++;
        }
        assert.deepEqual(served, servingOrder(queue, {}));
        assert.equal(pages, Math.max(1, Math.ceil(queue.length / top)));
      }),
    );
  });

  it('goes on after a task that left the queue meanwhile, from its place', () => {
    const queue = [task('Normal', 1, 'a'), task('Normal', 2, 'b'), task('Normal', 3, 'c')];
    const first = servingPage(levelsOf(queue), { roundRobin: {}, after: {} }, 1);
    assert.deepEqual(
      first.tasks.map((t) => t.id),
      ['a'],
    );
    assert.ok(first.next);
    const without = levelsOf(queue.filter((t) => t.id !== 'a'));
    assert.deepEqual(
      servingPage(without, first.next, 5).tasks.map((t) => t.id),
      ['b', 'c'],
    );
  });
});

describe('a waiting task’s place in its queue (what a website chat’s customer is told)', () => {
  const task = (id: string, priority: TaskPriority, at: number): Queued => ({
    id,
    priority,
    enqueuedAt: at,
  });
  const levelsOf = (tasks: readonly Queued[]) => byLevel(tasks);

  it('counts the higher levels and its own level’s earlier tasks, and no later or lower ones', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            priority: fc.constantFrom<TaskPriority>('Strict', 'High', 'Normal', 'NothingElse'),
            at: fc.integer({ min: 0, max: 20 }),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        fc.nat(),
        (drawn, pick) => {
          const tasks = drawn.map((t, i) =>
            task(`t${String(i).padStart(2, '0')}`, t.priority, t.at),
          );
          const me = tasks[pick % tasks.length]!;
          const rank = (p: TaskPriority) => ['Strict', 'High', 'Normal', 'NothingElse'].indexOf(p);
          const ahead = tasks.filter(
            (o) =>
              rank(o.priority) < rank(me.priority) ||
              (o.priority === me.priority &&
                (o.enqueuedAt < me.enqueuedAt || (o.enqueuedAt === me.enqueuedAt && o.id < me.id))),
          ).length;
          assert.deepEqual(placeInQueue(levelsOf(tasks), me), {
            position: ahead + 1,
            beyond: false,
          });
        },
      ),
    );
  });

  it('stops counting at the cap, whatever waits ahead: a million tasks cost a hundred steps', () => {
    let steps = 0;
    const ahead = function* (): Generator<Queued> {
      for (let i = 0; i < 1_000_000; i++) {
        steps++;
        yield task(`h${i}`, 'High', i);
      }
    };
    const me = task('me', 'Normal', 0);
    const place = placeInQueue(
      [
        ['High', ahead()],
        ['Normal', [me]],
      ],
      me,
    );
    assert.deepEqual(place, { position: MAX_PLACE_COUNTED + 1, beyond: true });
    assert.equal(steps, MAX_PLACE_COUNTED);
    const exactly = Array.from({ length: MAX_PLACE_COUNTED - 1 }, (_, i) =>
      task(`h${i}`, 'High', i),
    );
    assert.deepEqual(placeInQueue(levelsOf([...exactly, me]), me), {
      position: MAX_PLACE_COUNTED,
      beyond: false,
    });
  });
});
