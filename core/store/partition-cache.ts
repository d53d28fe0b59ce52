import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pLimit from 'p-limit';
import type { TableClientLike } from './table-storage.js';
import type { ChangeFeed } from './change-feed.js';
import { isStatus } from './conflict-error.js';
import { SharedRead } from './shared-read.js';
import { sortedTree, type SortedTree } from './sorted-tree.js';
import { partitionFilter, rowKeyRange } from './odata.js';
import type { WriteOp } from './table-transaction.js';
import {
  changedKeys,
  readStamp,
  StampLog,
  stampsSeen,
  type StampColumns,
  type StampRead,
  type StampSeen,
} from './stamp-log.js';

/**
 * Rows whose key starts with this are stamps: one per app instance and partition,
 * rewritten by every transaction of that instance that touches a cached row there.
 * `~` sorts after every aggregate's prefix, so no aggregate's range ever holds one.
 */
export const STAMP_PREFIX = '~stamp:';

/** A cache stamp's row, which shares partitions with aggregates' rows but is none of them. */
export const isStamp = (rowKey: string): boolean => rowKey.startsWith(STAMP_PREFIX);

/** With the change feed, how often a quiet partition's stamps are read anyway (at most). */
export const QUIET_CHECK_MS = 900_000;
/** How often a partition is read whole again, stamps or not (at a check; at most). */
export const RELOAD_EVERY_MS = 1_800_000;
/** How many rows another instance's log names are read at once. */
const DELTA_READS_AT_ONCE = 16;

/**
 * A number from 0 up to 1 spread evenly over keys, the same for a key every time: where in
 * a period a partition's (or a tenant's) periodic work falls, so the work of many read in
 * together does not all come due at once.
 */
export function keyShare(key: string): number {
  let hash = 0x811c9dc5; // FNV-1a, then murmur3's finish, so keys alike spread apart
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  hash ^= hash >>> 16;
  return (hash >>> 0) / 2 ** 32;
}

/**
 * The share of those periods a partition waits, from a half to all of them, by its key:
 * the partitions an instance reads in together (every tenant at its start) then come due
 * spread over half a period, not all in the same second. Measured before (10,000 tenants
 * read in at once): fifteen minutes later their stamp checks, half an hour later their
 * reloads, came in one burst that held the timer sweep up for over half a minute.
 */
export const periodShare = (partitionKey: string): number => 0.5 + keyShare(partitionKey) / 2;

type Entity = Readonly<Record<string, unknown>>;

type Rows = SortedTree<string, CachedRow>;

/**
 * Something kept up to date from a partition's rows of some prefixes (a tenant's routing
 * index): told of every row written or deleted as it happens, so it never has to be
 * rebuilt per event, nor when another instance writes. It is built only when this instance
 * first reads the partition (or again after it left memory).
 */
export interface PartitionIndex {
  /** A row was inserted or rewritten (`row`), or deleted (undefined). */
  changed(rowKey: string, row: CachedRow | undefined): void;
}

/** How to build one kind of index over a partition's rows. */
export interface IndexKind<I extends PartitionIndex> {
  /** The row key prefixes it follows. */
  readonly prefixes: readonly string[];
  /** A new index of the rows as they are (each prefix's rows in key order). */
  create(rows: Iterable<readonly [string, CachedRow]>): I;
}

/** The kind of an index built by telling a new one of every row there is, as it is told of changes. */
export function indexKind<I extends PartitionIndex>(
  prefixes: readonly string[],
  make: () => I,
): IndexKind<I> {
  return {
    prefixes,
    create(rows) {
      const index = make();
      for (const [rowKey, row] of rows) index.changed(rowKey, row);
      return index;
    },
  };
}

const freshReads = new AsyncLocalStorage<boolean>();

/**
 * Runs a step with its reads of cached rows going to storage: a step retried after losing
 * a race reads what it decides on as fresh as it can, as it would without a cache (waiting
 * for the partition to be read again would widen its window to lose once more).
 */
export const readingFresh = <T>(step: () => Promise<T>): Promise<T> => freshReads.run(true, step);

