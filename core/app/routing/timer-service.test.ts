import { strict as assert } from 'node:assert';
import { anAcw } from '../../../test/builders.js';
import { uniquePrefix, IN_MEMORY } from '../../../test/table-accounts.js';
import { until as waitUntil } from '../../../test/until.js';
import { asTenantId, asUserId, type TenantId } from '../../domain/ids.js';
import { newAgentState } from '../../domain/routing/agent-state.js';
import { agentKey } from '../../store/routing-rows.js';
import { instantOf, type Instant } from '../../domain/instant.js';
import { newTenant } from '../../domain/tenant-lifecycle.js';
import { createStores, type Stores } from '../../store/stores.js';
import { ManualClock, systemClock } from '../clock.js';
import { Dispatcher } from './dispatcher.js';
import { TENANT_JOBS_EVERY_MS, TimerService } from './timer-service.js';
import { keyShare } from '../../store/partition-cache.js';

const now = instantOf(1_795_000_000_000);

/** A promise that resolves once `release` is called. */
function gate() {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  return { held, release };
}
const A = asTenantId('timers-a');
const B = asTenantId('timers-b');

describe('a timer sweep whose jobs fail', () => {
  it('reports each failure and still sweeps, purges and drains everything else', async () => {
    const real = createStores(IN_MEMORY.storage(uniquePrefix(), { maxStalenessMs: 60_000 }));
    for (const id of [A, B]) {
      await real.tenantIndex.add(id);
      await real.tenants.insert(newTenant(id, id, 'Active', now));
    }
    const forgotten: TenantId[] = [];
    const stores: Stores = {
      ...real,
      tenantIndex: {
        ...real.tenantIndex,
        catchUp: () => Promise.reject(new Error('catch-up failed')),
      },
      forgetStaleStamps: (tenantId) => {
        if (tenantId === A) return Promise.reject(new Error(`purge of ${tenantId} failed`));
        forgotten.push(tenantId);
        return Promise.resolve(0);
      },
    };
    const clock = new ManualClock(now);
    const errors: string[] = [];
    const drained: (readonly TenantId[])[] = [];
    const swept: TenantId[] = [];
    const dispatcher = new Dispatcher({ stores, clock });
    const fire = dispatcher.fireDueTimers.bind(dispatcher);
    dispatcher.fireDueTimers = (tenantId, at) => {
      swept.push(tenantId);
      return fire(tenantId, at);
    };
    const timers = new TimerService({
      stores,
      clock,
      dispatcher,
      onError: (error) => errors.push(String(error)),
      afterSweep: (tenantIds) => {
        drained.push(tenantIds);
        return Promise.resolve();
      },
    });
    await timers.sweep(now);
    // A period on, every tenant's first jobs have come due (see the spread below).
    for (const list of [errors, drained, swept, forgotten]) list.length = 0;
    await timers.sweep(instantOf(now + TENANT_JOBS_EVERY_MS));
    assert.deepEqual(errors.sort(), ['Error: catch-up failed', `Error: purge of ${A} failed`]);
    assert.deepEqual(swept.sort(), [A, B].sort(), 'every tenant’s timers');
    assert.deepEqual(forgotten, [B], 'the other tenant’s purge');
    assert.deepEqual(
      drained.map((t) => [...t].sort()),
      [[A, B].sort()],
      'the card drain',
    );
  });
});

describe('the tenants’ own jobs on an instance that starts with many tenants', () => {
  it('come due spread over their period, not all in its first sweep', async () => {
    const real = createStores(IN_MEMORY.storage(uniquePrefix(), { maxStalenessMs: 60_000 }));
    const ids = Array.from({ length: 200 }, (_, i) => asTenantId(`jobs-${i}`));
    for (const id of ids) await real.tenantIndex.add(id);
    const ran: TenantId[] = [];
    const stores: Stores = {
      ...real,
      forgetStaleStamps: (tenantId) => (ran.push(tenantId), Promise.resolve(0)),
    };
    const clock = new ManualClock(now);
    const timers = new TimerService({
      stores,
      clock,
      dispatcher: new Dispatcher({ stores, clock }),
    });
    const hour = TENANT_JOBS_EVERY_MS / 6;
    const ranBy = async (hours: number) => {
      await timers.sweep(instantOf(now + hours * hour));
      return new Set(ran).size;
    };
    assert.equal(await ranBy(0), 0, 'none in the first sweep');
    const byThree = await ranBy(3);
    assert.ok(byThree > 60 && byThree < 140, `half the period: ${byThree} of 200`);
    assert.equal(
      byThree,
      ids.filter((id) => keyShare(id) >= 0.5).length,
      'those whose share of the period has passed',
    );
    assert.equal(await ranBy(6), 200, 'every tenant within the period');
    assert.equal(ran.length, 200, 'each once');
  });
});

/**
 * A tenant on the system clock whose timer service sweeps only a minute apart (so only a
 * wake-up can fire a timer within a test), counting its periodic sweeps, and when the
 * dispatcher first told of a change (an ACW ended).
 */
