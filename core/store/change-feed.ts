import { z } from 'zod';
import { isStatus } from './conflict-error.js';
import { SharedRead } from './shared-read.js';
import type { TableClientLike } from './table-storage.js';

/** The table the feed's rows live in (one partition, one row per instance and tenant). */
export const CHANGES_TABLE = 'Changes';
const FEED = 'feed';

export interface ChangeFeedOptions {
  readonly instanceId: string;
  readonly client: () => Promise<TableClientLike>;
  /** An instance announces a tenant again before writing when its last word is older than this. */
  readonly announceEveryMs?: number;
  /**
   * How long another instance's announcement makes a tenant's partitions checked at every
   * read as before (it covers the writes of the announcement's window and their retries).
   */
  readonly watchMs?: number;
  /** Announcements older than this (nobody wrote since) are deleted by whoever sees them. */
  readonly forgetAfterMs?: number;
}

const SEP = '|';

/** An announcement as stored: `{tenant}|{instance}` (ids hold no `|`), and when it was written. */
const announcement = z.object({
  rowKey: z.string().regex(/^[^|]+\|[^|]+$/),
  etag: z.string(),
  announcedAt: z.number(),
});

/**
 * How instances learn which tenants others write, without asking every tenant: before an
 * instance writes a tenant's cached partitions it announces the tenant in one shared
 * partition (a row per instance and tenant, rewritten at most every `announceEveryMs`), and
 * each instance reads that partition (one query, shared by every read that needs it) to
 * see whose announcements changed. A tenant announced by another instance is *watched*:
 * its partitions are checked against their stamps as often as before, for `watchMs` and
 * once more after. A tenant nobody announced is quiet: its cached rows stand, with only a
 * slow stamp check now and then (see PartitionCache), so an idle tenant costs next to
 * nothing however many there are.
 *
 * The announcement is written before the write it covers, so a reader whose feed query
 * starts after a write began either sees the announcement or reads after the write.
 */
export class ChangeFeed {
  private readonly announced = new Map<string, { at: number; writing: Promise<void> | null }>();
  /** Other instances' announcement rows as last read: row key -> ETag. */
  private readonly seen = new Map<string, string>();
  /** Watched tenants: until when (performance.now()). */
  private readonly watch = new Map<string, number>();
  private readonly polling = new SharedRead<void>();
  /** When the last feed query that answered was sent (performance.now()). */
  polledAt = -Infinity;

  constructor(private readonly options: ChangeFeedOptions) {}

  /** Announces a tenant before this instance writes its partitions (a no-op if it did lately). */
  async announce(tenantId: string): Promise<void> {
    const every = this.options.announceEveryMs ?? 30_000;
    const known = this.announced.get(tenantId);
    if (known?.writing) return known.writing;
    if (known && performance.now() - known.at < every) return;
    const at = performance.now();
    const writing = (async () => {
      const client = await this.options.client();
      await client.upsertEntity(
        {
          partitionKey: FEED,
          rowKey: `${tenantId}${SEP}${this.options.instanceId}`,
          announcedAt: Date.now(),
        },
        'Replace',
      );
    })();
    const entry: { at: number; writing: Promise<void> | null } = { at, writing };
    this.announced.set(tenantId, entry);
    try {
      await writing;
      entry.writing = null;
    } catch (error) {
      this.announced.delete(tenantId); // not announced: the next write tries again
      throw error;
    }
  }

  /**
   * Reads the feed, unless a read sent at or after `notBefore` is on its way or done (then
   * shares it). Afterwards {@link watchedUntil} answers as of that read.
   */
  poll(notBefore: number): Promise<void> {
    if (this.polledAt >= notBefore) return Promise.resolve();
    const startedAt = performance.now();
    return (
      this.polling.joinable(notBefore) ?? this.polling.start(startedAt, () => this.read(startedAt))
    );
  }

  /** Until when a tenant is watched (performance.now()); -Infinity if never. */
  watchedUntil(tenantId: string): number {
    return this.watch.get(tenantId) ?? -Infinity;
  }

  private async read(startedAt: number): Promise<void> {
    const client = await this.options.client();
    const watchMs = this.options.watchMs ?? 120_000;
    const forgetBefore = Date.now() - (this.options.forgetAfterMs ?? 3_600_000);
    const own = `${SEP}${this.options.instanceId}`;
    const stale: { rowKey: string; etag: string }[] = [];
    for await (const entity of client.listEntities({
      queryOptions: { filter: `PartitionKey eq '${FEED}'` },
    })) {
      // A row no instance wrote would be a bug elsewhere: it fails the read, loudly.
      const row = announcement.parse(entity);
      if (row.rowKey.endsWith(own)) continue;
      if (row.announcedAt < forgetBefore) stale.push(row);
      if (this.seen.get(row.rowKey) === row.etag) continue;
      this.seen.set(row.rowKey, row.etag);
      const tenantId = row.rowKey.slice(0, row.rowKey.indexOf(SEP));
      this.watch.set(tenantId, Math.max(this.watchedUntil(tenantId), startedAt + watchMs));
    }
    this.polledAt = Math.max(this.polledAt, startedAt);
    // Announcements nobody renewed for long: their writers stopped or went quiet.
    for (const { rowKey, etag } of stale) {
      try {
        await client.deleteEntity(FEED, rowKey, { etag });
        this.seen.delete(rowKey);
      } catch (error) {
        // Renewed meanwhile (its writer lives), or gone: leave it.
        if (!isStatus(error, 404, 412)) throw error;
      }
    }
  }
}