/** Runs work with cached reads again (background work a retried step only set off). */
export const readingCached = <T>(work: () => Promise<T>): Promise<T> => freshReads.run(false, work);

/** Whether the current step reads past the cache. */
export const readsFresh = (): boolean => freshReads.getStore() === true;

/** Whatever parses a cached row (an aggregate's repository), able to write the row again from its value. */
export interface RowParser {
  entityOf(value: unknown): Entity;
}

interface CachedRow {
  /**
   * The row as stored, until its aggregate parses it: then only the parsed value is kept
   * (a waiting task held twice would cost twice the memory), and the row is rebuilt from
   * it when asked for (see {@link entityOf}).
   */
  entity: Entity | null;
  readonly etag: string;
  /** Who parsed the row, and what they made of it: a hot row is parsed once per version. */
  by?: RowParser;
  value?: unknown;
}

/** A cached row as stored: kept as read, or rebuilt from what its aggregate parsed. */
export function entityOf(row: CachedRow): Entity {
  const entity = row.entity ?? row.by?.entityOf(row.value);
  if (!entity) throw new Error('a cached row lost both its entity and its parsed value');
  return entity;
}

/** One partition of one table as this instance last saw it. */
class Partition {
  /** The rows in key order, kept so by every write (never sorted again per read). */
  rows: Rows = sortedTree<string, CachedRow>();
  /** Indexes over the rows as they are now, kept up by every change of the rows. */
  indexes = new Map<IndexKind<PartitionIndex>, PartitionIndex>();
  /** Other instances' stamps as of the rows held (see StampSeen); null until read. */
  stamps: ReadonlyMap<string, StampSeen> | null = null;
  /**
   * Rows this instance wrote in a transaction that failed (a lost race, an outcome not
   * known): read again, with other instances' stamps, before the next read trusts memory.
   */
  readonly suspect = new Set<string>();
  /** As of when the rows are known current (performance.now()): a stamp check, or a quiet feed. */
  checkedAt = -Infinity;
  /** When the stamps were last read (performance.now()). */
  stampedAt = -Infinity;
  /** When the rows were last read whole (performance.now()). */
  loadedAt = -Infinity;
  stale = true;
  /** Changes with every change of the rows this instance saw (see {@link PartitionCache.version}). */
  version = 0;
  readonly checking = new SharedRead<boolean>();
  /** A whole read, or the rows another instance wrote being read and applied: writes wait. */
  reloading: Promise<void> | null = null;
  writes = 0;
  /** When this instance last read or wrote the partition (performance.now()). */
  usedAt = performance.now();
  /** Its share of the slow periods (see periodShare). */
  constructor(readonly share: number) {}
  private idle: (() => void)[] = [];

  /** Whether the rows held can be read without asking storage first (known, none suspect). */
  get known(): boolean {
    return !this.stale && this.suspect.size === 0;
  }

  /** The rows whose key starts with a prefix, in key order. */
  *range(prefix: string): Generator<readonly [string, CachedRow]> {
    for (const entry of this.rows.entries(prefix)) {
      if (!entry[0].startsWith(prefix)) return;
      yield entry;
    }
  }

  /**
   * Sets a row (or deletes it, for undefined) and tells the indexes following it; says
   * whether anything changed (deleting a row not held does not).
   */
  put(rowKey: string, row: CachedRow | undefined): boolean {
    if (row) this.rows.set(rowKey, row);
    else if (!this.rows.delete(rowKey)) return false;
    this.changed(rowKey, row);
    return true;
  }

  /** Tells the indexes following a row of its change. */
  private changed(rowKey: string, row: CachedRow | undefined): void {
    for (const [kind, index] of this.indexes)
      if (kind.prefixes.some((prefix) => rowKey.startsWith(prefix))) index.changed(rowKey, row);
  }

  async beginWrite(): Promise<void> {
    while (this.reloading) await this.reloading.catch(() => undefined);
    this.writes++;
  }

  endWrite(): void {
    this.writes--;
    if (this.writes === 0) for (const wake of this.idle.splice(0)) wake();
  }

  /** Resolves when no write of this instance is on its way (so a reload cannot undo one). */
  whenIdle(): Promise<void> {
    return this.writes === 0 ? Promise.resolve() : new Promise((wake) => this.idle.push(wake));
  }
}