async function minuteApart(
  T: TenantId,
  options: { sweepEveryMs?: number; hold?: Promise<void> } = {},
) {
  const real = createStores(IN_MEMORY.storage(uniquePrefix(), { maxStalenessMs: 60_000 }));
  await real.tenantIndex.add(T);
  await real.tenants.insert(newTenant(T, T, 'Active', systemClock.now()));
  const seen = { sweeps: 0, endedAt: null as number | null };
  const stores: Stores = {
    ...real,
    tenantIndex: {
      ...real.tenantIndex,
      // With `hold`, every sweep after the first waits for it.
      ids: async () => {
        if (seen.sweeps++ > 0 && options.hold) await options.hold;
        return real.tenantIndex.ids();
      },
    },
  };
  const dispatcher = new Dispatcher({
    stores,
    clock: systemClock,
    onChanged: () => (seen.endedAt ??= Date.now()),
  });
  const timers = new TimerService({
    stores,
    clock: systemClock,
    dispatcher,
    sweepEveryMs: options.sweepEveryMs ?? 60_000,
  });
  /** Ada in ACW until `until`. */
  const acwUntil = (until: Instant) =>
    stores.routing.agents.insert({
      ...newAgentState(T, asUserId('ada'), systemClock.now()),
      engagement: anAcw(until),
    });
  /** Waits for the ACW to end, and checks it ended in storage, not before `until`. */
  const ended = async (until: Instant) => {
    await waitUntil('the ACW ended', () => seen.endedAt !== null, 5_000);
    const agent = await stores.routing.agents.get(agentKey(T, asUserId('ada')));
    assert.equal(agent?.value.engagement, null);
    assert.ok((seen.endedAt ?? 0) >= until, 'not before its due time');
  };
  return { seen, dispatcher, timers, acwUntil, ended };
}

describe('a timer service on the system clock', () => {
  it('wakes for a timer due before its next periodic sweep and fires it then', async () => {
    const { timers, acwUntil, ended } = await minuteApart(asTenantId('timers-wake'));
    const until = instantOf(systemClock.now() + 400);
    await acwUntil(until);
    timers.start();
    try {
      await ended(until);
    } finally {
      await timers.stop();
    }
  });

  it('after a step of this instance, wakes for the timer it set without waiting for a sweep to find it', async () => {
    const T = asTenantId('timers-own-step');
    const { seen, dispatcher, timers, acwUntil, ended } = await minuteApart(T);
    timers.start();
    try {
      await timers.sweep(systemClock.now()); // after the first one: no sweep comes for a minute
      assert.equal(seen.sweeps, 2);
      // The step: a task completed here, its ACW written, then distribution as every use case does.
      const until = instantOf(systemClock.now() + 300);
      await acwUntil(until);
      await dispatcher.run(T, false);
      await ended(until);
      assert.equal(seen.sweeps, 2, 'fired by the wake-up, no sweep');
    } finally {
      await timers.stop();
    }
  });
  it('wakes for a timer due further off than its sweep period, while no sweep can run', async () => {
    const T = asTenantId('timers-far-wake');
    const { held: hold, release } = gate();
    const { seen, dispatcher, timers, acwUntil, ended } = await minuteApart(T, {
      sweepEveryMs: 100,
      hold,
    });
    timers.start();
    try {
      await waitUntil('the first sweep done, the next held', () => seen.sweeps >= 2, 5_000);
      // Due four sweep periods on, noted by a step of this instance: only a wake-up fires it.
      const until = instantOf(systemClock.now() + 400);
      await acwUntil(until);
      await dispatcher.run(T, false);
      await ended(until);
    } finally {
      release();
      await timers.stop();
    }
  });
});

describe('a sweep whose chores (catch-ups, tenants’ jobs, the outboxes’ drains) take long', () => {
  it('does not hold up the sweeps that follow, and its chores are not lined up behind it', async () => {
    const real = createStores(IN_MEMORY.storage(uniquePrefix(), { maxStalenessMs: 60_000 }));
    let sweeps = 0;
    const stores: Stores = {
      ...real,
      tenantIndex: { ...real.tenantIndex, ids: () => (sweeps++, real.tenantIndex.ids()) },
    };
    const { held, release } = gate();
    let drains = 0;
    const timers = new TimerService({
      stores,
      clock: systemClock,
      dispatcher: new Dispatcher({ stores, clock: systemClock }),
      sweepEveryMs: 2,
      afterSweep: async () => {
        if (++drains === 1) await held;
      },
    });
    timers.start();
    try {
      await waitUntil('three sweeps while the first drain is held', () => sweeps >= 3, 5_000);
      assert.equal(drains, 1, 'the chores asked for meanwhile wait as one run, not a line');
    } finally {
      release();
      await timers.stop();
    }
  });
});

describe('a periodic sweep that takes longer than the period', () => {
  it('is followed by one sweep, not by a line of them growing with each tick', async () => {
    const real = createStores(IN_MEMORY.storage(uniquePrefix(), { maxStalenessMs: 60_000 }));
    const { held, release } = gate();
    let sweeps = 0;
    const stores: Stores = {
      ...real,
      tenantIndex: {
        ...real.tenantIndex,
        ids: async () => {
          if (++sweeps === 1) await held;
          return [];
        },
      },
    };
    const dispatcher = new Dispatcher({ stores, clock: systemClock });
    const timers = new TimerService({ stores, clock: systemClock, dispatcher, sweepEveryMs: 2 });
    timers.start();
    // Twenty of the service's periods pass while its first sweep is held (counted by a
    // clock of the same period beside it, so a loaded machine counts the same).
    let ticks = 0;
    const beside = setInterval(() => ticks++, 2);
    try {
      await waitUntil('twenty periods passed', () => ticks >= 20, 5_000);
    } finally {
      clearInterval(beside);
    }
    release();
    await timers.stop();
    assert.ok(sweeps <= 2, `${sweeps} sweeps ran: at most the held one and one after it`);
  });
});
