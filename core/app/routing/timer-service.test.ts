import { strict as assert } from 'node:assert';
import { anAcw } from '../../../test/builders.js';
import { uniquePrefix, IN_MEMORY } from '../../../test/table-accounts.js';
import { until as waitUntil } from '../../../test/until.js';
import { asTenantId, asUserId, type TenantId } from '../../domain/ids.js';
import { newAgentState } from '../../domain/routing/agent-state.js';
import { agentKey } from '../../store/routing-rows.js';
import { instantOf } from '../../domain/instant.js';
import { newTenant } from '../../domain/tenant-lifecycle.js';
import { createStores, type Stores } from '../../store/stores.js';
import { ManualClock, systemClock } from '../clock.js';
import { Dispatcher } from './dispatcher.js';
import { TimerService } from './timer-service.js';

const now = instantOf(1_795_000_000_000);
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

describe('a timer service on the system clock', () => {
  it('wakes for a timer due before its next periodic sweep and fires it then', async () => {
    const stores = createStores(IN_MEMORY.storage(uniquePrefix(), { maxStalenessMs: 60_000 }));
    const T = asTenantId('timers-wake');
    await stores.tenantIndex.add(T);
    await stores.tenants.insert(newTenant(T, T, 'Active', systemClock.now()));
    const until = instantOf(systemClock.now() + 400);
    await stores.routing.agents.insert({
      ...newAgentState(T, asUserId('ada'), systemClock.now()),
      engagement: anAcw(until),
    });
    let endedAt: number | null = null;
    const dispatcher = new Dispatcher({
      stores,
      clock: systemClock,
      onChanged: () => (endedAt ??= Date.now()),
    });
    // Periodic sweeps a minute apart: only the wake-up can end the ACW within the test.
    const timers = new TimerService({
      stores,
      clock: systemClock,
      dispatcher,
      sweepEveryMs: 60_000,
    });
    timers.start();
    try {
      await waitUntil('the ACW ended', () => endedAt !== null, 5_000);
      const agent = await stores.routing.agents.get(agentKey(T, asUserId('ada')));
      assert.equal(agent?.value.engagement, null);
      assert.ok((endedAt ?? 0) >= until, 'not before its due time');
    } finally {
      await timers.stop();
    }
  });
});
