import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import {
  changedKeys,
  readStamp,
  StampLog,
  stampsSeen,
  type StampRead,
  type StampSeen,
} from './stamp-log.js';

const stampOf = (log: StampLog, seq: number, etag: string): StampRead =>
  readStamp({ ...log.columns('e1', seq) }, etag);

describe('the change log an instance writes into its stamps', () => {
  it('names every transaction begun before the one it is written with, and says up to where all finished', () => {
    const log = new StampLog();
    const one = log.begin(['open:a']);
    const two = log.begin(['agent:x', 'open:b']);
    const columns = log.columns('e1', two);
    assert.deepEqual(JSON.parse(columns.log), [
      [one, ['open:a']],
      [two, ['agent:x', 'open:b']],
    ]);
    assert.equal(columns.acked, 0, 'the first is still on its way');
    log.end(one);
    assert.equal(log.columns('e1', two).acked, one);
    assert.deepEqual(JSON.parse(log.columns('e1', one).log), [[one, ['open:a']]]);
  });

  it('keeps within its budget, oldest out first, and forgets only what is not on its way', () => {
    const log = new StampLog(40);
    for (let i = 0; i < 10; i++) log.end(log.begin([`open:t${i}`]));
    const seq = log.begin(['open:last']);
    const kept = JSON.parse(log.columns('e1', seq).log) as [number, string[]][];
    assert.ok(kept.length < 11 && kept.length > 0, `${kept.length} entries kept`);
    assert.deepEqual(kept.at(-1), [seq, ['open:last']]);
    log.forget();
    assert.equal(JSON.parse(log.columns('e1', seq).log).length, kept.length, 'one on its way');
    log.end(seq);
    log.forget();
    const next = log.begin(['open:after']);
    assert.equal(next, seq + 1, 'the count goes on');
    assert.deepEqual(JSON.parse(log.columns('e1', next).log), [[next, ['open:after']]]);
  });

  it('tells a reader the rows written since it looked, or that it must read the partition whole', () => {
    const log = new StampLog();
    const a = log.begin(['open:a']);
    log.end(a);
    const held = stampsSeen(null, new Map([['~stamp:x', stampOf(log, a, 'E1')]]));
    const b = log.begin(['open:b']);
    log.end(b);
    const c = log.begin(['agent:c']);
    log.end(c);
    const now = new Map([['~stamp:x', stampOf(log, c, 'E3')]]);
    assert.deepEqual(changedKeys(held, now), new Set(['open:b', 'agent:c']));
    assert.deepEqual(changedKeys(held, new Map([['~stamp:x', stampOf(log, a, 'E1')]])), new Set());
    // Gone, of an earlier version, from another process of the same name, or run past.
    assert.equal(changedKeys(held, new Map()), null);
    assert.equal(changedKeys(held, new Map([['~stamp:x', { etag: 'E4' }]])), null);
    const restarted = readStamp({ ...log.columns('e2', c) }, 'E5');
    assert.equal(changedKeys(held, new Map([['~stamp:x', restarted]])), null);
    const short = new StampLog(20);
    for (let i = 0; i < 5; i++) short.end(short.begin([`open:t${i}`]));
    const far = new Map([['~stamp:y', readStamp({ ...short.columns('e1', 5) }, 'E6')]]);
    assert.equal(changedKeys(new Map(), far), null, 'a new stamp whose log lost its first');
    assert.equal(readStamp({ epoch: 'e1', seq: 1, acked: 0, log: '{' }, 'E7').columns, undefined);
  });

  /** A transaction as the model runs it: who, its number, its writes, its stamp. */
  interface Tx {
    readonly writer: number;
    readonly seq: number;
    readonly writes: ReadonlyMap<string, boolean>; // key -> deleted
    readonly stamp: Record<string, unknown>;
  }
  const KEYS = ['open:a', 'open:b', 'agent:c', 'agent:d', 'queue:e'];
  const action = fc.oneof(
    fc.record({
      kind: fc.constant('begin' as const),
      writer: fc.integer({ min: 0, max: 1 }),
      writes: fc.dictionary(fc.constantFrom(...KEYS), fc.boolean(), { minKeys: 1 }),
    }),
    fc.record({ kind: fc.constant('land' as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant('fail' as const), pick: fc.nat() }),
    fc.record({
      kind: fc.constant('check' as const),
      between: fc.array(fc.nat(), { maxLength: 3 }),
    }),
  );

  it('brings a reader to the rows as stored, whatever order transactions land in and however its looks fall between', () => {
    fc.assert(
      fc.property(
        fc.array(action, { maxLength: 60 }),
        fc.constantFrom(60, 200, 8_000),
        (actions, budget) => {
          const logs = [new StampLog(budget), new StampLog(budget)];
          const stored = new Map<string, number>();
          const stamps = new Map<string, StampRead>();
          let version = 0;
          let pending: Tx[] = [];
          const reader = {
            rows: new Map<string, number>(),
            stamps: null as Map<string, StampSeen> | null,
          };
          const take = (pick: number) => {
            const tx = pending[pick % pending.length];
            pending = pending.filter((t) => t !== tx);
            return tx;
          };
          const land = (pick: number) => {
            const tx = take(pick);
            if (!tx) return;
            for (const [key, deleted] of tx.writes)
              if (deleted) stored.delete(key);
              else stored.set(key, ++version);
            stamps.set(`~stamp:${tx.writer}`, readStamp(tx.stamp, `E${++version}`));
            logs[tx.writer]?.end(tx.seq);
          };
          const check = (between: readonly number[]) => {
            const read = new Map(stamps);
            for (const pick of between) land(pick); // landing after the stamps were read
            const keys = reader.stamps ? changedKeys(reader.stamps, read) : null;
            if (keys === null) reader.rows = new Map(stored);
            else
              for (const key of keys) {
                const row = stored.get(key);
                if (row === undefined) reader.rows.delete(key);
                else reader.rows.set(key, row);
              }
            reader.stamps = stampsSeen(reader.stamps, read);
            if (between.length === 0)
              assert.deepEqual(reader.rows, stored, 'a look with nothing landing in it');
          };
          for (const a of actions) {
            if (a.kind === 'begin') {
              const log = logs[a.writer] ?? new StampLog();
              const writes = new Map(Object.entries(a.writes));
              const seq = log.begin([...writes.keys()]);
              const stamp = { ...log.columns('e1', seq) };
              pending.push({ writer: a.writer, seq, writes, stamp });
            } else if (a.kind === 'land') land(a.pick);
            else if (a.kind === 'fail') {
              const tx = take(a.pick);
              if (tx) logs[tx.writer]?.end(tx.seq);
            } else check(a.between);
          }
          while (pending.length > 0) land(0);
          check([]);
        },
      ),
      { numRuns: 500 },
    );
  });
});