export interface PartitionCacheOptions {
  /** This instance's stamp row key (without the prefix). */
  readonly instanceId: string;
  /** How old a partition's last check may be before a read checks the stamps again. */
  readonly maxStalenessMs: number;
  /** A partition nobody here read or wrote for this long leaves memory (10 minutes by default). */
  readonly idleMs?: number;
  /**
   * A partition is read whole again at least this often (30 minutes by default), stamps or
   * not: whatever a write without its stamp left behind (an instance dying between a
   * conditional delete and its stamp) is gone from memory within that.
   */
  readonly reloadEveryMs?: number;
  readonly client: (table: string) => Promise<TableClientLike>;
  /**
   * Which tenants other instances write (see ChangeFeed): with it, a partition of a tenant
   * nobody else announced is current without reading its stamps, which are then read only
   * every `quietCheckMs`; and every write announces its tenant first.
   */
  readonly feed?: ChangeFeed;
  /** With a feed, how often a quiet partition's stamps are read anyway (QUIET_CHECK_MS by default). */
  readonly quietCheckMs?: number;
}

/**
 * Keeps the cached aggregates of each partition (a tenant's tenancy rows, its open tasks,
 * people's routing states and queues) in this instance's memory, so requests and
 * distribution runs stop re-reading them.
 *
 * Freshness without trust: every transaction touching a cached row also rewrites its
 * instance's stamp row in the same partition (atomically, one entity group transaction),
 * and the stamp carries the instance's change log there: the row keys of its latest
 * transactions (see StampLog). Listing the partition's stamps (one query) and finding
 * another instance's ETag changed means someone else wrote; then the rows its log names
 * since the last look are read again, one by one, and applied to the rows and their
 * indexes as deltas. Only when the logs cannot tell (a log run past, a stamp gone, an
 * instance of an earlier version) is the partition read whole, and compared row by row
 * with what is held, so even then nothing is rebuilt that did not change.
 *
 * Reads accept a check up to `maxStalenessMs` old; the dispatcher and the timer sweep
 * check the routing rows right before they act. Writes keep their own ETag conditions, so
 * a decision made on a stale row fails as a conflict; the rows that transaction wrote are
 * read again, with the stamps, before the next read. Our own writes update the cache from
 * the transaction's answer; a reload waits for them, so it can never put back an older row
 * over one.
 */
export class PartitionCache {
  private readonly partitions = new Map<string, Partition>();
  private readonly prefixes = new Map<string, Set<string>>();
  /** This instance's change log per partition written (kept while the process lives). */
  private readonly logs = new Map<string, StampLog>();
  /** Names this process in its stamps' logs: another process of the same name counts anew. */
  private readonly epoch = randomUUID().slice(0, 8);
  /** Hands out partition versions, so a partition forgotten and read again never repeats one. */
  private changes = 0;
  readonly stampKey: string;

  constructor(private readonly options: PartitionCacheOptions) {
    this.stampKey = `${STAMP_PREFIX}${options.instanceId}`;
  }

  /** This instance's stamp for a partition, written with its transaction `seq` there. */
  private stampRow(
    log: StampLog,
    partitionKey: string,
    seq: number,
    keys: readonly string[],
  ): StampRow {
    return {
      ...log.columns(seq, keys),
      partitionKey,
      rowKey: this.stampKey,
      writtenAt: Date.now(),
    };
  }

  /** Says that rows of a table starting with a prefix are cached (each aggregate registers). */
  register(table: string, rowPrefix: string): void {
    const set = this.prefixes.get(table) ?? new Set<string>();
    if (set.has(rowPrefix)) return;
    set.add(rowPrefix);
    this.prefixes.set(table, set);
    // Partitions read before the prefix was known lack its rows.
    for (const [key, p] of this.partitions) if (key.startsWith(`${table}\n`)) p.stale = true;
  }

  /** Whether a row is one of an aggregate's (a stamp never is, whatever the prefixes). */
  covers(table: string, rowKey: string): boolean {
    if (isStamp(rowKey)) return false;
    const set = this.prefixes.get(table);
    if (!set) return false;
    for (const prefix of set) if (rowKey.startsWith(prefix)) return true;
    return false;
  }

