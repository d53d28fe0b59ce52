import type { Skills } from '../domain/directory-user.js';
import type { License } from '../domain/license.js';
import { ROUTING_LICENSES } from '../domain/routing/task-licenses.js';
import type { ServiceId, UserId } from '../domain/ids.js';
import type { Membership, Service } from '../domain/service.js';
import {
  indexKind,
  type CachedRow,
  type IndexKind,
  type PartitionIndex,
} from './partition-cache.js';
import type { MembershipStore } from './table-membership-store.js';
import type { ServiceStore } from './table-service-store.js';
import type { UserStore } from './table-user-store.js';
import { sortedTree, type SortedTree } from './sorted-tree.js';

const SERVICE = 'service:';
const MEMBER = 'member:';
const USER = 'user:';

interface TenancyRepositories {
  readonly services: ServiceStore;
  readonly memberships: MembershipStore;
  readonly users: UserStore;
}

/** A service's members by person, kept in order as they change; iterating reads them live. */
class MemberTree implements Iterable<Membership> {
  readonly tree: SortedTree<UserId, Membership> = sortedTree<UserId, Membership>();
  [Symbol.iterator](): Iterator<Membership> {
    return this.tree.values();
  }
}

/** What a tenancy row's change concerns, for those kept up beside the index (see watch). */
export type TenancyChange =
  | { readonly kind: 'service'; readonly serviceId: ServiceId }
  | { readonly kind: 'member'; readonly serviceId: ServiceId; readonly userId: UserId }
  | { readonly kind: 'person'; readonly userId: UserId };

/**
 * What a distribution run reads of a tenant's tenancy rows (its services, each service's
 * members, people's skills), kept up row by row like the routing index: a run after a
 * presence change reads them without listing the tenant's people again. Each service's
 * members are kept in a tree by person, so a membership's change costs its own update
 * and reading them costs what is read.
 */
export class TenancyIndex implements PartitionIndex {
  private readonly serviceMap = new Map<ServiceId, Service>();
  private readonly memberTrees = new Map<ServiceId, MemberTree>();
  private readonly skillMap = new Map<UserId, Skills>();
  private readonly licenseMap = new Map<UserId, readonly License[]>();
  private readonly watchers = new Set<(change: TenancyChange) => void>();

  constructor(private readonly stores: TenancyRepositories) {}

  static kind(stores: TenancyRepositories): IndexKind<TenancyIndex> {
    return indexKind([SERVICE, MEMBER, USER], () => new TenancyIndex(stores));
  }

  changed(rowKey: string, row: CachedRow | undefined): void {
    if (rowKey.startsWith(SERVICE)) {
      const serviceId = rowKey.slice(SERVICE.length) as ServiceId;
      if (row) this.serviceMap.set(serviceId, this.stores.services.parsed(row).value);
      else this.serviceMap.delete(serviceId);
      this.tell({ kind: 'service', serviceId });
    } else if (rowKey.startsWith(MEMBER)) {
      // `member:{serviceId}:{userId}` (ids hold no colon).
      const [serviceId, userId] = rowKey.slice(MEMBER.length).split(':') as [ServiceId, UserId];
      let members = this.memberTrees.get(serviceId);
      if (row) {
        if (!members) this.memberTrees.set(serviceId, (members = new MemberTree()));
        const membership = this.stores.memberships.parsed(row).value;
        members.tree.set(membership.userId, membership); // its id as the key: held once
      } else if (members) {
        members.tree.delete(userId);
        if (!members.tree.size) this.memberTrees.delete(serviceId);
      }
      this.tell({ kind: 'member', serviceId, userId });
    } else if (rowKey.startsWith(USER)) {
      const userId = rowKey.slice(USER.length) as UserId;
      const user = row && this.stores.users.parsed(row).value;
      // Only people with skills are held (most have none: an empty entry each would add up).
      if (user && Object.keys(user.skills).length) this.skillMap.set(userId, user.skills);
      else this.skillMap.delete(userId);
      // Likewise licenses, for those holding one that routing asks for (the list as read: shared).
      if (user?.licenses.some((l) => ROUTING_LICENSES.has(l)))
        this.licenseMap.set(userId, user.licenses);
      else this.licenseMap.delete(userId);
      this.tell({ kind: 'person', userId });
    }
  }

  /** Calls `watcher` after each row's change; the returned function stops it. */
  watch(watcher: (change: TenancyChange) => void): () => void {
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }

  private tell(change: TenancyChange): void {
    for (const watcher of this.watchers) watcher(change);
  }

  get services(): ReadonlyMap<ServiceId, Service> {
    return this.serviceMap;
  }

  /** Each service's members, by person (row key order), read live. */
  get members(): ReadonlyMap<ServiceId, Iterable<Membership>> {
    return this.memberTrees;
  }

  /** A service's membership of a person. */
  membership(serviceId: ServiceId, userId: UserId): Membership | undefined {
    return this.memberTrees.get(serviceId)?.tree.get(userId);
  }

  /** How many members a service has. */
  memberCount(serviceId: ServiceId): number {
    return this.memberTrees.get(serviceId)?.tree.size ?? 0;
  }

  /** Up to `top` of a service's members by person, after one (or from the first); and whether more follow. */
  memberPage(
    serviceId: ServiceId,
    after: UserId | null,
    top: number,
  ): { shown: Membership[]; more: boolean } {
    const shown: Membership[] = [];
    const tree = this.memberTrees.get(serviceId)?.tree;
    for (const [userId, membership] of tree?.entries(after ?? undefined) ?? []) {
      if (after !== null && userId <= after) continue;
      if (shown.length === top) return { shown, more: true };
      shown.push(membership);
    }
    return { shown, more: false };
  }

  /** People's skills; someone without any is not in it. */
  get skills(): ReadonlyMap<UserId, Skills> {
    return this.skillMap;
  }

  /** People's licenses, for those holding one that routing asks for (see ROUTING_LICENSES). */
  get licenses(): ReadonlyMap<UserId, readonly License[]> {
    return this.licenseMap;
  }
}
