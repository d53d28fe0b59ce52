import { STAMP_PREFIX } from '../core/store/partition-cache.js';
import { testStorage } from './azurite-fixture.js';

/** Every row of one partition of a table, without ETags, timestamps and instance stamps. */
export async function snapshotTable(
  prefix: string,
  table: string,
  partitionKey: string,
): Promise<Record<string, unknown>[]> {
  const client = await testStorage(prefix).client(table);
  const rows: Record<string, unknown>[] = [];
  for await (const entity of client.listEntities({
    queryOptions: { filter: `PartitionKey eq '${partitionKey}'` },
  })) {
    if (entity.rowKey?.startsWith(STAMP_PREFIX)) continue;
    const { etag: _etag, timestamp: _timestamp, ...row } = entity as Record<string, unknown>;
    rows.push(row);
  }
  return rows;
}
