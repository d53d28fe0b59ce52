import { z } from 'zod';

/**
 * How many of an instance's latest transactions in a partition its stamp names, one
 * column each (`log00` … `log31`); also how far past the oldest unfinished one it numbers
 * new ones.
 */
export const STAMP_SLOTS = 32;

/**
 * Longer than this, a transaction's keys are not written out (readers read the partition
 * whole): a stamp is read by every check of every other instance, so a bulk import's
 * hundreds of keys would be sent again and again until its slots come round.
 */
const MAX_ENTRY_CHARS = 4_000;

/**
 * The columns a transaction merges into its instance's stamp: the process that numbers
 * them, and its own entry in the column of its slot. A merge leaves the other slots as
 * they are, so whichever of several transactions lands last, each one's entry stays.
 */
export type StampColumns = Readonly<Record<string, string | number>>;

/** One transaction of an instance in a partition, as its stamp names it. */
export interface LogEntry {
  readonly seq: number;
  /** Every transaction of the instance up to here had finished when this one was sent. */
  readonly acked: number;
  /** The kept rows it wrote; null when too many to name. */
  readonly keys: readonly string[] | null;
}

const slotColumn = (slot: number) => `log${String(slot).padStart(2, '0')}`;

/**
 * An instance's change log in one partition: every transaction it writes there is
 * numbered and merges its entry (the row keys it wrote, and up to where all before it had
 * finished) into the column of its slot in the stamp. Another instance that finds the
 * stamp changed reads only the rows named since it last looked, not the partition.
 *
 * The slots go round (transaction `n` writes slot `n % slots`). A transaction is numbered
 * only once every one `slots` before it has finished (it waits until then), so a slot is
 * written again only after the transaction that wrote it landed or failed: an entry is
 * never lost to an older one landing late, and a reader that has kept within `slots` of
 * the newest entry has every entry it needs.
 */
export class StampLog {
  private seq = 0;
  private readonly open = new Set<number>();
  private waiting: (() => void)[] = [];

  constructor(
    private readonly epoch: string,
    private readonly slots = STAMP_SLOTS,
  ) {}

