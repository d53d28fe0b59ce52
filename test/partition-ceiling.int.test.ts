import { strict as assert } from 'node:assert';
import { TableClient } from '@azure/data-tables';
import { startPartitionCeiling, type PartitionCeiling } from '../scripts/partition-ceiling.js';
import { testConnectionString, uniquePrefix } from './azurite-fixture.js';

/** The bench's stand-in for Azure's per-partition ceiling, with the storage client's own requests. */
describe('the partition ceiling in front of Azurite (bench, target 5)', () => {
  let ceiling: PartitionCeiling;
  const table = `${uniquePrefix()}Ceiling`;
  const client = () =>
    TableClient.fromConnectionString(ceiling.connectionString, table, {
      allowInsecureConnection: true,
    });
  afterEach(() => ceiling.stop());

  it('counts each partition’s entities: one per single write or read, each of a transaction', async () => {
    ceiling = await startPartitionCeiling(testConnectionString(), 1_000_000);
    const tables = client();
    await tables.createTable();
    await tables.createEntity({ partitionKey: "it's a", rowKey: '1', n: 1 });
    await tables.upsertEntity({ partitionKey: 'b', rowKey: '1', n: 1 }, 'Replace');
    await tables.submitTransaction([
      ['create', { partitionKey: 'b', rowKey: '2' }],
      ['upsert', { partitionKey: 'b', rowKey: '3', n: 2 }, 'Merge'],
      ['delete', { partitionKey: 'b', rowKey: '1' }],
    ]);
    await tables.getEntity("it's a", '1');
    for await (const _ of tables.listEntities({ queryOptions: { filter: "PartitionKey eq 'b'" } }));
    assert.deepEqual(Object.fromEntries(ceiling.counted), {
      [`${table}/it's a`]: 2,
      [`${table}/b`]: 5,
    });
  });

  it('holds a partition to its ceiling while another runs beside it', async () => {
    ceiling = await startPartitionCeiling(testConnectionString(), 50);
    const tables = client();
    await tables.createTable();
    const write = (partitionKey: string, i: number) =>
      tables.upsertEntity({ partitionKey, rowKey: String(i) }, 'Replace');
    const started = performance.now();
    await Promise.all(Array.from({ length: 20 }, (_, i) => write('hot', i)));
    const hot = performance.now() - started;
    // 20 entities at 50 a second: the last waits 19 turns of 20 ms (a timer may fire a little early).
    assert.ok(hot >= 370, `20 writes to one partition took ${hot.toFixed(0)} ms`);
    const spread = performance.now();
    await Promise.all(Array.from({ length: 20 }, (_, i) => write(`p${i % 4}`, i)));
    const four = performance.now() - spread;
    assert.ok(four >= 75, `5 writes to each of four partitions took ${four.toFixed(0)} ms`);
  });
});
