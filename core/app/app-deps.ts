import type { Distribution } from './routing/distribution.js';
import type { Stores } from '../store/stores.js';
import type { Clock } from './clock.js';
import type { TenantId, UserId } from '../domain/ids.js';

/** The effects a use case may use, passed in by the composition root. */
export interface AppDeps {
  readonly stores: Stores;
  readonly clock: Clock;
  /** Fresh unique ids (random UUIDs in production). */
  readonly newId: () => string;
  /** Distributes after a committed change (see routing/distribution.ts). */
  readonly distribution: Distribution;
  /**
   * Reads the presence of people who just joined a service, from Microsoft Graph when it is
   * configured (see presence-feed.ts), so they need not wait for the next poll.
   */
  readonly presence?: { joined(tenantId: TenantId, userIds: readonly UserId[]): Promise<void> };
}
