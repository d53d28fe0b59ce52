import type { Distribution } from './routing/distribution.js';
import type { Stores } from '../store/stores.js';
import type { Clock } from './clock.js';

/** The effects a use case may use, passed in by the composition root. */
export interface AppDeps {
  readonly stores: Stores;
  readonly clock: Clock;
  /** Fresh unique ids (random UUIDs in production). */
  readonly newId: () => string;
  /** Distributes after a committed change (see routing/distribution.ts). */
  readonly distribution: Distribution;
}
