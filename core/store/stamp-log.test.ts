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

let etags = 0;

/** A stamp row as storage keeps it: each transaction's columns merged into it as it lands. */
class StoredStamp {
  private row: Record<string, unknown> = {};
  private version = 0;
  merge(columns: Readonly<Record<string, unknown>>): void {
    this.row = { ...this.row, ...columns };
    this.version = ++etags;
  }
  read(): StampRead {
    return readStamp(this.row, `E${this.version}`);
  }
}

const begun = (log: StampLog) => {
  const seq = log.tryBegin();
  assert.ok(seq !== null);
  return seq;
};

describe('the change log an instance merges into its stamps', () => {
  it('writes each transaction’s entry into the column of its slot, with the process and up to where all before it finished', () => {
    const log = new StampLog('p1', 4);
    const one = begun(log);
    const two = begun(log);
    assert.deepEqual(log.columns(two, ['agent:x', 'open:b']), {
      epoch: 'p1',
      slots: 4,
      log02: JSON.stringify(['p1', 2, 0, ['agent:x', 'open:b']]),
    });
    log.end(one);
    assert.equal(JSON.parse(String(log.columns(two, [])['log02']))[2], 1);
    const many = Array.from({ length: 400 }, (_, i) => `open:${'x'.repeat(80)}${i}`);
    assert.equal(JSON.parse(String(log.columns(two, many)['log02']))[3], null, 'too many to name');
  });

  it('numbers a transaction only once every one a round of slots before it has finished', async () => {
    const log = new StampLog('p1', 2);
    const one = begun(log);
    log.end(begun(log));
    // Were the third numbered now, it would write slot 1, and the first, landing after it,
    // would write over its entry.
    assert.equal(log.tryBegin(), null, 'slot 1 is still the first’s, one on its way or not');
    const third = log.begin();
    let numbered: number | undefined;
    void third.then((n) => (numbered = n));
    await Promise.resolve();
    assert.equal(numbered, undefined);
    log.end(one);
    assert.equal(await third, 3);
  });

  it('tells a reader the rows written since it looked, or that it must read the partition whole', () => {
    const log = new StampLog('p1', 4);
    const stamp = new StoredStamp();
    const land = (keys: string[]) => {
      const seq = begun(log);
      stamp.merge(log.columns(seq, keys));
      log.end(seq);
    };
    land(['open:a']);
    const held = stampsSeen(null, new Map([['~stamp:x', stamp.read()]]));
    assert.deepEqual(changedKeys(held, new Map([['~stamp:x', stamp.read()]])), new Set());
    land(['open:b']);
    land(['agent:c']);
    assert.deepEqual(
      changedKeys(held, new Map([['~stamp:x', stamp.read()]])),
      new Set(['open:b', 'agent:c']),
    );
    // Gone, of an earlier version, another process of the same name.
    assert.equal(changedKeys(held, new Map()), null);
    assert.equal(changedKeys(held, new Map([['~stamp:x', { etag: 'E9' }]])), null);
    const restarted = new StoredStamp();
    restarted.merge(new StampLog('p2', 4).columns(1, ['open:z']));
    assert.equal(changedKeys(held, new Map([['~stamp:x', restarted.read()]])), null);
    // So far behind that a slot it needed was written again.
    for (let i = 0; i < 3; i++) land([`open:t${i}`]);
    assert.equal(changedKeys(held, new Map([['~stamp:x', stamp.read()]])), null);
    // A transaction too big to name.
    const caught = stampsSeen(held, new Map([['~stamp:x', stamp.read()]]));
    land(Array.from({ length: 400 }, (_, i) => `open:${'x'.repeat(80)}${i}`));
    assert.equal(changedKeys(caught, new Map([['~stamp:x', stamp.read()]])), null);
    const broken = new StoredStamp();
    broken.merge({ epoch: 'p1', slots: 4, log01: '{' });
    assert.equal(broken.read().log, undefined);
  });

  it('after a reader took a stamp in, its next look reads only what came after', () => {
    const log = new StampLog('p1', 32);
    const stamp = new StoredStamp();
    const seq = begun(log);
    stamp.merge(log.columns(seq, ['open:a', 'open:b']));
    log.end(seq);
    const held = stampsSeen(null, new Map([['~stamp:x', stamp.read()]]));
    const next = begun(log);
    stamp.merge(log.columns(next, ['agent:c']));
    log.end(next);
    assert.deepEqual(
      changedKeys(held, new Map([['~stamp:x', stamp.read()]])),
      new Set(['agent:c']),
      'the transaction whose stamp it read had landed',
    );
  });

  /** A transaction as the model runs it: who, its number, its writes, its stamp columns. */
  interface Tx {
    readonly writer: number;
    readonly seq: number;
    readonly writes: ReadonlyMap<string, boolean>; // key -> deleted
    readonly columns: Readonly<Record<string, unknown>>;
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
        fc.array(action, { maxLength: 80 }),
        fc.constantFrom(2, 3, 32),
        (actions, slots) => {
          const logs = [new StampLog('p1', slots), new StampLog('p2', slots)];
          const stamps = [new StoredStamp(), new StoredStamp()];
          const stored = new Map<string, number>();
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
            stamps[tx.writer]?.merge(tx.columns);
            logs[tx.writer]?.end(tx.seq);
          };
          const check = (between: readonly number[]) => {
            const read = new Map<string, StampRead>();
            stamps.forEach((stamp, i) => {
              const seen = stamp.read();
              if (seen.log) read.set(`~stamp:${i}`, seen); // a stamp exists once written
            });
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
              const log = logs[a.writer];
              const seq = log?.tryBegin() ?? null;
              if (!log || seq === null) continue; // it would wait for a slot
              const writes = new Map(Object.entries(a.writes));
              const columns = log.columns(seq, [...writes.keys()]);
              pending.push({ writer: a.writer, seq, writes, columns });
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
      { numRuns: 1000 },
    );
  });
});
