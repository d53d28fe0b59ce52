import {
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * A write-ahead journal for the embedded Azurite, so a `kill -9` loses nothing Azurite
 * acknowledged.
 *
 * Azurite keeps its tables in LokiJS and writes the whole database to disk every 5 s (and
 * on a graceful stop); a crash loses everything since. The journal records every change
 * to Loki's collections, as it happens and before Azurite answers the request that made
 * it, one line per change (a batch transaction is one line, so it comes back whole or not
 * at all). A process kill cannot lose a write the kernel already has; power loss is out
 * of scope, as for any file written without fsync.
 *
 * Checkpoints: each time Loki saves, the journal starts a new segment first; once that
 * save is on disk, the segments sealed before it are deleted (the save holds all they
 * record). At start, before Azurite loads the database, the segments still there are
 * replayed onto it in order and the result saved. Replaying a change again is harmless:
 * each line says what a row or collection *is* afterwards (whole document, deletion,
 * empty collection), so a suffix replayed onto a snapshot taken inside it ends in the
 * same state.
 */

/** One change to Loki's data: a document as it is now, a deletion, a collection made or dropped. */
export type JournalChange =
  | { readonly k: 'put'; readonly c: string; readonly d: LokiDoc }
  | { readonly k: 'del'; readonly c: string; readonly id: number }
  | { readonly k: 'add'; readonly c: string; readonly o: object }
  | { readonly k: 'drop'; readonly c: string };

/** What the journal needs of LokiJS (Azurite's copy of it). */
export interface LokiDoc {
  readonly $loki: number;
  readonly [field: string]: unknown;
}
export interface LokiCollection {
  readonly name: string;
  data: LokiDoc[];
  idIndex: number[] | null;
  maxId: number;
  dirty: boolean;
  on(event: 'insert' | 'update' | 'delete', listener: (doc: LokiDoc | LokiDoc[]) => void): void;
  ensureAllIndexes(force: boolean): void;
}
export interface LokiDb {
  collections: LokiCollection[];
  getCollection(name: string): LokiCollection | null;
  addCollection(name: string, options?: object): LokiCollection;
  removeCollection(name: string): void;
  saveDatabase(callback?: (error?: Error | null) => void): void;
  loadDatabase(options: object, callback: (error?: Error | null) => void): void;
}
/** Azurite's metadata store: batch transactions begin and end there. */
export interface BatchingStore {
  beginBatchTransaction(batchId: string): Promise<void>;
  endBatchTransaction(...args: unknown[]): Promise<void>;
}

const SEGMENT = /\.journal\.(\d+)$/;

/** The journal's segments beside a Loki database file, oldest first. */
export function journalSegments(dbPath: string): string[] {
  const dir = dirname(dbPath);
  const prefix = `${basename(dbPath)}.journal.`;
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.startsWith(prefix) && SEGMENT.test(name))
    .map((name) => ({ name, seq: Number(SEGMENT.exec(name)?.[1]) }))
    .sort((a, b) => a.seq - b.seq)
    .map(({ name }) => join(dir, name));
}

const segmentPath = (dbPath: string, seq: number) =>
  `${dbPath}.journal.${String(seq).padStart(12, '0')}`;

/** Where a document with this id sits in Loki's data (kept in id order), or where it would go. */
function position(data: readonly LokiDoc[], id: number): { at: number; found: boolean } {
  let low = 0;
  let high = data.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((data[mid] as LokiDoc).$loki < id) low = mid + 1;
    else high = mid;
  }
  return { at: low, found: low < data.length && (data[low] as LokiDoc).$loki === id };
}

/**
 * Applies changes to a loaded Loki database, then rebuilds what Loki derives from the data
 * (id and binary indices) for each collection touched. Used at start, and by the tests.
 */
export function applyChanges(db: LokiDb, changes: Iterable<JournalChange>): void {
  const touched = new Set<LokiCollection>();
  for (const change of changes) {
    if (change.k === 'drop') {
      db.removeCollection(change.c);
      continue;
    }
    if (change.k === 'add') {
      db.removeCollection(change.c);
      touched.add(db.addCollection(change.c, change.o));
      continue;
    }
    // A change to a collection dropped later in the journal: the drop is replayed too.
    const coll = db.getCollection(change.c);
    if (!coll) continue;
    touched.add(coll);
    const id = change.k === 'put' ? change.d.$loki : change.id;
    const { at, found } = position(coll.data, id);
    if (change.k === 'put') {
      if (found) coll.data[at] = change.d;
      else coll.data.splice(at, 0, change.d);
      coll.maxId = Math.max(coll.maxId, id);
    } else if (found) {
      coll.data.splice(at, 1);
    }
  }
  for (const coll of touched) {
    if (!db.collections.includes(coll)) continue;
    coll.idIndex = null;
    coll.ensureAllIndexes(true);
    coll.dirty = true;
  }
}

