import { performance } from 'node:perf_hooks';
import {
  TableClient,
  type ListTableEntitiesOptions,
  type TableEntity,
  type TransactionAction,
  type UpdateMode,
} from '@azure/data-tables';
import { startEmbeddedAzurite } from '../core/store/embedded-azurite.js';
import type { TableClientLike } from '../core/store/table-storage.js';

/** A storage call as the app made it, enough to make it again. */
type Call =
  | { readonly kind: 'get'; readonly table: string; readonly key: Key }
  | { readonly kind: 'list'; readonly table: string; readonly options?: ListTableEntitiesOptions }
  | {
      readonly kind: 'write';
      readonly table: string;
      readonly entity: TableEntity<object>;
      readonly mode: UpdateMode;
    }
  | { readonly kind: 'delete'; readonly table: string; readonly key: Key }
  | { readonly kind: 'batch'; readonly table: string; readonly actions: TransactionAction[] };

interface Key {
  readonly partitionKey: string;
  readonly rowKey: string;
}

/**
 * Records every call the app makes to its table clients, from its start (the bench's
 * yardstick for the app's overhead: the same calls made again, bare). `calls.length`
 * marks where a measured stretch begins and ends.
 */
export class StorageRecorder {
  readonly calls: Call[] = [];

  /** Wraps a table client (TableStorageOptions.wrapClient). */
  readonly wrap = (client: TableClientLike, table: string): TableClientLike => {
    const note = (call: Call) => {
      this.calls.push(call);
    };
    return {
      createTable: () => client.createTable(),
      getEntity: <T extends object>(partitionKey: string, rowKey: string) => {
        note({ kind: 'get', table, key: { partitionKey, rowKey } });
        return client.getEntity<T>(partitionKey, rowKey);
      },
      listEntities: <T extends object>(options?: ListTableEntitiesOptions) => {
        note({ kind: 'list', table, ...(options && { options }) });
        return client.listEntities<T>(options);
      },
      createEntity: (entity) => {
        note({ kind: 'write', table, entity, mode: 'Replace' });
        return client.createEntity(entity);
      },
      upsertEntity: (entity, mode) => {
        note({ kind: 'write', table, entity, mode: mode ?? 'Merge' });
        return client.upsertEntity(entity, mode);
      },
      updateEntity: (entity, mode, options) => {
        note({ kind: 'write', table, entity, mode: mode ?? 'Merge' });
        return client.updateEntity(entity, mode, options);
      },
      deleteEntity: (partitionKey, rowKey, options) => {
        note({ kind: 'delete', table, key: { partitionKey, rowKey } });
        return client.deleteEntity(partitionKey, rowKey, options);
      },
      submitTransaction: (actions) => {
        note({ kind: 'batch', table, actions: [...actions] });
        return client.submitTransaction(actions);
      },
    };
  };
}

/**
 * The same write with its condition dropped, so it succeeds on the rows as they are now
 * (an insert becomes an upsert, an update an upsert, a delete unconditional): the same
 * round trip, table, partition, row and payload.
 */
function bare(action: TransactionAction): TransactionAction {
  switch (action[0]) {
    case 'create':
      return ['upsert', action[1], 'Replace'];
    case 'update':
      return ['upsert', action[1], action[2] ?? 'Merge'];
    case 'delete':
      return ['delete', action[1]];
    case 'upsert':
      return action;
  }
}

/**
 * Makes the recorded calls again straight through the storage SDK, on a fresh embedded
 * Azurite: first every call before `window.from` (untimed, so the tables hold what they
 * held when the measured calls began), then the window's calls, `parallel` at a time in
 * their recorded order, with no logic around them: what the same storage work costs bare,
 * on tables of the same size. Says how long the window took and how many of its calls
 * failed (a point read of a row gone counts as done).
 */
export async function replayBare(
  calls: readonly Call[],
  window: { readonly from: number; readonly to: number },
  parallel: number,
): Promise<{ seconds: number; failed: number }> {
  const azurite = await startEmbeddedAzurite({ dataDir: ':memory:' });
  try {
    const clients = new Map<string, Promise<TableClient>>();
    const clientOf = (table: string) => {
      let client = clients.get(table);
      if (!client) {
        const made = TableClient.fromConnectionString(azurite.connectionString, table, {
          allowInsecureConnection: true,
        });
        client = made.createTable().then(() => made);
        clients.set(table, client);
      }
      return client;
    };
    const one = async (call: Call) => {
      const client = await clientOf(call.table);
      switch (call.kind) {
        case 'get':
          try {
            await client.getEntity(call.key.partitionKey, call.key.rowKey);
          } catch (error) {
            if ((error as { statusCode?: number }).statusCode !== 404) throw error;
          }
          return;
        case 'list':
          for await (const row of client.listEntities(call.options)) void row;
          return;
        case 'write':
          await client.upsertEntity(call.entity, call.mode);
          return;
        case 'delete':
          await client.deleteEntity(call.key.partitionKey, call.key.rowKey);
          return;
        case 'batch':
          await client.submitTransaction(call.actions.map(bare));
          return;
      }
    };
    const run = async (list: readonly Call[]) => {
      let failed = 0;
      let next = 0;
      await Promise.all(
        Array.from({ length: parallel }, async () => {
          while (next < list.length) {
            const call = list[next++]!;
            try {
              await one(call);
            } catch {
              failed++;
            }
          }
        }),
      );
      return failed;
    };
    await run(calls.slice(0, window.from));
    const measured = calls.slice(window.from, window.to);
    for (const call of measured) await clientOf(call.table);
    const started = performance.now();
    const failed = await run(measured);
    return { seconds: (performance.now() - started) / 1000, failed };
  } finally {
    await azurite.stop();
  }
}
