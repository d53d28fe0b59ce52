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
   * What people who just joined a service need, from Microsoft Graph when it is configured:
   * their presence read now, not at the next poll (presence-feed.ts), and the app installed
   * for those the bot cannot write to yet (chat-reach.ts). Never fails the joining.
   */
  readonly newcomers?: { joined(tenantId: TenantId, userIds: readonly UserId[]): Promise<void> };
}
