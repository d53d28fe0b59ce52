import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  applyChanges,
  AzuriteJournal,
  journalSegments,
  replayJournal,
  type JournalChange,
  type LokiDb,
} from './azurite-journal.js';

type Loki = LokiDb & { loadJSON(text: string): void; serialize(): string };
const LokiJs = createRequire(import.meta.url)('lokijs') as new (
  name: string,
  options: object,
) => Loki;
const memoryDb = () => new LokiJs('test.db', { persistenceMethod: 'memory' });

/** What a database holds, as Loki would save it: collections by name, their documents. */
const contents = (db: LokiDb) =>
  Object.fromEntries(
    db.collections
      .map((c) => [c.name, JSON.parse(JSON.stringify(c.data)) as unknown] as const)
      .sort(([a], [b]) => a.localeCompare(b)),
  );

type Op =
  | { op: 'insert'; coll: number; value: number }
  | { op: 'update'; coll: number; pick: number; value: number }
  | { op: 'remove'; coll: number; pick: number }
  | { op: 'recreate'; coll: number }
  | { op: 'drop'; coll: number }
  | { op: 'batch'; coll: number; values: number[] };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constant('insert' as const),
      coll: fc.nat(2),
      value: fc.integer(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('update' as const),
      coll: fc.nat(2),
      pick: fc.nat(),
      value: fc.integer(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('remove' as const), coll: fc.nat(2), pick: fc.nat() }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('recreate' as const), coll: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('drop' as const), coll: fc.nat(2) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('batch' as const),
      coll: fc.nat(2),
      values: fc.array(fc.integer(), { maxLength: 4 }),
    }),
  },
);

/** Runs operations on a database with the journal attached; returns the journal's changes. */
function runJournaled(ops: readonly Op[], dir: string): { db: Loki; changes: JournalChange[] } {
  const db = memoryDb();
  const dbPath = join(dir, 'db.json');
  const journal = new AzuriteJournal(dbPath);
  const noBatches = { beginBatchTransaction: async () => {}, endBatchTransaction: async () => {} };
  journal.attach(db, noBatches);
  const name = (coll: number) => `c${coll}`;
  const ensure = (coll: number) =>
    db.getCollection(name(coll)) ?? db.addCollection(name(coll), { indices: ['k'] });
  type Doc = { $loki: number; k: number };
  for (const step of ops) {
    if (step.op === 'drop') {
      db.removeCollection(name(step.coll));
      continue;
    }
    if (step.op === 'recreate') {
      db.removeCollection(name(step.coll));
      ensure(step.coll);
      continue;
    }
    const coll = ensure(step.coll) as unknown as {
      data: Doc[];
      insert(doc: object | object[]): void;
      update(doc: Doc): void;
      remove(doc: Doc): void;
    };
    if (step.op === 'insert') coll.insert({ k: step.value });
    else if (step.op === 'batch') coll.insert(step.values.map((k) => ({ k })));
    else {
      const doc = coll.data[step.pick % Math.max(coll.data.length, 1)];
      if (!doc) continue;
      if (step.op === 'update') coll.update({ ...doc, k: step.value });
      else coll.remove(doc);
    }
  }
  journal.close();
  const changes: JournalChange[] = [];
  for (const segment of journalSegments(dbPath)) {
    for (const line of readFileSync(segment, 'utf8').split('\n'))
      if (line) changes.push(...(JSON.parse(line) as JournalChange[]));
  }
  return { db, changes };
}

describe("the embedded Azurite's journal, replayed", () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'journal-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('given any run of writes, a snapshot taken anywhere plus the journal from any earlier point ends where the run ended', () => {
    fc.assert(
      fc.property(
        fc.array(opArb, { maxLength: 40 }),
        fc.nat(),
        fc.nat(),
        (ops, snapAt, replayFrom) => {
          const { db, changes } = runJournaled(ops, mkdtempSync(join(dir, 'run-')));
          const k = snapAt % (changes.length + 1);
          const j = replayFrom % (k + 1);
          const upToK = memoryDb();
          applyChanges(upToK, changes.slice(0, k));
          const restored = memoryDb();
          restored.loadJSON(upToK.serialize());
          applyChanges(restored, changes.slice(j));
          assert.deepEqual(contents(restored), contents(db));
          // Loki's own lookups work on what was restored: by id, and by the indexed field.
          for (const coll of restored.collections) {
            const c = coll as unknown as {
              data: { $loki: number; k: number }[];
              get(id: number): unknown;
              find(query: object): unknown[];
            };
            for (const doc of c.data) {
              assert.deepEqual(c.get(doc.$loki), doc);
              assert.ok(c.find({ k: doc.k }).includes(doc));
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('given a journal line cut short by the kill, the changes before it are replayed and the torn one dropped', async () => {
    const dbPath = join(dir, 'db.json');
    const put: JournalChange[] = [
      { k: 'add', c: 'rows', o: {} },
      { k: 'put', c: 'rows', d: { $loki: 1, n: 1 } },
    ];
    writeFileSync(`${dbPath}.journal.000000000001`, `${JSON.stringify(put)}\n[{"k":"put","c":"ro`);
    const replayed = await replayJournal(
      dbPath,
      (path) => new LokiJs(path, { persistenceMethod: 'fs' }),
    );
    assert.deepEqual(replayed, { segments: 1, changes: 2 });
    assert.deepEqual(journalSegments(dbPath), []);
    assert.ok(existsSync(dbPath));
    const loaded = new LokiJs(dbPath, { persistenceMethod: 'fs' });
    await new Promise<void>((resolve, reject) =>
      loaded.loadDatabase({}, (error) => (error ? reject(error) : resolve())),
    );
    assert.deepEqual(contents(loaded), { rows: [{ $loki: 1, n: 1 }] });
  });

  it('given a whole last line that does not parse, it is damage, not a torn write: the start is refused', async () => {
    const dbPath = join(dir, 'db.json');
    writeFileSync(`${dbPath}.journal.000000000001`, '[]\nnot json\n');
    await assert.rejects(
      replayJournal(dbPath, (path) => new LokiJs(path, { persistenceMethod: 'fs' })),
      /journal .*000000000001 is damaged at line 2/,
    );
  });

  it('given a damaged line that is not the last one written, the start is refused with where it is', async () => {
    const dbPath = join(dir, 'db.json');
    writeFileSync(`${dbPath}.journal.000000000001`, 'garbage\n[]\n');
    writeFileSync(`${dbPath}.journal.000000000002`, '[]\n');
    await assert.rejects(
      replayJournal(dbPath, (path) => new LokiJs(path, { persistenceMethod: 'fs' })),
      /journal .*000000000001 is damaged at line 1/,
    );
  });
});