  /** One cached row, parsed by `parse` (once per version). */
  async get<T>(
    table: string,
    partitionKey: string,
    rowKey: string,
    parse: (row: CachedRow) => T,
  ): Promise<T | undefined> {
    const p = await this.current(table, partitionKey, this.options.maxStalenessMs);
    const row = p.rows.get(rowKey);
    return row && parse(row);
  }

  /** The cached rows whose key starts with a prefix, in row key order. */
  async list<T>(
    table: string,
    partitionKey: string,
    rowKeyPrefix: string,
    parse: (row: CachedRow) => T,
  ): Promise<T[]> {
    const p = await this.current(table, partitionKey, this.options.maxStalenessMs);
    const out: T[] = [];
    for (const [, row] of p.range(rowKeyPrefix)) out.push(parse(row));
    return out;
  }

  /**
   * An index of a partition's rows, current as a read is (`fresh`: checked against storage
   * now). It is the live index: this instance's writes update it as they commit, and other
   * instances' as a check reads them. Only a partition read whole for the first time (or
   * again after leaving memory) gets a new one.
   */
  async index<I extends PartitionIndex>(
    table: string,
    partitionKey: string,
    kind: IndexKind<I>,
    fresh = false,
  ): Promise<I> {
    const p = await this.current(table, partitionKey, fresh ? 0 : this.options.maxStalenessMs);
    let index = p.indexes.get(kind) as I | undefined;
    if (!index) {
      const rows = kind.prefixes.flatMap((prefix) => [...p.range(prefix)]);
      index = kind.create(rows);
      p.indexes.set(kind, index);
    }
    return index;
  }

  /**
   * An index of a partition's rows as storage has them now, read for it alone and kept
   * nowhere: for storage read without a cache.
   */
  async build<I extends PartitionIndex>(
    table: string,
    partitionKey: string,
    kind: IndexKind<I>,
  ): Promise<I> {
    const client = await this.options.client(table);
    const ranges = kind.prefixes.map((prefix) => rowKeyRange(prefix)).join(' or ');
    const filter = `${partitionFilter(partitionKey)} and (${ranges})`;
    const rows: [string, CachedRow][] = [];
    for await (const entity of client.listEntities({ queryOptions: { filter } }))
      rows.push([entity.rowKey ?? '', { entity, etag: entity.etag }]);
    return kind.create(rows);
  }

  /**
   * Which state of a partition this instance last saw: the same number twice means no
   * change in between, whether by this instance or, as far as its checks showed, another.
   * Undefined while this instance doesn't know the partition's rows. Work that only needs
   * doing when something changed (a timer sweep's distribution run, its card drain) skips
   * on an unchanged version; it checks the stamps first to see others' writes.
   */
  version(table: string, partitionKey: string): number | undefined {
    const p = this.partitions.get(`${table}\n${partitionKey}`);
    return p?.known ? p.version : undefined;
  }

  /**
   * Checks a partition against storage now (reading what another instance wrote). Says
   * whether the rows changed since the call: by this check, or by another read or write of
   * this instance that landed meanwhile (a concurrent check may bring another instance's
   * write in first, and this one then finds the stamps as read).
   */
  async refresh(table: string, partitionKey: string, feedSince?: number): Promise<boolean> {
    const p = this.partition(table, partitionKey);
    if (p.stale) {
      await this.reload(p, table, partitionKey);
      return true;
    }
    const seen = p.version;
    if (
      feedSince !== undefined &&
      p.suspect.size === 0 &&
      (await this.quiet(p, partitionKey, feedSince))
    )
      return false;
    const changed = await this.check(p, table, partitionKey, performance.now());
    return changed || p.version !== seen;
  }

