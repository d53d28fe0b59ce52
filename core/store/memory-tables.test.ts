// The in-memory tables keep every contract Azurite keeps (the same tests run there in the
// integration tier), so the unit tier can run the stores, the cache and the use cases on them.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { IN_MEMORY } from '../../test/table-accounts.js';
import { MemoryTables } from './memory-tables.js';
import { partitionFilter, rowKeyRange } from './odata.js';
import { parseODataFilter } from './odata-filter.js';
import { describeStoresContract } from './stores.contract.js';
import { describeTableAccountContract } from './table-account.contract.js';

describeTableAccountContract(IN_MEMORY);
describeStoresContract(IN_MEMORY);

describe('the in-memory tables answering a query', () => {
  it('read only the partition and key range a filter names, and answer as a scan would', async () => {
    const keys = fc.string({ unit: fc.constantFrom('a', 'b', "'", '~', ':'), maxLength: 4 });
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.record({ partitionKey: fc.constantFrom('p', "q'"), rowKey: keys }), {
          selector: (r) => `${r.partitionKey}\n${r.rowKey}`,
          maxLength: 30,
        }),
        fc.constantFrom('p', "q'", 'r'),
        keys,
        keys,
        async (rows, partitionKey, prefix, other) => {
          const memory = new MemoryTables();
          const client = memory.client('T');
          await client.createTable();
          for (const row of rows) await client.createEntity({ ...row, n: 1 });
          const filters = [
            partitionFilter(partitionKey),
            partitionFilter(partitionKey, prefix),
            partitionFilter(partitionKey, prefix, other),
            `${partitionFilter(partitionKey)} and (${rowKeyRange(prefix)} or ${rowKeyRange(other)})`,
            `${partitionFilter(partitionKey)} and (${rowKeyRange(prefix)}) or ${rowKeyRange(other)}`,
            rowKeyRange(prefix),
          ];
          for (const filter of filters) {
            const answered: string[] = [];
            for await (const e of client.listEntities({ queryOptions: { filter } }))
              answered.push(`${e.partitionKey}\n${e.rowKey}`);
            const matches = parseODataFilter(filter);
            const expected = rows
              .filter((r) => matches({ ...r, n: 1 }))
              .map((r) => `${r.partitionKey}\n${r.rowKey}`)
              .sort();
            assert.deepEqual(answered, expected, filter);
          }
        },
      ),
    );
  });
});

describe('the in-memory tables counting writes', () => {
  it('count each entity a write or a transaction writes or deletes, and nothing for reads', async () => {
    const memory = new MemoryTables();
    const client = memory.client('t');
    await client.createTable();
    const row = (rowKey: string) => ({ partitionKey: 'p', rowKey, n: 1 });
    await client.createEntity(row('a'));
    await client.submitTransaction([
      ['create', row('b')],
      ['upsert', row('c')],
      ['delete', row('a')],
    ]);
    await client.getEntity('p', 'b');
    for await (const entity of client.listEntities()) void entity;
    assert.equal(memory.entitiesWritten, 4);
    await client.deleteEntity('p', 'b');
    assert.equal(memory.entitiesWritten, 5);
  });
});
