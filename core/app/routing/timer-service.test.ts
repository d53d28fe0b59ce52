import { strict as assert } from 'node:assert';
import { uniquePrefix, IN_MEMORY } from '../../../test/table-accounts.js';
import { asTenantId, type TenantId } from '../../domain/ids.js';
import { instantOf } from '../../domain/instant.js';
import { newTenant } from '../../domain/tenant-lifecycle.js';
import { createStores, type Stores } from '../../store/stores.js';
import { ManualClock } from '../clock.js';
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