  /** Runs a transaction that writes cached rows: waits out a reload, then applies the answer. */
  async write(
    table: string,
    partitionKey: string,
    ops: readonly WriteOp[],
    submit: (stamp: StampRow) => Promise<ReadonlyMap<string, string>>,
  ): Promise<ReadonlyMap<string, string>> {
    // Other instances learn of the write from the feed before it lands (see ChangeFeed).
    await this.options.feed?.announce(partitionKey);
    const p = this.partition(table, partitionKey);
    await p.beginWrite();
    const keys = ops.map(rowKeyOf).filter((key) => this.covers(table, key));
    const log = this.logOf(table, partitionKey);
    const seq = await log.begin();
    try {
      const etags = await submit(this.stampRow(log, partitionKey, seq, keys));
      if (!p.stale) this.apply(p, table, ops, etags);
      return etags;
    } catch (error) {
      // A lost race or an unknown outcome: read these rows (and the stamps) before trusting them.
      for (const key of keys) p.suspect.add(key);
      throw error;
    } finally {
      log.end(seq);
      p.endWrite();
    }
  }

  private logOf(table: string, partitionKey: string): StampLog {
    const key = `${table}\n${partitionKey}`;
    let log = this.logs.get(key);
    if (!log) this.logs.set(key, (log = new StampLog(this.epoch)));
    return log;
  }

  private apply(
    p: Partition,
    table: string,
    ops: readonly WriteOp[],
    etags: ReadonlyMap<string, string>,
  ) {
    for (const op of ops) {
      const key = rowKeyOf(op);
      if (!this.covers(table, key)) continue;
      if (op.kind === 'delete') {
        p.put(key, undefined);
        continue;
      }
      const etag = etags.get(key);
      if (!etag) {
        p.suspect.add(key);
        continue;
      }
      const before = p.rows.get(key);
      const entity =
        op.kind === 'merge' ? { ...(before && entityOf(before)), ...op.entity } : op.entity;
      p.put(key, { entity, etag });
    }
    p.version = ++this.changes;
  }

  private partition(table: string, partitionKey: string): Partition {
    const now = performance.now();
    this.forgetIdle(now);
    const key = `${table}\n${partitionKey}`;
    let p = this.partitions.get(key);
    if (!p) {
      p = new Partition(periodShare(partitionKey));
      this.partitions.set(key, p);
    }
    p.usedAt = now;
    return p;
  }

  private lastForget = performance.now();

  /** Drops partitions idle for a while (at most once a minute), so memory follows the tenants in use. */
  private forgetIdle(now: number) {
    const idleMs = this.options.idleMs ?? 600_000;
    if (now - this.lastForget < Math.min(60_000, idleMs)) return;
    this.lastForget = now;
    for (const [key, p] of this.partitions)
      if (now - p.usedAt > idleMs && !p.writes && !p.reloading && !p.checking.busy)
        this.partitions.delete(key);
  }

  private async current(table: string, partitionKey: string, maxAgeMs: number) {
    const p = this.partition(table, partitionKey);
    if (p.stale) await this.reload(p, table, partitionKey);
    else {
      const now = performance.now();
      if (p.suspect.size > 0) await this.check(p, table, partitionKey, now);
      else if (now - p.checkedAt > maxAgeMs && !(await this.quiet(p, partitionKey, now - maxAgeMs)))
        await this.check(p, table, partitionKey, now - maxAgeMs);
    }
    return p;
  }

  /**
   * Whether a partition is current without reading its stamps: the feed, read at or after
   * `notBefore` (performance.now()), shows no other instance's announcement of its tenant since its
   * stamps were last read, and they were read within `quietCheckMs`. Then it counts as
   * checked as of that feed read. Without a feed: no. A feed that cannot be read fails the
   * read, as storage that cannot be read does.
   */
  private async quiet(p: Partition, partitionKey: string, notBefore: number): Promise<boolean> {
    const { feed } = this.options;
    const now = performance.now();
    const every = (this.options.quietCheckMs ?? QUIET_CHECK_MS) * p.share;
    if (!feed || now - p.stampedAt > every) return false;
    await feed.poll(notBefore);
    // Watched (until a time after the stamps were read, so also while the watch lasts): its
    // stamps are read as often as before, and once more after the watch ends.
    if (feed.watchedUntil(partitionKey) >= p.stampedAt) return false;
    p.checkedAt = Math.max(p.checkedAt, feed.polledAt);
    return true;
  }

