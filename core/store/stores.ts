import { TenantSignal } from './tenant-signal.js';
import { createInteractStore, type InteractStore } from './interact-rows.js';
import { createActivityStore, type ActivityStore } from './activity-rows.js';
import { createUserStateStore, type UserStateStore } from './user-state-rows.js';
import { createReportingStore, type ReportingStore } from './reporting-rows.js';
import { createTenantSecretStore, type TenantSecretStore } from './tenant-secret-rows.js';
import { CallbackWrites, createCallbackOutbox, type CallbackOutboxStore } from './callback-rows.js';
import { createStateTimeStore, type StateTimeStore } from './state-time-rows.js';
import { createLicensePoolStore, type LicensePoolStore } from './table-license-pool-store.js';
import { createMembershipStore, type MembershipStore } from './table-membership-store.js';
import { createOrgUnitStore, type OrgUnitStore } from './table-org-unit-store.js';
import { createServiceStore, type ServiceStore } from './table-service-store.js';
import type { TableStorage } from './table-storage.js';
import { createTenantStore, tenantKey, type TenantStore } from './table-tenant-store.js';
import { commitTransaction, type WriteOp } from './table-transaction.js';
import { createUserStore, type UserStore } from './table-user-store.js';
import {
  createRoutingStores,
  ROUTING_TABLE,
  routingPartition,
  type RoutingStores,
} from './routing-rows.js';
import type { TenantId } from '../domain/ids.js';
import { TENANCY_TABLE } from './json-column.js';
import { createLeaseStore, type LeaseStore } from './lease-rows.js';
import { createPresenceFeedStore, type PresenceFeedStore } from './presence-feed-rows.js';
import { createCardStores, type CardStores } from './card-rows.js';
import { createTeamsLinkStores, type TeamsLinkStores } from './teams-link-rows.js';
import { createTenantIndex, type TenantIndex } from './tenant-index.js';
import { createServiceIndex, type ServiceIndex } from './service-index.js';
import { readsFresh, type IndexKind, type PartitionIndex } from './partition-cache.js';
import { RoutingIndex, type RoutingRows } from './routing-index.js';
import { ShardedRouting } from './sharded-routing.js';
import { shardsOf } from '../domain/routing/task-id.js';
import { createHistoryStore, type HistoryStore } from './history-rows.js';
import { createTallyStore, type TallyStore } from './tally-rows.js';
import { TenancyIndex } from './tenancy-index.js';

