// What the app relies on from a table account, at the level of the table client: run
// against Azurite (table-account.int.test.ts) and the in-memory tables
// (memory-tables.test.ts), so the stand-in answers as storage does.
import { strict as assert } from 'node:assert';
import { RestError, type TransactionAction } from '@azure/data-tables';
import { uniquePrefix, type TestAccount } from '../../test/table-accounts.js';
import { partitionFilter, propertyEquals, rowKeyRange } from './odata.js';
import type { TableClientLike } from './table-storage.js';

const statusOf = (error: unknown) => (error instanceof RestError ? error.statusCode : error);

async function rejectsWith(status: number, work: Promise<unknown>): Promise<void> {
  await assert.rejects(work, (error) => {
    assert.equal(statusOf(error), status);
    return true;
  });
}

async function rows(client: TableClientLike, filter?: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const e of client.listEntities(filter ? { queryOptions: { filter } } : {}))
    keys.push(`${e.partitionKey}/${e.rowKey}`);
  return keys;
}

/** Rows to query, across two partitions, with a quote and key-range edges in them. */
const SEED = [
  { partitionKey: 't1', rowKey: 'agent:a', state: 'Queued', n: 1, on: true },
  { partitionKey: 't1', rowKey: 'agent:b', state: 'Completed', n: 5, on: false },
  { partitionKey: 't1', rowKey: 'agent;', state: 'Completed', n: 10 },
  { partitionKey: 't1', rowKey: 'done:x', state: "O'Neil", n: 2.5 },
  { partitionKey: 't1', rowKey: '~stamp:i1', writtenAt: 1_795_000_000_000 },
  { partitionKey: "t'2", rowKey: 'agent:c', state: 'Queued', n: 7 },
];

/** Each filter the repositories send (and the operators around them) with the rows it selects. */
const FILTERS: readonly (readonly [string, string[]])[] = [
  [partitionFilter('t1'), ['t1/agent:a', 't1/agent:b', 't1/agent;', 't1/done:x', 't1/~stamp:i1']],
  [partitionFilter('t1', 'agent:'), ['t1/agent:a', 't1/agent:b']],
  [partitionFilter("t'2", 'agent:'), ["t'2/agent:c"]],
  [partitionFilter('t1', '~stamp:'), ['t1/~stamp:i1']],
  [
    `${partitionFilter('t1')} and (${rowKeyRange('agent:')} or ${rowKeyRange('done:')})`,
    ['t1/agent:a', 't1/agent:b', 't1/done:x'],
  ],
  [
    `${partitionFilter('t1', 'agent:')} and (${propertyEquals('state', 'Completed')})`,
    ['t1/agent:b'],
  ],
  [propertyEquals('state', "O'Neil"), ['t1/done:x']],
  ["RowKey eq 'agent:c'", ["t'2/agent:c"]],
  ['n gt 2 and n le 7', ['t1/agent:b', 't1/done:x', "t'2/agent:c"]],
  ["n ge 2.5 and not (state eq 'Queued')", ['t1/agent:b', 't1/agent;', 't1/done:x']],
  ["state ne 'Queued'", ['t1/agent:b', 't1/agent;', 't1/done:x']],
  ['on eq true', ['t1/agent:a']],
  ['on eq false or n lt 2', ['t1/agent:a', 't1/agent:b']],
  ["missing eq 'x'", []],
];