  /**
   * Reads the stamps (sharing a check asked for no earlier than `notBefore`), then what
   * other instances wrote since: the rows their logs name, or the partition whole when the
   * logs cannot tell. Says whether the rows changed.
   */
  private check(p: Partition, table: string, partitionKey: string, notBefore: number) {
    if (
      performance.now() - p.loadedAt >
      (this.options.reloadEveryMs ?? RELOAD_EVERY_MS) * p.share
    ) {
      p.stale = true;
      return this.reload(p, table, partitionKey).then(() => true);
    }
    // A check that began before a write here failed did not read that write's rows.
    const joined = p.suspect.size === 0 && p.checking.joinable(notBefore);
    if (joined) return joined;
    const startedAt = performance.now();
    return p.checking.start(startedAt, async () => {
      const stamps = await this.readStamps(table, partitionKey);
      p.stampedAt = Math.max(p.stampedAt, startedAt);
      const keys = !p.stale && p.stamps ? changedKeys(p.stamps, stamps) : null;
      // Rows read one by one cost a request each: when the logs name more than a tenth of
      // the partition (a bulk import), one listing of it is cheaper.
      if (keys === null || (keys.size > DELTA_READS_AT_ONCE && keys.size * 10 > p.rows.size)) {
        p.stale = true;
        await this.reload(p, table, partitionKey);
        return true;
      }
      // Nobody else wrote (the common case): nothing to read, and no write of this instance
      // need wait for the check.
      if (keys.size === 0 && p.suspect.size === 0) {
        p.stamps = stampsSeen(p.stamps, stamps);
        p.checkedAt = Math.max(p.checkedAt, startedAt);
        return false;
      }
      return this.delta(p, table, partitionKey, keys, stamps, startedAt);
    });
  }

  /**
   * Reads the rows other instances' logs named (and this instance's suspect ones) and
   * applies them to the rows held and their indexes. Own writes wait meanwhile, and it
   * waits for those on their way, so it never puts back an older row over one of them.
   */
  private async delta(
    p: Partition,
    table: string,
    partitionKey: string,
    named: ReadonlySet<string>,
    stamps: ReadonlyMap<string, StampRead>,
    startedAt: number,
  ): Promise<boolean> {
    while (p.reloading) await p.reloading.catch(() => undefined);
    if (p.stale) {
      await this.reload(p, table, partitionKey);
      return true;
    }
    let changed = false;
    const job = (async () => {
      await p.whenIdle();
      const keys = [...new Set([...named, ...p.suspect])].filter((k) => this.covers(table, k));
      p.suspect.clear();
      try {
        const client = await this.options.client(table);
        const limit = pLimit(DELTA_READS_AT_ONCE);
        const rows = await Promise.all(
          keys.map((key) =>
            limit(async () => {
              try {
                const entity = await client.getEntity(partitionKey, key);
                return [key, { entity, etag: entity.etag }] as const;
              } catch (error) {
                if (isStatus(error, 404)) return [key, undefined] as const;
                throw error;
              }
            }),
          ),
        );
        for (const [key, row] of rows)
          if (!row || p.rows.get(key)?.etag !== row.etag) changed = p.put(key, row) || changed;
      } catch (error) {
        for (const key of keys) p.suspect.add(key);
        throw error;
      }
      if (changed) p.version = ++this.changes;
      p.stamps = stampsSeen(p.stamps, stamps);
      p.checkedAt = Math.max(p.checkedAt, startedAt);
    })();
    p.reloading = job.finally(() => (p.reloading = null));
    await p.reloading;
    return changed;
  }

  private async reload(p: Partition, table: string, partitionKey: string): Promise<void> {
    while (p.stale) {
      p.reloading ??= this.readAll(p, table, partitionKey).finally(() => (p.reloading = null));
      await p.reloading;
    }
  }

