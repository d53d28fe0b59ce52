import {
  RestError,
  type ListTableEntitiesOptions,
  type TableEntity,
  type TableEntityResult,
  type TransactionAction,
  type UpdateMode,
} from '@azure/data-tables';
import { parseODataFilter } from './odata-filter.js';
import type { TableClientLike } from './table-storage.js';
import { sortedTree, type SortedTree } from './sorted-tree.js';

type Properties = Record<string, unknown>;

interface StoredRow {
  readonly properties: Readonly<Properties>;
  readonly etag: string;
  readonly timestamp: string;
}

/** One partition's rows in row key order (as Azure keeps them), each change O(log n). */
type Partition = SortedTree<string, StoredRow>;
/** One table: rows by partition, then by row key. */
type Table = Map<string, Partition>;

const literal = String.raw`'((?:[^']|'')*)'`;
const unquote = (raw: string) => raw.replace(/''/g, "'");
/** The filters the repositories send (odata.ts): one partition, maybe one key range, maybe more in parentheses. */
const ONE_PARTITION = new RegExp(String.raw`^PartitionKey eq ${literal}(?: and (\(.*\)))?$`, 's');
const ONE_RANGE = new RegExp(
  String.raw`^\(RowKey ge ${literal} and RowKey lt ${literal}(?: and RowKey ne ${literal})?\)$`,
  's',
);

/** Whether a filter's text is one parenthesized group (so `A and (group)` is a conjunction). */
function oneGroup(text: string): boolean {
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')' && --depth === 0 && i < text.length - 1) return false;
  }
  return depth === 0;
}

/**
 * Which rows a filter can match at most, read off the filters the repositories build: a
 * partition, and a row key range within it. Narrowing only: the filter itself still
 * decides each row, so a filter of another shape is answered by a scan, never wrongly.
 */
function narrowing(filter: string | undefined): {
  partitionKey?: string;
  from?: string;
  below?: string;
} {
  const partition = filter === undefined ? null : ONE_PARTITION.exec(filter);
  if (!partition) return {};
  const partitionKey = unquote(partition[1] ?? '');
  const rest = partition[2];
  if (rest === undefined) return { partitionKey };
  if (!oneGroup(rest)) return {};
  const range = ONE_RANGE.exec(rest);
  return range
    ? { partitionKey, from: unquote(range[1] ?? ''), below: unquote(range[2] ?? '') }
    : { partitionKey };
}

const statusError = (statusCode: number, code: string, message: string) =>
  new RestError(message, { statusCode, code });

/**
 * A storage account's tables in this process's memory, answering as Azure Table storage
 * does for what the app asks of it: point reads, queries with the OData filters the
 * repositories send, inserts that refuse an existing row (409), writes and deletes
 * conditional on an ETag (412, or 404 for a missing row), and entity group transactions
 * that commit all or nothing. Each request yields to the event loop first, so concurrent
 * requests interleave as they do over the network.
 *
 * It exists for the unit tier: the contract tests that run against Azurite (plain and
 * through the partition cache) run against it too, so a use case's behaviour with several
 * instances on one account can be tested without a storage process. Instances share an
 * account by sharing one MemoryTables.
 */
export class MemoryTables {
  private readonly tables = new Map<string, Table>();
  private writes = 0;
  /** Entities written or deleted so far (a transaction counts each of its rows), for measuring. */
  entitiesWritten = 0;

  /** A client for one table, as TableStorage hands them out. */
  client(name: string, onRequest?: (method: string, url: string) => void): TableClientLike {
    return new MemoryTableClient(this, name, onRequest);
  }

  /** The table, or a 404 as Azure answers for a table never created. */
  table(name: string): Table {
    const table = this.tables.get(name);
    if (!table) throw statusError(404, 'TableNotFound', `The table ${name} does not exist.`);
    return table;
  }

  create(name: string): void {
    if (!this.tables.has(name)) this.tables.set(name, new Map());
  }

  /** A new row version: its ETag and timestamp, as Azure's (a weak ETag over the time). */
  stamp(): { etag: string; timestamp: string } {
    this.entitiesWritten++;
    const timestamp = new Date()
      .toISOString()
      .replace('Z', `${String(++this.writes % 10_000).padStart(4, '0')}Z`);
    return { etag: `W/"datetime'${encodeURIComponent(timestamp)}'"`, timestamp };
  }
}

/** Azure keeps no null properties: a property written as null is absent when read. */
function storedProperties(entity: Readonly<Properties>): Properties {
  const properties: Properties = {};
  for (const [key, value] of Object.entries(entity)) {
    if (value === null || value === undefined || key === 'etag' || key === 'timestamp') continue;
    if (key === 'odata.etag' || key.endsWith('@odata.type')) continue;
    properties[key] = value;
  }
  return properties;
}

