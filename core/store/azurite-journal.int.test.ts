import { strict as assert } from 'node:assert';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TableClient, TableServiceClient, TableTransaction } from '@azure/data-tables';
import { spawnProcess, waitFor, type Spawned } from '../../test/processes.js';

interface Started extends Spawned {
  readonly connectionString: string;
  readonly replayed: number;
}

async function startAzuriteProcess(dataDir: string): Promise<Started> {
  const proc = spawnProcess(
    process.execPath,
    ['--import', 'tsx', 'test/azurite-process.ts', dataDir],
    {},
  );
  let started: { connectionString: string; replayed: number } | undefined;
  await waitFor(
    'azurite',
    () => {
      const line = proc
        .output()
        .split('\n')
        .find((l) => l.startsWith('{'));
      if (line) started = JSON.parse(line) as typeof started;
      return Promise.resolve(started !== undefined);
    },
    proc,
    60_000,
  );
  if (!started) throw new Error('no azurite');
  return { ...proc, ...started };
}

type Row = Record<string, unknown>;
/** What the test expects each table to hold: row key -> properties. */
type Model = Map<string, Map<string, Row>>;

async function readAll(connectionString: string, tables: readonly string[]): Promise<Model> {
  const model: Model = new Map();
  for (const table of tables) {
    const client = TableClient.fromConnectionString(connectionString, table, {
      allowInsecureConnection: true,
    });
    const rows = new Map<string, Row>();
    try {
      for await (const entity of client.listEntities()) {
        const { partitionKey, rowKey, etag, timestamp, ...properties } = entity as Row & {
          partitionKey: string;
          rowKey: string;
        };
        void etag;
        void timestamp;
        rows.set(`${partitionKey}|${rowKey}`, properties);
      }
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 404) throw error;
      continue;
    }
    model.set(table, rows);
  }
  return model;
}

describe("the embedded Azurite's journal", function () {
  // 3 to 4 s a test: Azurite starts twice in a process of its own, to be killed.
  this.timeout(120_000);
  let dataDir = '';
  let azurite: Started | undefined;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'azurite-journal-'));
  });
  afterEach(async () => {
    await azurite?.stop('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('given every kind of write acknowledged just before kill -9, a restart finds each one as acknowledged', async () => {
    azurite = await startAzuriteProcess(dataDir);
    const cs = azurite.connectionString;
    const options = { allowInsecureConnection: true };
    const service = TableServiceClient.fromConnectionString(cs, options);
    const table = (name: string) => TableClient.fromConnectionString(cs, name, options);
    const expected: Model = new Map();
    const rows = (name: string) => {
      const found = expected.get(name) ?? new Map<string, Row>();
      expected.set(name, found);
      return found;
    };

    // Many single-row writes, eight at a time, as instances send them.
    await service.createTable('Rows');
    const keys = Array.from({ length: 240 }, (_, i) => `r${String(i).padStart(3, '0')}`);
    for (let i = 0; i < keys.length; i += 8) {
      await Promise.all(
        keys.slice(i, i + 8).map(async (rowKey, j) => {
          const partitionKey = `p${(i + j) % 3}`;
          await table('Rows').upsertEntity({ partitionKey, rowKey, n: i + j, text: 'é"\n' });
          rows('Rows').set(`${partitionKey}|${rowKey}`, { n: i + j, text: 'é"\n' });
        }),
      );
    }
    // Replace, merge, delete, insert.
    await table('Rows').updateEntity({ partitionKey: 'p0', rowKey: 'r000', m: 1 }, 'Replace');
    rows('Rows').set('p0|r000', { m: 1 });
    await table('Rows').updateEntity({ partitionKey: 'p1', rowKey: 'r001', m: 2 }, 'Merge');
    rows('Rows').set('p1|r001', { n: 1, text: 'é"\n', m: 2 });
    await table('Rows').deleteEntity('p2', 'r002');
    rows('Rows').delete('p2|r002');
    await table('Rows').createEntity({ partitionKey: 'p9', rowKey: 'new', n: -1 });
    rows('Rows').set('p9|new', { n: -1 });

    // A transaction that commits, and one that fails half-way and so changes nothing.
    await service.createTable('Batches');
    const done = new TableTransaction();
    for (let i = 0; i < 5; i++) done.createEntity({ partitionKey: 'b', rowKey: `k${i}`, i });
    await table('Batches').submitTransaction(done.actions);
    for (let i = 0; i < 5; i++) rows('Batches').set(`b|k${i}`, { i });
    const failing = new TableTransaction();
    failing.updateEntity({ partitionKey: 'b', rowKey: 'k0', i: 100 }, 'Replace');
    failing.deleteEntity('b', 'k1');
    failing.createEntity({ partitionKey: 'b', rowKey: 'k2', i: 200 });
    await assert.rejects(table('Batches').submitTransaction(failing.actions));

    // A table dropped, one dropped and made again.
    await service.createTable('Gone');
    await table('Gone').createEntity({ partitionKey: 'g', rowKey: 'g', x: 1 });
    await service.deleteTable('Gone');
    await service.createTable('Again');
    await table('Again').createEntity({ partitionKey: 'a', rowKey: 'old', x: 1 });
    await service.deleteTable('Again');
    await service.createTable('Again');
    await table('Again').createEntity({ partitionKey: 'a', rowKey: 'new', x: 2 });
    rows('Again').set('a|new', { x: 2 });

    await azurite.stop('SIGKILL');
    assert.ok(
      (await readdir(dataDir)).some((name) => name.includes('.journal.')),
      'the kill left the journal for the restart',
    );

    azurite = await startAzuriteProcess(dataDir);
    assert.ok(azurite.replayed > 0, 'the restart replayed the journal');
    const found = await readAll(azurite.connectionString, ['Rows', 'Batches', 'Gone', 'Again']);
    assert.deepEqual(found, expected);
    // The restored tables take writes and answer queries by key as before.
    const again = TableClient.fromConnectionString(azurite.connectionString, 'Rows', options);
    await again.upsertEntity({ partitionKey: 'p0', rowKey: 'r999', n: 999 });
    const p0 = [];
    for await (const e of again.listEntities({ queryOptions: { filter: "PartitionKey eq 'p0'" } }))
      p0.push(e.rowKey);
    assert.deepEqual(
      p0,
      [...expected.get('Rows')!.keys()]
        .filter((k) => k.startsWith('p0|'))
        .map((k) => k.slice(3))
        .concat('r999')
        .sort(),
    );
  });

  it('given a graceful stop, the database holds everything and the journal is empty', async () => {
    azurite = await startAzuriteProcess(dataDir);
    const client = TableClient.fromConnectionString(azurite.connectionString, 'Rows', {
      allowInsecureConnection: true,
    });
    await client.createTable();
    await client.upsertEntity({ partitionKey: 'p', rowKey: 'r', n: 1 });
    assert.equal(await azurite.stop('SIGTERM'), 0);
    azurite = await startAzuriteProcess(dataDir);
    assert.equal(azurite.replayed, 0);
    const entity = await TableClient.fromConnectionString(azurite.connectionString, 'Rows', {
      allowInsecureConnection: true,
    }).getEntity('p', 'r');
    assert.equal(entity.n, 1);
  });
});
