import { randomUUID } from 'node:crypto';
import type { TokenCredential } from '@azure/core-auth';
import {
  TableClient,
  type DeleteTableEntityOptions,
  type ListTableEntitiesOptions,
  type TableEntity,
  type TableEntityResult,
  type TableServiceClientOptions,
  type TableTransactionEntityResponse,
  type TransactionAction,
  type UpdateMode,
  type UpdateTableEntityOptions,
} from '@azure/data-tables';
import type { MemoryTables } from './memory-tables.js';
import { ChangeFeed, CHANGES_TABLE } from './change-feed.js';
import { PartitionCache, STAMP_PREFIX } from './partition-cache.js';

/**
 * What a request told to {@link TableStorageOptions.onRequest} does, for counting: a write,
 * or a read of one row by its key, of stamps, of the change feed, or of rows by a query
 * (a partition read whole, or a range of it).
 */
export function requestKind(
  method: string,
  url: string,
): 'write' | 'row' | 'stamps' | 'feed' | 'rows' {
  if (method !== 'GET') return 'write';
  const asked = decodeURIComponent(url);
  if (!asked.includes('$filter')) return 'row';
  if (asked.includes(STAMP_PREFIX)) return 'stamps';
  return asked.includes(`${CHANGES_TABLE}()`) ? 'feed' : 'rows';
}

/**
 * What the app asks of a table: the SDK's TableClient answers it over HTTP, MemoryTables
 * in this process (for the unit tier).
 */
export interface TableClientLike {
  createTable(): Promise<void>;
  getEntity<T extends object = Record<string, unknown>>(
    partitionKey: string,
    rowKey: string,
  ): Promise<TableEntityResult<T>>;
  listEntities<T extends object = Record<string, unknown>>(
    options?: ListTableEntitiesOptions,
  ): AsyncIterable<TableEntityResult<T>>;
  createEntity<T extends object>(entity: TableEntity<T>): Promise<{ etag?: string }>;
  upsertEntity<T extends object>(
    entity: TableEntity<T>,
    mode?: UpdateMode,
  ): Promise<{ etag?: string }>;
  updateEntity<T extends object>(
    entity: TableEntity<T>,
    mode?: UpdateMode,
    options?: UpdateTableEntityOptions,
  ): Promise<{ etag?: string }>;
  deleteEntity(
    partitionKey: string,
    rowKey: string,
    options?: DeleteTableEntityOptions,
  ): Promise<unknown>;
  submitTransaction(
    actions: TransactionAction[],
  ): Promise<{ readonly subResponses: readonly TableTransactionEntityResponse[] }>;
}

/**
 * How to reach the account: a connection string (Azurite, or a key for local use), or the
 * table endpoint with an Entra credential (a managed identity in Azure: no key anywhere).
 */
export type TableAccount =
  | { readonly connectionString: string }
  | { readonly url: string; readonly credential: TokenCredential }
  /** Tables in this process's memory (the unit tier's stand-in for an account). */
  | { readonly memory: MemoryTables };

export interface TableStorageOptions {
  readonly account: TableAccount;
  /** Prepended to every table name so several apps (or test suites) share one account. */
  readonly prefix?: string;
  /** Told of every request to the storage service (HTTP method), for measuring. */
  readonly onRequest?: (method: string, url: string) => void;
  /** Names this instance's stamp rows (random by default: one per process). */
  readonly instanceId?: string;
  /**
   * Reads cached rows from memory, checking other instances' stamps when the last check is
   * older than this; without it every read goes to storage (writes stamp either way).
   */
  readonly cacheMaxStalenessMs?: number;
  /** How long a partition nobody uses stays in memory (see PartitionCache). */
  readonly cacheIdleMs?: number;
  /** How often a partition in memory is read whole again, stamps or not (see PartitionCache). */
  readonly cacheReloadEveryMs?: number;
  /**
   * Whether instances tell each other which tenants they write (see ChangeFeed), so a
   * cached tenant nobody else writes costs no stamp reads; on by default. Every instance
   * sharing an account should agree: one without it writes without announcing, and the
   * others then see its writes only at their slow stamp check.
   */
  readonly changeFeed?: boolean;
  /** With the change feed, how often a quiet partition's stamps are read anyway. */
  readonly cacheQuietCheckMs?: number;
  /** Sees every call to a table's client (the bench records them, to replay them bare). */
  readonly wrapClient?: (client: TableClientLike, table: string) => TableClientLike;
}

const TABLE_NAME = /^[A-Za-z][A-Za-z0-9]{2,62}$/;

/**
 * Hands out table clients for one storage account (Azurite or Azure), creating each
 * table once on first use. The only place that knows how to reach the account.
 */
export class TableStorage {
  private readonly ready = new Map<string, Promise<TableClientLike>>();
  private readonly insecure: boolean;
  /** The rows this instance keeps in memory, and the stamps that keep them honest. */
  readonly partitions: PartitionCache;
  /** Whether repositories read cached rows from {@link partitions}. */
  readonly readsCached: boolean;
  /** This process among the instances sharing the account (stamps and leases name it). */
  readonly instanceId: string;

  constructor(private readonly options: TableStorageOptions) {
    this.insecure =
      'connectionString' in options.account &&
      /TableEndpoint=http:|DefaultEndpointsProtocol=http;/i.test(options.account.connectionString);
    this.readsCached = options.cacheMaxStalenessMs !== undefined;
    this.instanceId = options.instanceId ?? randomUUID().replace(/-/g, '').slice(0, 16);
    this.partitions = new PartitionCache({
      instanceId: this.instanceId,
      maxStalenessMs: options.cacheMaxStalenessMs ?? 0,
      ...(options.cacheIdleMs !== undefined && { idleMs: options.cacheIdleMs }),
      ...(options.cacheReloadEveryMs !== undefined && {
        reloadEveryMs: options.cacheReloadEveryMs,
      }),
      client: (table) => this.client(table),
      ...(options.changeFeed !== false && {
        feed: new ChangeFeed({
          instanceId: this.instanceId,
          client: () => this.client(CHANGES_TABLE),
        }),
      }),
      ...(options.cacheQuietCheckMs !== undefined && { quietCheckMs: options.cacheQuietCheckMs }),
    });
  }

  tableName(logical: string): string {
    const name = `${this.options.prefix ?? ''}${logical}`;
    if (!TABLE_NAME.test(name)) throw new Error(`Invalid table name: ${name}`);
    return name;
  }

  client(logical: string): Promise<TableClientLike> {
    const name = this.tableName(logical);
    let pending = this.ready.get(name);
    if (!pending) {
      pending = this.create(name);
      this.ready.set(name, pending);
      pending.catch(() => this.ready.delete(name));
    }
    return pending;
  }

  private tableClient(name: string, options: TableServiceClientOptions): TableClientLike {
    const { account } = this.options;
    if ('memory' in account) return account.memory.client(name, this.options.onRequest);
    return 'connectionString' in account
      ? TableClient.fromConnectionString(account.connectionString, name, options)
      : new TableClient(account.url, name, account.credential, options);
  }

  private async create(name: string): Promise<TableClientLike> {
    const onRequest = this.options.onRequest;
    const client = this.tableClient(name, {
      allowInsecureConnection: this.insecure,
      ...(onRequest && {
        additionalPolicies: [
          {
            position: 'perCall' as const,
            policy: {
              name: 'countRequests',
              sendRequest: (request, next) => (
                onRequest(request.method, request.url),
                next(request)
              ),
            },
          },
        ],
      }),
    });
    // createTable treats "already exists" as success.
    await client.createTable();
    return this.options.wrapClient?.(client, name) ?? client;
  }
}