function keysOf(entity: Readonly<Properties>): { partitionKey: string; rowKey: string } {
  const { partitionKey, rowKey } = entity;
  if (typeof partitionKey !== 'string' || typeof rowKey !== 'string')
    throw statusError(400, 'PropertiesNeedValue', 'PartitionKey and RowKey are required.');
  return { partitionKey, rowKey };
}

function result<T extends object>(
  row: StoredRow,
  select?: readonly string[],
): TableEntityResult<T> {
  const properties = select
    ? Object.fromEntries(
        Object.entries(row.properties).filter(
          ([key]) =>
            select.includes(key) ||
            (key === 'partitionKey' && select.includes('PartitionKey')) ||
            (key === 'rowKey' && select.includes('RowKey')),
        ),
      )
    : { ...row.properties };
  return { ...properties, etag: row.etag, timestamp: row.timestamp } as TableEntityResult<T>;
}

/** One write; `etag` '*' is unconditional (on a row that must exist). */
type Write =
  | { readonly kind: 'create'; readonly entity: Readonly<Properties> }
  | { readonly kind: 'delete'; readonly entity: Readonly<Properties>; readonly etag: string }
  | {
      readonly kind: 'update';
      readonly entity: Readonly<Properties>;
      readonly mode: UpdateMode;
      readonly etag: string;
    }
  | { readonly kind: 'upsert'; readonly entity: Readonly<Properties>; readonly mode: UpdateMode };

/** Rows of one partition as a write sees them: the partition itself, or a transaction's changes over it. */
interface RowView {
  get(rowKey: string): StoredRow | undefined;
  set(rowKey: string, row: StoredRow): void;
  delete(rowKey: string): void;
}

/** The partition of a table, created empty when first written. */
function partitionOf(table: Table, partitionKey: string): Partition {
  let partition = table.get(partitionKey);
  if (!partition) table.set(partitionKey, (partition = sortedTree<string, StoredRow>()));
  return partition;
}

/** A write against a partition as it stands (or as a transaction has it so far); throws as Azure would. */
function apply(tables: MemoryTables, rows: RowView, w: Write): StoredRow | null {
  const { rowKey } = keysOf(w.entity);
  const existing = rows.get(rowKey);
  const conditional = (etag: string | undefined) => {
    if (!existing)
      throw statusError(404, 'ResourceNotFound', 'The specified resource does not exist.');
    if (etag !== undefined && etag !== '*' && etag !== existing.etag)
      throw statusError(
        412,
        'UpdateConditionNotSatisfied',
        'The update condition specified in the request was not satisfied.',
      );
  };
  let written: StoredRow | null = null;
  const write = (properties: Properties) => {
    written = { properties, ...tables.stamp() };
    rows.set(rowKey, written);
  };
  switch (w.kind) {
    case 'create':
      if (existing)
        throw statusError(409, 'EntityAlreadyExists', 'The specified entity already exists.');
      write(storedProperties(w.entity));
      break;
    case 'delete':
      conditional(w.etag);
      rows.delete(rowKey);
      tables.entitiesWritten++;
      break;
    case 'update':
    case 'upsert': {
      if (w.kind === 'update') conditional(w.etag);
      const incoming = storedProperties(w.entity);
      write(w.mode === 'Merge' && existing ? { ...existing.properties, ...incoming } : incoming);
      break;
    }
  }
  return written;
}

function writeOf(action: TransactionAction): Write {
  const entity = action[1] as Readonly<Properties>;
  switch (action[0]) {
    case 'create':
      return { kind: 'create', entity };
    case 'delete':
      return { kind: 'delete', entity, etag: '*' };
    case 'update':
      return { kind: 'update', entity, mode: action[2] ?? 'Merge', etag: action[3]?.etag ?? '*' };
    case 'upsert':
      return { kind: 'upsert', entity, mode: action[2] ?? 'Merge' };
  }
}

class MemoryTableClient implements TableClientLike {
  constructor(
    private readonly account: MemoryTables,
    private readonly name: string,
    private readonly onRequest?: (method: string, url: string) => void,
  ) {}

