import { strict as assert } from 'node:assert';
import { setTimeout as sleep } from 'node:timers/promises';
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