export function describeTableAccountContract(account: TestAccount): void {
  describe(`a table account: what the app relies on (${account.name})`, () => {
    let client: TableClientLike;
    beforeEach(async () => {
      client = await account.storage(uniquePrefix()).client('Contract');
    });

    it('answers 404 for a missing row, and a table made twice is one table', async () => {
      await rejectsWith(404, client.getEntity('p', 'r'));
      await client.createTable();
      assert.deepEqual(await rows(client), []);
    });

    it('refuses a second insert of a row with 409, and keeps the first', async () => {
      await client.createEntity({ partitionKey: 'p', rowKey: 'r', v: 1 });
      await rejectsWith(409, client.createEntity({ partitionKey: 'p', rowKey: 'r', v: 2 }));
      assert.equal((await client.getEntity<{ v: number }>('p', 'r')).v, 1);
    });

    it('writes and deletes on the row’s ETag: a stale one gets 412, a missing row 404', async () => {
      const first = await client.createEntity({ partitionKey: 'p', rowKey: 'r', v: 1 });
      const second = await client.updateEntity(
        { partitionKey: 'p', rowKey: 'r', v: 2 },
        'Replace',
        {
          etag: first.etag ?? '',
        },
      );
      assert.notEqual(second.etag, first.etag);
      assert.equal((await client.getEntity('p', 'r')).etag, second.etag);
      await rejectsWith(
        412,
        client.updateEntity({ partitionKey: 'p', rowKey: 'r', v: 3 }, 'Replace', {
          etag: first.etag ?? '',
        }),
      );
      await rejectsWith(412, client.deleteEntity('p', 'r', { etag: first.etag ?? '' }));
      await client.deleteEntity('p', 'r', { etag: second.etag ?? '' });
      await rejectsWith(404, client.deleteEntity('p', 'r', { etag: second.etag ?? '' }));
      await rejectsWith(
        404,
        client.updateEntity({ partitionKey: 'p', rowKey: 'r', v: 4 }, 'Replace', { etag: '*' }),
      );
    });

    it('keeps no null property, replaces a row whole and merges only what a merge names', async () => {
      await client.upsertEntity(
        { partitionKey: 'p', rowKey: 'r', a: 'x', b: null, c: 3 },
        'Replace',
      );
      const read = await client.getEntity<Record<string, unknown>>('p', 'r');
      assert.equal('b' in read, false, 'a null is not stored');
      assert.deepEqual([read.a, read.c], ['x', 3]);
      await client.upsertEntity({ partitionKey: 'p', rowKey: 'r', c: 4 }, 'Merge');
      const merged = await client.getEntity<Record<string, unknown>>('p', 'r');
      assert.deepEqual([merged.a, merged.c], ['x', 4]);
      await client.upsertEntity({ partitionKey: 'p', rowKey: 'r', c: 5 }, 'Replace');
      const replaced = await client.getEntity<Record<string, unknown>>('p', 'r');
      assert.deepEqual([replaced.a, replaced.c], [undefined, 5]);
    });

    it('commits a transaction whole, answering each write’s new ETag in order', async () => {
      const kept = await client.createEntity({ partitionKey: 'p', rowKey: 'old', v: 1 });
      const response = await client.submitTransaction([
        ['create', { partitionKey: 'p', rowKey: 'new', v: 1 }],
        [
          'update',
          { partitionKey: 'p', rowKey: 'old', v: 2 },
          'Replace',
          { etag: kept.etag ?? '' },
        ],
        ['upsert', { partitionKey: 'p', rowKey: 'stamp', at: 1 }, 'Replace'],
      ]);
      assert.equal(response.subResponses.length, 3);
      assert.equal(response.subResponses[1]?.etag, (await client.getEntity('p', 'old')).etag);
      assert.equal(response.subResponses[2]?.etag, (await client.getEntity('p', 'stamp')).etag);
      await client.submitTransaction([['delete', { partitionKey: 'p', rowKey: 'new' }]]);
      assert.deepEqual(await rows(client), ['p/old', 'p/stamp']);
    });

    it('writes nothing of a transaction when one write fails, and says which status', async () => {
      const row = await client.createEntity({ partitionKey: 'p', rowKey: 'a', v: 1 });
      await client.updateEntity({ partitionKey: 'p', rowKey: 'a', v: 2 }, 'Replace', {
        etag: row.etag ?? '',
      });
      const failing: [number, TransactionAction][] = [
        [
          412,
          ['update', { partitionKey: 'p', rowKey: 'a', v: 3 }, 'Replace', { etag: row.etag ?? '' }],
        ],
        [409, ['create', { partitionKey: 'p', rowKey: 'a', v: 3 }]],
        [404, ['delete', { partitionKey: 'p', rowKey: 'gone' }]],
      ];
      for (const [status, action] of failing)
        await rejectsWith(
          status,
          client.submitTransaction([['create', { partitionKey: 'p', rowKey: 'b', v: 1 }], action]),
        );
      assert.deepEqual(await rows(client), ['p/a']);
      assert.equal((await client.getEntity<{ v: number }>('p', 'a')).v, 2);
    });

    it('refuses a transaction across partitions, writing nothing', async () => {
      await assert.rejects(
        client.submitTransaction([
          ['create', { partitionKey: 'p', rowKey: 'a' }],
          ['create', { partitionKey: 'q', rowKey: 'a' }],
        ]),
        /same partitionKey/,
      );
      assert.deepEqual(await rows(client), []);
    });

    it('answers every query the repositories send with the rows storage does, in key order', async () => {
      for (const entity of SEED) await client.createEntity(entity);
      for (const [filter, expected] of FILTERS)
        assert.deepEqual((await rows(client, filter)).sort(), [...expected].sort(), filter);
      assert.deepEqual(
        await rows(client),
        SEED.map((e) => `${e.partitionKey}/${e.rowKey}`).sort(),
        'no filter: every row, in key order',
      );
    });
  });
}