/** Every repository of the app over one storage account, and atomic commits across them. */
export interface Stores {
  readonly tenants: TenantStore;
  /** Every tenant's id, for the sweeps (add a tenant here before writing it). */
  readonly tenantIndex: TenantIndex;
  readonly orgUnits: OrgUnitStore;
  readonly users: UserStore;
  readonly licensePools: LicensePoolStore;
  readonly services: ServiceStore;
  /** Which tenant each service id belongs to (add a service here before writing it). */
  readonly serviceIndex: ServiceIndex;
  readonly memberships: MembershipStore;
  readonly routing: RoutingStores;
  /** Every task's steps, written in each step's own transaction (reporting). */
  readonly history: HistoryStore;
  /** Reporting's tallies per quarter hour (see core/app/reporting/tally-folder.ts). */
  readonly tallies: TallyStore;
  /** The months each person was Active in (the admins' statistics). */
  readonly activity: ActivityStore;
  /** People's state changes, when the tenant persists user states (reporting). */
  readonly userStates: UserStateStore;
  /** Counting people's time Active and available from their kept changes. */
  readonly stateTimes: StateTimeStore;
  /** The reporting feed's key and pseudonym salt per tenant. */
  readonly reporting: ReportingStore;
  /** Each tenant's secrets: the feed's pseudonyms, signing task callbacks. */
  readonly secrets: TenantSecretStore;
  /** Task outcome events on their way to their callback addresses. */
  readonly callbacks: CallbackOutboxStore;
  /**
   * Cards marked outside a routing step (a website chat's new line): the outbox's drain
   * looks at once, though no routing row changed.
   */
  readonly cardMarks: TenantSignal;
  /** Website chats (Interact): sessions, transcripts, and the chats still open. */
  readonly interact: InteractStore;
  /** This instance's commits of callback events, told to the outbox. */
  readonly callbackWrites: CallbackWrites;
  /**
   * A tenant's routing rows indexed as routing steps ask for them (see RoutingIndex): the
   * instance's live index when it caches, checked against storage now in a step retried
   * after a lost race; otherwise built from the rows read now.
   */
  routingIndex(tenantId: TenantId): Promise<RoutingRows>;
  /** A tenant's services, members per service and skills, indexed the same way (see TenancyIndex). */
  tenancyIndex(tenantId: TenantId): Promise<TenancyIndex>;
  /** People's task cards in Teams and the outbox of cards to draw (in the Routing table). */
  readonly cards: CardStores;
  readonly teamsLinks: TeamsLinkStores;
  /** Which instance does a tenant's job now (drawing its cards, keeping its presence feed). */
  readonly leases: LeaseStore;
  /** How each tenant's presence reaches the app from Microsoft Graph. */
  readonly presenceFeeds: PresenceFeedStore;
  /** This process among the instances sharing the tables. */
  readonly instanceId: string;
  /** Writes to one tenant's partition of one table, all or nothing; stale ETags fail it as a conflict. */
  commit(ops: readonly WriteOp[]): Promise<ReadonlyMap<string, string>>;
  /**
   * Checks this instance's view of a tenant's routing rows (open tasks, people's states,
   * queues) against storage now, reading them again if another instance wrote since.
   * Says whether they changed. Distribution runs and timer sweeps call it before acting.
   * `feedSince` (performance.now()): when the change feed, read at or after then, shows no
   * other instance writing the tenant, trust the rows without reading their stamps (the
   * timer sweep's look at quiet tenants: one feed read per sweep, not a query per tenant).
   */
  refreshRouting(tenantId: TenantId, feedSince?: number): Promise<boolean>;
  /** The same for a tenant's tenancy rows (directory, pools, services, memberships). */
  refreshTenancy(tenantId: TenantId): Promise<boolean>;
  /**
   * Which state of a tenant's routing or tenancy rows this instance last saw (see
   * PartitionCache.version): equal twice, nothing changed in between that it saw.
   * Undefined when it doesn't know (or keeps nothing in memory).
   */
  seen(rows: 'routing' | 'tenancy', tenantId: TenantId): number | undefined;
  /**
   * Notes what this instance has seen of a tenant's rows before a step reads them; its
   * `changed()` says afterwards whether they may have changed since (checking storage
   * now). A decision made on rows read in between then rests on an old view: another
   * instance wrote, or a reload brought such a write in meanwhile. An unknown view counts
   * as changed; without a cache nothing is kept, so nothing can be old.
   */
  view(rows: 'routing' | 'tenancy', tenantId: TenantId): { changed(): Promise<boolean> };
  /** Deletes the stamps of instances that wrote nothing in a tenant's partitions for a day. */
  forgetStaleStamps(tenantId: TenantId): Promise<number>;
  /**
   * How many routing shards a tenant's rows spread over (1 for a tenant not found, whose
   * rows, if any, are in its own partition): readers of every task row ask each shard.
   */
  routingShards(tenantId: TenantId): Promise<number>;
  /** The partitions of a tenant's routing rows: its own, then its task shards' if it has several. */
  routingPartitions(tenantId: TenantId): Promise<string[]>;
}

/** An instance that wrote nothing in a partition for this long has stopped (or will re-stamp). */
export const STALE_STAMP_MS = 24 * 3600 * 1000;

/**
 * An index of a tenant's partition: the cache's live one (checked against storage first in
 * a step retried after a lost race), or without a cache one built from the rows read now.
 */
function indexOf<I extends PartitionIndex>(
  storage: TableStorage,
  table: string,
  partitionKey: string,
  kind: IndexKind<I>,
): Promise<I> {
  return storage.readsCached
    ? storage.partitions.index(table, partitionKey, kind, readsFresh())
    : storage.partitions.build(table, partitionKey, kind);
}