  /** Numbers a transaction (waiting for a slot if need be); {@link end} it however it ends. */
  async begin(): Promise<number> {
    for (;;) {
      const seq = this.tryBegin();
      if (seq !== null) return seq;
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  /** Numbers a transaction if it need not wait (null if it must). */
  tryBegin(): number | null {
    if (this.seq + 1 - this.slots > this.acked()) return null;
    const seq = ++this.seq;
    this.open.add(seq);
    return seq;
  }

  end(seq: number): void {
    if (!this.open.delete(seq)) return;
    const waiting = this.waiting;
    this.waiting = [];
    for (const wake of waiting) wake();
  }

  /** Every transaction up to this number has finished. */
  private acked(): number {
    let acked = this.seq;
    for (const open of this.open) acked = Math.min(acked, open - 1);
    return acked;
  }

  /** The columns transaction `seq` merges into the stamp. */
  columns(seq: number, keys: readonly string[]): StampColumns {
    const acked = this.acked();
    const named = keys.reduce((sum, key) => sum + key.length + 3, 0) <= MAX_ENTRY_CHARS;
    const entry = [this.epoch, seq, acked, named ? keys : null];
    return {
      epoch: this.epoch,
      slots: this.slots,
      [slotColumn(seq % this.slots)]: JSON.stringify(entry),
    };
  }
}

/** Another instance's stamp as read. Stamps of earlier versions carry no log. */
export interface StampRead {
  readonly etag: string;
  readonly log?: {
    readonly epoch: string;
    readonly slots: number;
    /** The entries of its epoch, in number order. */
    readonly entries: readonly LogEntry[];
  };
}

/** What a reader holds of another instance's stamp: as of which ETag, and what it took in. */
export interface StampSeen {
  readonly etag: string;
  readonly epoch?: string;
  /**
   * Every transaction of the stamp's instance numbered up to here had finished before the
   * rows were last read: one landing later has a greater number.
   */
  readonly mark: number;
  /** Transactions past the mark that had landed before the rows were read (their entries were read). */
  readonly landed: readonly number[];
}

const entrySchema = z.tuple([
  z.string(),
  z.number().int(),
  z.number().int(),
  z.array(z.string()).nullable(),
]);
const stampSchema = z.object({ epoch: z.string(), slots: z.number().int().positive() });

/**
 * A stamp row as read: its ETag, and its log when it carries one, parsed only when asked
 * for (a check reads every stamp, and most are as held: their logs need no parsing).
 */
export function readStamp(entity: Readonly<Record<string, unknown>>, etag: string): StampRead {
  let log: StampRead['log'] | null = null;
  return {
    etag,
    get log() {
      if (log === null) log = parseLog(entity);
      return log;
    },
  };
}

function parseLog(entity: Readonly<Record<string, unknown>>): StampRead['log'] {
  const stamp = stampSchema.safeParse(entity);
  if (!stamp.success) return undefined;
  const { epoch, slots } = stamp.data;
  const entries: LogEntry[] = [];
  for (let slot = 0; slot < slots; slot++) {
    const text = entity[slotColumn(slot)];
    if (text === undefined) continue;
    let entry: z.infer<typeof entrySchema>;
    try {
      const parsed = entrySchema.safeParse(typeof text === 'string' ? JSON.parse(text) : text);
      if (!parsed.success) return undefined;
      entry = parsed.data;
    } catch {
      return undefined;
    }
    const [from, seq, acked, keys] = entry;
    if (from === epoch) entries.push({ seq, acked, keys });
  }
  entries.sort((a, b) => a.seq - b.seq);
  return { epoch, slots, entries };
}

/**
 * The row keys other instances wrote since the stamps were last held, by their logs; null
 * when the logs cannot tell (a stamp gone, a stamp without a log, a process restarted
 * under the same name, a reader so far behind that slots were written again, a
 * transaction too big to name): then the partition is read whole.
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
    const { log } = stamp;
    if (!log) return null;
    if (seen && seen.epoch !== log.epoch) return null;
    // A stamp first met: its process's transactions from its first on.
    const mark = seen?.mark ?? 0;
    const landed = new Set(seen?.landed);
    const last = log.entries.at(-1)?.seq ?? 0;
    // A slot past the mark written twice since: an entry the reader needed may be gone.
    if (last - mark > log.slots) return null;
    for (const entry of log.entries) {
      if (entry.seq <= mark || landed.has(entry.seq)) continue;
      if (entry.keys === null) return null;
      for (const key of entry.keys) keys.add(key);
    }
  }
  return keys;
}

/**
 * The stamps to hold once the rows were read after `read`: the mark moves up to the
 * greatest `acked` of an entry read (each such transaction had landed, so all up to its
 * `acked` had finished), and the entries read past it count as landed.
 */
export function stampsSeen(
  held: ReadonlyMap<string, StampSeen> | null,
  read: ReadonlyMap<string, StampRead>,
): Map<string, StampSeen> {
  const seen = new Map<string, StampSeen>();
  for (const [rowKey, stamp] of read) {
    const before = held?.get(rowKey);
    if (before?.etag === stamp.etag) {
      seen.set(rowKey, before);
      continue;
    }
    const { etag, log } = stamp;
    const same = before !== undefined && log !== undefined && before.epoch === log.epoch;
    let mark = same ? before.mark : 0;
    for (const entry of log?.entries ?? []) mark = Math.max(mark, entry.acked);
    const landed = new Set([
      ...(same ? before.landed : []),
      ...(log?.entries ?? []).map((e) => e.seq),
    ]);
    seen.set(rowKey, {
      etag,
      ...(log && { epoch: log.epoch }),
      mark,
      landed: [...landed].filter((n) => n > mark),
    });
  }
  return seen;
}