  /**
   * Reads the partition whole and makes the rows held what storage has: each row that
   * differs (by ETag), comes or went is applied as a delta, in one pass in key order beside
   * the rows held. A partition held as read keeps its rows, indexes and version.
   */
  private async readAll(p: Partition, table: string, partitionKey: string): Promise<void> {
    await p.whenIdle();
    p.stale = false;
    const suspect = [...p.suspect];
    p.suspect.clear();
    const startedAt = performance.now();
    try {
      // Stamps first: a write landing between the two reads shows as a changed stamp next time.
      const stamps = await this.readStamps(table, partitionKey);
      const client = await this.options.client(table);
      const ranges = [...(this.prefixes.get(table) ?? [])]
        .map((prefix) => rowKeyRange(prefix))
        .join(' or ');
      const come: [string, CachedRow][] = [];
      const gone: string[] = [];
      const held = p.rows.entries();
      let next = held.next();
      let last: string | undefined;
      if (ranges) {
        const filter = `${partitionFilter(partitionKey)} and (${ranges})`;
        for await (const entity of client.listEntities({ queryOptions: { filter } })) {
          const rowKey = entity.rowKey ?? '';
          if (isStamp(rowKey)) continue;
          if (last !== undefined && rowKey <= last)
            throw new Error(`storage listed ${partitionKey} out of key order at ${rowKey}`);
          last = rowKey;
          for (; !next.done && next.value[0] < rowKey; next = held.next()) gone.push(next.value[0]);
          const heldRow = !next.done && next.value[0] === rowKey ? next.value[1] : undefined;
          if (heldRow?.etag !== entity.etag) come.push([rowKey, { entity, etag: entity.etag }]);
          if (heldRow) next = held.next();
        }
      }
      for (; !next.done; next = held.next()) gone.push(next.value[0]);
      for (const key of gone) p.put(key, undefined);
      for (const [key, row] of come) p.put(key, row);
      // Read again and found as held (the periodic reload of a quiet tenant): nothing
      // downstream takes it for a change.
      if (p.stamps === null || gone.length > 0 || come.length > 0) p.version = ++this.changes;
      p.stamps = stampsSeen(p.stamps, stamps);
      p.checkedAt = startedAt;
      p.stampedAt = startedAt;
      p.loadedAt = startedAt;
    } catch (error) {
      p.stale = true;
      for (const key of suspect) p.suspect.add(key);
      throw error;
    }
  }

  /**
   * Deletes other instances' stamps in a tenant's partitions that none of them rewrote for
   * a while (instances that stopped): each restart leaves one, and every check reads them
   * all. Says how many went. Every cache sees the set change and reads the rows once more.
   */
  async forgetStaleStamps(partitionKey: string, olderThanMs: number): Promise<number> {
    let forgotten = 0;
    const cutoff = Date.now() - olderThanMs;
    for (const table of this.prefixes.keys()) {
      const client = await this.options.client(table);
      const filter = partitionFilter(partitionKey, STAMP_PREFIX);
      for await (const stamp of client.listEntities<{ writtenAt?: number }>({
        queryOptions: { filter },
      })) {
        const rowKey = stamp.rowKey ?? '';
        if (rowKey === this.stampKey || (stamp.writtenAt ?? 0) >= cutoff) continue;
        try {
          await client.deleteEntity(partitionKey, rowKey, { etag: stamp.etag });
          forgotten++;
        } catch (error) {
          // Rewritten (its instance lives) or gone meanwhile: leave it.
          if (!isStatus(error, 404, 412)) throw error;
        }
      }
    }
    return forgotten;
  }

  private async readStamps(table: string, partitionKey: string) {
    const client = await this.options.client(table);
    // Not this instance's own: its log is no news here, and would be sent with every check.
    const filter = partitionFilter(partitionKey, STAMP_PREFIX, this.stampKey);
    const stamps = new Map<string, StampRead>();
    for await (const entity of client.listEntities({ queryOptions: { filter } }))
      stamps.set(entity.rowKey ?? '', readStamp(entity, entity.etag));
    return stamps;
  }
}

/** An instance's stamp row, as each of its transactions in a partition writes it. */
export type StampRow = {
  readonly partitionKey: string;
  readonly rowKey: string;
  readonly writtenAt: number;
} & StampColumns;

const rowKeyOf = (op: WriteOp): string => (op.kind === 'delete' ? op.key.rowKey : op.entity.rowKey);

export type { CachedRow };
