import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { asServiceId } from '../ids.js';
import { instantOf } from '../instant.js';
import { stretchTimes, timeWithin, type ServiceRule } from './time-in-state.js';
import type { PersonState } from './user-states.js';

const HELP = asServiceId('help');
const SALES = asServiceId('sales');
const DAY = Date.UTC(2026, 11, 2);
const at = (h: number, m: number) => instantOf(DAY + (h * 60 + m) * 60_000);
const MIN = 60_000;
const free: PersonState = { presence: 'Available', engagement: null, serviceId: null, rona: false };
const rules: ServiceRule[] = [
  {
    serviceId: HELP,
    skillBased: false,
    presence: { busy: false, busyInMeeting: false, away: false },
  },
  {
    serviceId: SALES,
    skillBased: true,
    presence: { busy: false, busyInMeeting: false, away: true },
  },
];
const total = (
  state: PersonState,
  switches = [] as { at: ReturnType<typeof at>; serviceId: typeof HELP; active: boolean }[],
) => {
  const { times, active } = stretchTimes(
    at(9, 10),
    at(10, 5),
    state,
    new Map([[HELP, true]]),
    switches,
    rules,
  );
  const of = (s: typeof HELP) =>
    timeWithin(
      [...(times.get(s) ?? new Map())].map(([day, t]) => ({ day, times: t })),
      { from: DAY, to: DAY + 86_400_000 },
    );
  return { help: of(HELP), sales: of(SALES), active };
};

describe('time Active and available, as states change', () => {
  it('a free person: Active and available all along, in each service', () => {
    const { help, sales } = total(free);
    assert.deepEqual(help, { activeMs: 55 * MIN, availableMs: 55 * MIN });
    assert.deepEqual(
      sales,
      { activeMs: 55 * MIN, availableMs: 55 * MIN },
      'skill-based: no switch',
    );
  });

  it('an Active switch inside a stretch splits it, and says what stands at its end', () => {
    const { help, active } = total(free, [{ at: at(9, 40), serviceId: HELP, active: false }]);
    assert.deepEqual(help, { activeMs: 30 * MIN, availableMs: 30 * MIN });
    assert.equal(active.get(HELP), false);
  });

  it('on a task, in after-call work, in RONA, or a presence the service does not admit: Active, not available', () => {
    for (const state of [
      { ...free, engagement: 'accepted' as const, serviceId: SALES },
      { ...free, engagement: 'acw' as const, serviceId: HELP },
      { ...free, rona: true },
    ])
      assert.deepEqual(total(state).help, { activeMs: 55 * MIN, availableMs: 0 });
    const away = total({ ...free, presence: 'Away' });
    assert.deepEqual(away.help, { activeMs: 55 * MIN, availableMs: 0 });
    assert.deepEqual(
      away.sales,
      { activeMs: 55 * MIN, availableMs: 55 * MIN },
      'Sales admits Away',
    );
  });

  it('a period counts the quarters inside it, whatever stretches they came from', () => {
    const { times } = stretchTimes(at(9, 10), at(10, 5), free, new Map([[HELP, true]]), [], rules);
    const days = [...times.get(HELP)!].map(([day, t]) => ({ day, times: t }));
    assert.deepEqual(timeWithin(days, { from: at(9, 15), to: at(9, 45) }), {
      activeMs: 30 * MIN,
      availableMs: 30 * MIN,
    });
  });

  it('a stretch over midnight and several days adds up to its length (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5 * 86_400_000 }),
        fc.integer({ min: 0, max: 3 * 86_400_000 }),
        (start, length) => {
          const from = instantOf(DAY + start);
          const { times } = stretchTimes(
            from,
            instantOf(from + length),
            free,
            new Map([[HELP, true]]),
            [],
            rules,
          );
          const days = [...(times.get(HELP) ?? new Map())].map(([day, t]) => ({ day, times: t }));
          const sum = timeWithin(days, { from: 0, to: 9e15 });
          return sum.activeMs === length && sum.availableMs === length;
        },
      ),
    );
  });
});
