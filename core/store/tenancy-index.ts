import type { Skills } from '../domain/directory-user.js';
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

const SERVICE = 'service:';
const MEMBER = 'member:';
const USER = 'user:';

interface TenancyRepositories {
  readonly services: ServiceStore;
  readonly memberships: MembershipStore;
  readonly users: UserStore;
}

/**
 * What a distribution run reads of a tenant's tenancy rows (its services, each service's
 * members, people's skills), kept up row by row like the routing index: a run after a
 * presence change reads them without listing the tenant's people again. Members per
 * service come as lists in row key order (by person), made again only after a membership
 * changed.
 */
export class TenancyIndex implements PartitionIndex {
  private readonly serviceMap = new Map<ServiceId, Service>();
  private readonly memberRows = new Map<string, Membership>();
  private memberLists: Map<ServiceId, Membership[]> | null = null;
  private readonly skillMap = new Map<UserId, Skills>();

  constructor(private readonly stores: TenancyRepositories) {}

  static kind(stores: TenancyRepositories): IndexKind<TenancyIndex> {
    return indexKind([SERVICE, MEMBER, USER], () => new TenancyIndex(stores));
  }

  changed(rowKey: string, row: CachedRow | undefined): void {
    if (rowKey.startsWith(SERVICE)) {
      if (row) this.addService(this.stores.services.parsed(row).value);
      else this.serviceMap.delete(rowKey.slice(SERVICE.length) as ServiceId);
    } else if (rowKey.startsWith(MEMBER)) {
      if (row) this.addMember(this.stores.memberships.parsed(row).value);
      else {
        this.memberRows.delete(rowKey);
        this.memberLists = null;
      }
    } else if (rowKey.startsWith(USER)) {
      if (row) {
        const user = this.stores.users.parsed(row).value;
        this.addSkills(user.id, user.skills);
      } else this.skillMap.delete(rowKey.slice(USER.length) as UserId);
    }
  }

  private addService(service: Service): void {
    this.serviceMap.set(service.id, service);
  }

  private addMember(membership: Membership): void {
    this.memberRows.set(`${MEMBER}${membership.serviceId}:${membership.userId}`, membership);
    this.memberLists = null;
  }

  private addSkills(userId: UserId, skills: Skills): void {
    this.skillMap.set(userId, skills);
  }

  get services(): ReadonlyMap<ServiceId, Service> {
    return this.serviceMap;
  }

  /** Each service's members, by person (row key order). */
  get members(): ReadonlyMap<ServiceId, readonly Membership[]> {
    if (!this.memberLists) {
      const lists = new Map<ServiceId, Membership[]>();
      for (const rowKey of [...this.memberRows.keys()].sort()) {
        const m = this.memberRows.get(rowKey);
        if (!m) continue;
        const list = lists.get(m.serviceId);
        if (list) list.push(m);
        else lists.set(m.serviceId, [m]);
      }
      this.memberLists = lists;
    }
    return this.memberLists;
  }

  get skills(): ReadonlyMap<UserId, Skills> {
    return this.skillMap;
  }
}
