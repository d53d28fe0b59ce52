import type { AppDeps } from '../core/app/app-deps.js';
import { seedDemo } from '../core/app/seed-demo.js';
import { NO_DISTRIBUTION } from '../core/app/routing/distribution.js';
import { instantOf, type Instant } from '../core/domain/instant.js';
import { createStores } from '../core/store/stores.js';
import { IN_MEMORY, uniquePrefix } from './table-accounts.js';

/** A moment the unit tests of the demo tenant live at. */
export const DEMO_START: Instant = instantOf(1_795_000_000_000);

/**
 * The use cases' effects on in-memory tables holding the demo tenant (seeded), a fixed
 * clock and no distribution: the unit tier's world for rules that do not route.
 */
export async function inMemoryDemo(routingShards = 1): Promise<AppDeps> {
  const stores = createStores(IN_MEMORY.storage(uniquePrefix()));
  await seedDemo(stores, DEMO_START, routingShards);
  return {
    stores,
    clock: { now: () => DEMO_START },
    newId: () => 'x',
    distribution: NO_DISTRIBUTION,
  };
}