export function createStores(storage: TableStorage): Stores {
  const routing = createRoutingStores(storage);
  const routingIndex = RoutingIndex.kind(routing);
  const tenancy = {
    users: createUserStore(storage),
    services: createServiceStore(storage),
    memberships: createMembershipStore(storage),
  };
  const tenancyIndex = TenancyIndex.kind(tenancy);
  const tenants = createTenantStore(storage);
  // A tenant's shard count never changes once it is created: kept once known.
  const shardCounts = new Map<TenantId, number>();
  const routingShards = async (tenantId: TenantId): Promise<number> => {
    const known = shardCounts.get(tenantId);
    if (known !== undefined) return known;
    const tenant = await tenants.get(tenantKey(tenantId));
    const shards = tenant?.value.routingShards ?? 1;
    if (tenant) shardCounts.set(tenantId, shards);
    return shards;
  };
  /** The partitions of a tenant's routing rows, shard by shard (one, unless it has several). */
  const partitionsOf = async (tenantId: TenantId) =>
    shardsOf(await routingShards(tenantId)).map((k) => routingPartition(tenantId, k));
  // Each tenant's shards read as one, built again only when a shard's index is (keyed by
  // shard 0's, so it goes when that does).
  const sharded = new WeakMap<RoutingIndex, ShardedRouting>();
  /**
   * Which state of a tenant's routing rows this instance last saw, over all its shards: a
   * partition's version changes to a number never handed out before, so the greatest moves
   * whenever any does. Undefined while any shard's is unknown. Until this instance has
   * read the tenant's shard count (every routing read and check does first), its own
   * partition's alone.
   */
  const routingSeen = (tenantId: TenantId): number | undefined => {
    const shards = shardCounts.get(tenantId);
    if (shards === undefined || shards === 1)
      return storage.partitions.version(ROUTING_TABLE, tenantId);
    let seen = -1;
    for (const k of shardsOf(shards)) {
      const version = storage.partitions.version(ROUTING_TABLE, routingPartition(tenantId, k));
      if (version === undefined) return undefined;
      seen = Math.max(seen, version);
    }
    return seen;
  };
  const refreshRouting = async (tenantId: TenantId, feedSince?: number) => {
    const partitions = await partitionsOf(tenantId);
    const each = await Promise.all(
      partitions.map((p) => storage.partitions.refresh(ROUTING_TABLE, p, feedSince)),
    );
    return each.some(Boolean);
  };
  return {
    tenants,
    tenantIndex: createTenantIndex(storage),
    orgUnits: createOrgUnitStore(storage),
    ...tenancy,
    licensePools: createLicensePoolStore(storage),
    serviceIndex: createServiceIndex(storage),
    tenancyIndex: (tenantId) => indexOf(storage, TENANCY_TABLE, tenantId, tenancyIndex),
    routing,
    history: createHistoryStore(storage),
    tallies: createTallyStore(storage, routingShards),
    activity: createActivityStore(storage),
    userStates: createUserStateStore(storage),
    stateTimes: createStateTimeStore(storage),
    reporting: createReportingStore(storage),
    secrets: createTenantSecretStore(storage),
    callbacks: createCallbackOutbox(storage),
    interact: createInteractStore(storage),
    cardMarks: new TenantSignal(),
    callbackWrites: new CallbackWrites(),
    routingIndex: async (tenantId) => {
      const partitions = await partitionsOf(tenantId);
      const parts = await Promise.all(
        partitions.map((p) => indexOf(storage, ROUTING_TABLE, p, routingIndex)),
      );
      const [first] = parts;
      if (!first) throw new RangeError('A tenant has at least one routing shard');
      if (parts.length === 1) return first;
      const known = sharded.get(first);
      if (known && known.shards.every((part, k) => part === parts[k])) return known;
      const made = new ShardedRouting(parts);
      sharded.set(first, made);
      return made;
    },
    cards: createCardStores(storage),
    teamsLinks: createTeamsLinkStores(storage),
    leases: createLeaseStore(storage),
    presenceFeeds: createPresenceFeedStore(storage),
    instanceId: storage.instanceId,
    commit: (ops) => commitTransaction(storage, ops),
    refreshRouting: async (tenantId, feedSince) =>
      storage.readsCached && refreshRouting(tenantId, feedSince),
    refreshTenancy: async (tenantId) =>
      storage.readsCached && storage.partitions.refresh(TENANCY_TABLE, tenantId),
    seen: (rows, tenantId) => {
      if (!storage.readsCached) return undefined;
      return rows === 'routing'
        ? routingSeen(tenantId)
        : storage.partitions.version(TENANCY_TABLE, tenantId);
    },
    view(rows, tenantId) {
      const version = () =>
        rows === 'routing'
          ? routingSeen(tenantId)
          : storage.partitions.version(TENANCY_TABLE, tenantId);
      const since = storage.readsCached ? version() : undefined;
      return {
        changed: async () => {
          if (!storage.readsCached) return false;
          // Unknown before the step: decide again on fresh reads, without loading the
          // partition for it (a refused request for a tenant nobody here uses stays cheap).
          if (since === undefined) return true;
          const reloaded =
            rows === 'routing'
              ? await refreshRouting(tenantId)
              : await storage.partitions.refresh(TENANCY_TABLE, tenantId);
          return reloaded || version() !== since;
        },
      };
    },
    forgetStaleStamps: async (tenantId) => {
      let forgotten = 0;
      for (const partition of await partitionsOf(tenantId))
        forgotten += await storage.partitions.forgetStaleStamps(partition, STALE_STAMP_MS);
      return forgotten;
    },
    routingShards,
    routingPartitions: partitionsOf,
  };
}
