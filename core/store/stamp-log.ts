import { z } from 'zod';

/**
 * How many characters of row keys one stamp carries at most. A string column holds 32K;
 * a transaction names a few keys (about 50 characters each), so this is the last hundred
 * or so transactions of an instance in a partition.
 */
export const STAMP_LOG_CHARS = 8_000;

/** One transaction of an instance in a partition: its number there, and the cached rows it wrote. */
export interface LogEntry {
  readonly seq: number;
  readonly keys: readonly string[];
}

/** What a stamp carries besides `writtenAt`: the change log of its instance in its partition. */
export type StampColumns = {
  /** The process that numbers the transactions (they are counted again from 1 in another). */
  readonly epoch: string;
  /** The transaction this stamp was written with. */
  readonly seq: number;
  /** Every transaction up to this one had finished (landed or failed) when the stamp was sent. */
  readonly acked: number;
  /** The latest transactions, oldest first (JSON of `[seq, keys][]`). */
  readonly log: string;
};

const cost = (keys: readonly string[]) => keys.reduce((sum, key) => sum + key.length + 3, 8);

/**
 * An instance's change log in one partition, written into its stamp by every transaction:
 * the row keys of its latest transactions, numbered. Another instance that finds the stamp
 * changed reads only the rows the log names since it last looked, not the partition.
 *
 * A transaction's entry goes into the log when it begins, so the stamp of any transaction
 * names every one begun before it: whichever lands last, no landed write goes unnamed.
 * `acked` says up to where all of them have finished; a reader reads again, at its next
 * look, the rows of those that had not (they may land after it read).
 */
export class StampLog {
  private seq = 0;
  private entries: LogEntry[] = [];
  private chars = 0;
  private readonly open = new Set<number>();

  constructor(private readonly budget = STAMP_LOG_CHARS) {}

  /** Numbers a transaction writing these rows and logs it; {@link end} it however it ends. */
  begin(keys: readonly string[]): number {
    const seq = ++this.seq;
    this.open.add(seq);
    this.entries.push({ seq, keys });
    this.chars += cost(keys);
    // Oldest first out: a reader that needs them reads the partition whole instead.
    while (this.chars > this.budget && this.entries.length > 0) {
      const first = this.entries.shift();
      if (first) this.chars -= cost(first.keys);
    }
    return seq;
  }

  end(seq: number): void {
    this.open.delete(seq);
  }

  /** The stamp's columns for transaction `seq` (begun, not ended). */
  columns(epoch: string, seq: number): StampColumns {
    let acked = this.seq;
    for (const open of this.open) acked = Math.min(acked, open - 1);
    const log = this.entries.filter((e) => e.seq <= seq).map((e) => [e.seq, e.keys]);
    return { epoch, seq, acked, log: JSON.stringify(log) };
  }

  /** Lets the entries go (the partition left memory; nothing is on its way): the count goes on. */
  forget(): void {
    if (this.open.size > 0) return;
    this.entries = [];
    this.chars = 0;
  }
}

/** Another instance's stamp as read. Stamps of earlier versions carry no log. */
export interface StampRead {
  readonly etag: string;
  readonly columns?: { epoch: string; seq: number; acked: number; entries: LogEntry[] };
}

/** What a reader holds of another instance's stamp: as of which ETag, and its mark. */
export interface StampSeen {
  readonly etag: string;
  readonly epoch?: string;
  /**
   * Every transaction of the stamp's instance numbered up to here had landed before the
   * rows were last read: one landing later has a greater number. (The greatest `acked`
   * read, as each stamp was read before the rows.)
   */
  readonly mark: number;
}

const logSchema = z.array(z.tuple([z.number().int(), z.array(z.string())]));
const stampSchema = z.object({
  epoch: z.string(),
  seq: z.number().int(),
  acked: z.number().int(),
  log: z.string(),
});

/** A stamp row as read: its ETag, and its log when it carries one that parses. */
export function readStamp(entity: Readonly<Record<string, unknown>>, etag: string): StampRead {
  const columns = stampSchema.safeParse(entity);
  if (!columns.success) return { etag };
  let log: z.infer<typeof logSchema>;
  try {
    const parsed = logSchema.safeParse(JSON.parse(columns.data.log));
    if (!parsed.success) return { etag };
    log = parsed.data;
  } catch {
    return { etag };
  }
  const { epoch, seq, acked } = columns.data;
  return {
    etag,
    columns: { epoch, seq, acked, entries: log.map(([n, keys]) => ({ seq: n, keys })) },
  };
}

/**
 * The row keys other instances wrote since the stamps were last held, by their logs; null
 * when the logs cannot tell (a stamp gone, a stamp without a log, a process restarted
 * under the same name, entries already out of a log): then the partition is read whole.
 */
export function changedKeys(
  held: ReadonlyMap<string, StampSeen>,
  read: ReadonlyMap<string, StampRead>,
): Set<string> | null {
  const keys = new Set<string>();
  for (const rowKey of held.keys()) if (!read.has(rowKey)) return null;
  for (const [rowKey, stamp] of read) {
    const seen = held.get(rowKey);
    if (seen?.etag === stamp.etag) continue;
    const { columns } = stamp;
    if (!columns) return null;
    // A stamp first met: its process's transactions from its first on.
    if (seen && seen.epoch !== columns.epoch) return null;
    const mark = seen?.mark ?? 0;
    if (columns.seq <= mark) continue;
    const first = columns.entries[0];
    if (!first || first.seq > mark + 1) return null;
    for (const entry of columns.entries)
      if (entry.seq > mark) for (const key of entry.keys) keys.add(key);
  }
  return keys;
}

/** The stamps to hold once the rows were read after `read` (marks never go back in one process). */
export function stampsSeen(
  held: ReadonlyMap<string, StampSeen> | null,
  read: ReadonlyMap<string, StampRead>,
): Map<string, StampSeen> {
  const seen = new Map<string, StampSeen>();
  for (const [rowKey, { etag, columns }] of read) {
    const before = held?.get(rowKey);
    const acked = columns?.acked ?? 0;
    const mark =
      before && columns && before.epoch === columns.epoch ? Math.max(before.mark, acked) : acked;
    seen.set(rowKey, { etag, ...(columns && { epoch: columns.epoch }), mark });
  }
  return seen;
}
