import { strict as assert } from 'node:assert';
import { setTimeout as sleep } from 'node:timers/promises';
import { aMembership, anAgent, aService, aTask, aTenant, NOW, T } from '../../../test/builders.js';
import { uniquePrefix, IN_MEMORY } from '../../../test/table-accounts.js';
import { asTenantId, type TenantId } from '../../domain/ids.js';
import { createStores, type Stores } from '../../store/stores.js';
import { systemClock } from '../clock.js';
import { Dispatcher, SWEEP_TENANTS_AT_ONCE } from './dispatcher.js';

describe('a timer sweep over many tenants', () => {
  const tenants = Array.from({ length: 30 }, (_, i) => asTenantId(`sweep-${i}`));

  /** Real stores whose routing checks are watched: how many run at once, which tenants. */
  function watched(failFor?: TenantId) {
    const real = createStores(IN_MEMORY.storage(uniquePrefix(), { maxStalenessMs: 60_000 }));
    const seen = { inFlight: 0, most: 0, tenants: new Set<TenantId>() };
    const stores: Stores = {
      ...real,
      refreshRouting: async (tenantId) => {
        seen.tenants.add(tenantId);
        seen.inFlight++;
        seen.most = Math.max(seen.most, seen.inFlight);
        try {
          await sleep(5);
          if (tenantId === failFor) throw new Error('storage hiccup');
          return await real.refreshRouting(tenantId);
        } finally {
          seen.inFlight--;
        }
      },
    };
    return { stores, seen };
  }

  it('works on several tenants at once, never more than its bound', async () => {
    const { stores, seen } = watched();
    await new Dispatcher({ stores, clock: systemClock }).sweep(tenants);
    assert.equal(seen.tenants.size, tenants.length);
    assert.equal(seen.most, SWEEP_TENANTS_AT_ONCE);
  });

  it('asks a later sweep one routing check per tenant where nothing is left to do', async () => {
    const { stores, seen } = watched();
    let checks = 0;
    const counted: Stores = {
      ...stores,
      refreshRouting: (tenantId) => {
        checks++;
        return stores.refreshRouting(tenantId);
      },
    };
    const dispatcher = new Dispatcher({ stores: counted, clock: systemClock });
    await dispatcher.sweep(tenants);
    checks = 0;
    await dispatcher.sweep(tenants);
    assert.equal(checks, tenants.length);
    assert.equal(seen.tenants.size, tenants.length);
  });

  it('sweeps every other tenant when one fails, and reports that one', async () => {
    const failing = tenants[3] ?? asTenantId('none');
    const { stores, seen } = watched(failing);
    const errors: TenantId[] = [];
    await new Dispatcher({
      stores,
      clock: systemClock,
      onError: (_error, tenantId) => errors.push(tenantId),
    }).sweep(tenants);
    assert.equal(seen.tenants.size, tenants.length);
    assert.deepEqual(errors, [failing]);
  });
});

describe('a distribution run, as it reports itself', () => {
  for (const cached of [false, true])
    it(`counts what it offered and what still waits (${cached ? 'reading through the cache' : 'reading storage'})`, async () => {
      const stores = createStores(
        IN_MEMORY.storage(uniquePrefix(), cached ? { maxStalenessMs: 60_000 } : {}),
      );
      await stores.tenants.insert(aTenant());
      await stores.services.insert(aService('hotline'));
      await stores.memberships.insert(aMembership('hotline', 'ann'));
      await stores.routing.agents.insert(anAgent('ann'));
      for (const id of ['t1', 't2', 't3']) await stores.routing.openTasks.insert(aTask(id));
      const runs: { offered: number; queued: number }[] = [];
      const dispatcher = new Dispatcher({
        stores,
        clock: { now: () => NOW },
        onRun: ({ offered, queued }) => runs.push({ offered, queued }),
      });
      await dispatcher.run(T);
      // A run may be made again when its check finds rows it had not seen: it offers nothing more.
      assert.deepEqual(runs[0], { offered: 1, queued: 2 });
      for (const again of runs.slice(1)) assert.deepEqual(again, { offered: 0, queued: 2 });
    });
});