/** Reads a segment's lines; a torn last line (the write the kill interrupted) was never acknowledged. */
function readSegment(path: string, last: boolean): JournalChange[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  const changes: JournalChange[] = [];
  for (const [index, line] of lines.entries()) {
    if (line === '') continue;
    try {
      changes.push(...(JSON.parse(line) as JournalChange[]));
    } catch (error) {
      // Each line is written with its newline: only the newest segment's unterminated tail
      // can be a write the kill cut short.
      const torn = last && index === lines.length - 1;
      if (torn) break;
      throw new Error(`Azurite's journal ${path} is damaged at line ${index + 1}`, {
        cause: error,
      });
    }
  }
  return changes;
}

const promised = (run: (done: (error?: Error | null) => void) => void) =>
  new Promise<void>((resolve, reject) => run((error) => (error ? reject(error) : resolve())));

/**
 * Replays the journal left by a crash onto the database file and deletes it. `open` makes
 * a Loki database for the file (with file persistence, without autosave).
 */
export async function replayJournal(
  dbPath: string,
  open: (dbPath: string) => LokiDb,
): Promise<{ segments: number; changes: number }> {
  const segments = journalSegments(dbPath);
  if (segments.length === 0) return { segments: 0, changes: 0 };
  const db = open(dbPath);
  if (existsSync(dbPath)) await promised((done) => db.loadDatabase({}, done));
  let changes = 0;
  for (const [index, segment] of segments.entries()) {
    const read = readSegment(segment, index === segments.length - 1);
    applyChanges(db, read);
    changes += read.length;
  }
  await promised((done) => db.saveDatabase(done));
  for (const segment of segments) unlinkSync(segment);
  return { segments: segments.length, changes };
}

/** The journal of a running Azurite: attach it once the database is loaded. */
export class AzuriteJournal {
  private seq = 0;
  private fd: number;
  private readonly sealed: { seq: number; path: string }[] = [];
  private held: JournalChange[] | undefined;
  private path: string;

  constructor(private readonly dbPath: string) {
    const last = journalSegments(dbPath).at(-1);
    this.seq = last ? Number(SEGMENT.exec(last)?.[1]) : 0;
    this.path = segmentPath(dbPath, ++this.seq);
    this.fd = openSync(this.path, 'a');
  }

  /** Hooks Loki's collections, its saves, and Azurite's batch transactions. */
  attach(db: LokiDb, store: BatchingStore): void {
    const listen = (coll: LokiCollection) => {
      const put = (doc: LokiDoc | LokiDoc[]) => {
        for (const d of Array.isArray(doc) ? doc : [doc])
          this.record({ k: 'put', c: coll.name, d });
      };
      coll.on('insert', put);
      coll.on('update', put);
      coll.on('delete', (doc) => {
        for (const d of Array.isArray(doc) ? doc : [doc])
          this.record({ k: 'del', c: coll.name, id: d.$loki });
      });
    };
    for (const coll of db.collections) listen(coll);

    const addCollection = db.addCollection.bind(db);
    db.addCollection = (name, options) => {
      const existing = db.getCollection(name);
      const coll = addCollection(name, options);
      if (!existing) {
        this.record({ k: 'add', c: name, o: options ?? {} });
        listen(coll);
      }
      return coll;
    };
    const removeCollection = db.removeCollection.bind(db);
    db.removeCollection = (name) => {
      if (db.getCollection(name)) this.record({ k: 'drop', c: name });
      removeCollection(name);
    };

    // Loki serializes the database when the save starts (or, if one is under way, when the
    // next starts): after the new segment opened, so the sealed ones are in it once saved.
    const saveDatabase = db.saveDatabase.bind(db);
    db.saveDatabase = (callback) => {
      const upTo = this.rotate();
      saveDatabase((error) => {
        if (!error) this.dropSealed(upTo);
        callback?.(error);
      });
    };

    // A batch transaction is one line: it comes back whole (with its rollback, if it failed).
    const begin = store.beginBatchTransaction.bind(store);
    store.beginBatchTransaction = async (batchId) => {
      await begin(batchId);
      this.held = [];
    };
    const end = store.endBatchTransaction.bind(store);
    store.endBatchTransaction = async (...args) => {
      try {
        await end(...args);
      } finally {
        const held = this.held;
        this.held = undefined;
        if (held && held.length > 0) this.write(held);
      }
    };
  }

  close(): void {
    closeSync(this.fd);
  }

  private record(change: JournalChange): void {
    if (this.held) this.held.push(change);
    else this.write([change]);
  }

  private write(changes: readonly JournalChange[]): void {
    const line = Buffer.from(`${JSON.stringify(changes)}\n`);
    let offset = 0;
    while (offset < line.length) offset += writeSync(this.fd, line, offset);
  }

  private rotate(): number {
    closeSync(this.fd);
    this.sealed.push({ seq: this.seq, path: this.path });
    const upTo = this.seq;
    this.path = segmentPath(this.dbPath, ++this.seq);
    this.fd = openSync(this.path, 'a');
    return upTo;
  }

  private dropSealed(upTo: number): void {
    while (this.sealed.length > 0 && (this.sealed[0] as { seq: number }).seq <= upTo) {
      const { path } = this.sealed.shift() as { path: string };
      try {
        unlinkSync(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
  }
}