  /** Tells the request counter, then lets other requests run first, as I/O would. */
  private async request(method: string, path = ''): Promise<void> {
    this.onRequest?.(method, `memory:///${this.name}${path}`);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  async createTable(): Promise<void> {
    await this.request('POST');
    this.account.create(this.name);
  }

  async getEntity<T extends object = Record<string, unknown>>(
    partitionKey: string,
    rowKey: string,
  ): Promise<TableEntityResult<T>> {
    await this.request('GET', `(PartitionKey='${partitionKey}',RowKey='${rowKey}')`);
    const row = this.account.table(this.name).get(partitionKey)?.get(rowKey);
    if (!row) throw statusError(404, 'ResourceNotFound', 'The specified resource does not exist.');
    return result<T>(row);
  }

  async *listEntities<T extends object = Record<string, unknown>>(
    options?: ListTableEntitiesOptions,
  ): AsyncIterableIterator<TableEntityResult<T>> {
    const filter = options?.queryOptions?.filter;
    await this.request('GET', `()?$filter=${encodeURIComponent(filter ?? '')}`);
    const matches = filter ? parseODataFilter(filter) : () => true;
    const select = options?.queryOptions?.select;
    const table = this.account.table(this.name);
    // Azure answers in key order: partitions, then rows; a filter naming a partition and a
    // key range reads only those rows.
    const { partitionKey, from, below } = narrowing(filter);
    const partitions =
      partitionKey === undefined
        ? [...table.keys()].sort()
        : table.has(partitionKey)
          ? [partitionKey]
          : [];
    const rows: TableEntityResult<T>[] = [];
    for (const key of partitions)
      for (const [rowKey, row] of table.get(key)?.entries(from) ?? []) {
        if (below !== undefined && rowKey >= below) break;
        if (matches(row.properties)) rows.push(result<T>(row, select));
      }
    yield* rows;
  }

  async createEntity<T extends object>(entity: TableEntity<T>): Promise<{ etag?: string }> {
    return this.single('POST', { kind: 'create', entity });
  }

  async upsertEntity<T extends object>(
    entity: TableEntity<T>,
    mode: UpdateMode = 'Merge',
  ): Promise<{ etag?: string }> {
    return this.single(mode === 'Merge' ? 'MERGE' : 'PUT', { kind: 'upsert', entity, mode });
  }

  async updateEntity<T extends object>(
    entity: TableEntity<T>,
    mode: UpdateMode = 'Merge',
    options?: { etag?: string },
  ): Promise<{ etag?: string }> {
    return this.single(mode === 'Merge' ? 'MERGE' : 'PUT', {
      kind: 'update',
      entity,
      mode,
      etag: options?.etag ?? '*',
    });
  }

  async deleteEntity(
    partitionKey: string,
    rowKey: string,
    options?: { etag?: string },
  ): Promise<void> {
    await this.single('DELETE', {
      kind: 'delete',
      entity: { partitionKey, rowKey },
      etag: options?.etag ?? '*',
    });
  }

  private async single(method: string, write: Write): Promise<{ etag?: string }> {
    await this.request(method);
    const table = this.account.table(this.name);
    const { partitionKey } = keysOf(write.entity);
    const partition = table.get(partitionKey);
    const written = apply(
      this.account,
      {
        get: (rowKey) => partition?.get(rowKey),
        set: (rowKey, row) => partitionOf(table, partitionKey).set(rowKey, row),
        delete: (rowKey) => partition?.delete(rowKey),
      },
      write,
    );
    return written ? { etag: written.etag } : {};
  }

  /**
   * An entity group transaction: up to 100 writes to one partition, all applied or none.
   * The SDK sends a delete inside a transaction without an ETag condition.
   */
  async submitTransaction(actions: TransactionAction[]) {
    const table = this.account.table(this.name);
    if (actions.length === 0 || actions.length > 100)
      throw statusError(400, 'InvalidInput', 'A transaction holds 1 to 100 operations.');
    const partitions = new Set(actions.map(([, e]) => keysOf(e).partitionKey));
    const rows = new Set(actions.map(([, e]) => keysOf(e).rowKey));
    // The SDK refuses this itself, before any request.
    if (partitions.size !== 1)
      throw new Error('All operations in a transaction must target the same partitionKey');
    if (rows.size !== actions.length)
      throw statusError(
        400,
        'InvalidDuplicateRow',
        'The batch request contains multiple changes with the same row key.',
      );
    await this.request('POST');
    const partitionKey = [...partitions][0] ?? '';
    // Applied as changes over the partition, which take effect only when every write went through.
    const partition = table.get(partitionKey);
    const changes = new Map<string, StoredRow | null>();
    const view: RowView = {
      get: (rowKey) => {
        const changed = changes.get(rowKey);
        return changed === undefined ? partition?.get(rowKey) : (changed ?? undefined);
      },
      set: (rowKey, row) => changes.set(rowKey, row),
      delete: (rowKey) => changes.set(rowKey, null),
    };
    const subResponses = actions.map((action) => {
      const write = writeOf(action);
      const { kind, entity } = write;
      const written = apply(this.account, view, write);
      return {
        status: kind === 'create' ? 201 : 204,
        // Azure names the row only in an insert's answer.
        ...(kind === 'create' && { rowKey: keysOf(entity).rowKey }),
        ...(written && { etag: written.etag }),
      };
    });
    const stored = partitionOf(table, partitionKey);
    for (const [rowKey, row] of changes)
      if (row) stored.set(rowKey, row);
      else stored.delete(rowKey);
    return { status: 202, subResponses };
  }
}
