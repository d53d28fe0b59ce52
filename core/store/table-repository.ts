import type { TableEntityResult } from '@azure/data-tables';
import { ConflictError, isStatus } from './conflict-error.js';
import { partitionFilter } from './odata.js';
import {
  entityOf,
  isStamp,
  readsFresh,
  type CachedRow,
  type RowParser,
} from './partition-cache.js';
import type { TableStorage } from './table-storage.js';
import { commitTransaction, type WriteOp } from './table-transaction.js';

export interface TableKey {
  readonly partitionKey: string;
  readonly rowKey: string;
}

/** A value as read from storage together with the ETag that guards its next write. */
export interface Versioned<T> {
  readonly value: T;
  readonly etag: string;
}

export type EntityProperties = Record<string, string | number | boolean | null>;

/** How one aggregate maps to table rows; written by hand per aggregate. */
export interface EntityMapping<T> {
  readonly table: string;
  /** Row keys of this aggregate start with it, so several aggregates share a partition. */
  readonly rowPrefix: string;
  readonly keyOf: (value: T) => TableKey;
  readonly toEntity: (value: T) => EntityProperties;
  /** Parses a stored row; throws on a row that does not fit (corrupt data is a bug). */
  readonly fromEntity: (entity: Readonly<Record<string, unknown>>) => T;
  /**
   * Kept in each instance's memory per partition (see PartitionCache): for the rows every
   * request and distribution run reads, whose count a tenant bounds.
   */
  readonly cached?: boolean;
}

/**
 * A repository over one table with optimistic concurrency: inserts fail when the row
 * exists, replaces and deletes fail when the ETag is stale; both as {@link ConflictError}.
 * A cached aggregate reads from the instance's partition cache and writes in transactions
 * that keep it current.
 */
export class TableRepository<T> implements RowParser {
  private readonly fromCache: boolean;

  constructor(
    private readonly storage: TableStorage,
    private readonly mapping: EntityMapping<T>,
  ) {
    if (mapping.cached) storage.partitions.register(mapping.table, mapping.rowPrefix);
    this.fromCache = storage.readsCached && mapping.cached === true;
  }

  async get(key: TableKey): Promise<Versioned<T> | undefined> {
    if (this.fromCache && !readsFresh())
      return this.storage.partitions.get(this.mapping.table, key.partitionKey, key.rowKey, (row) =>
        this.parsed(row),
      );
    const client = await this.storage.client(this.mapping.table);
    try {
      const entity = await client.getEntity(key.partitionKey, key.rowKey);
      return this.versioned(entity);
    } catch (error) {
      if (isStatus(error, 404)) return undefined;
      throw error;
    }
  }

  /**
   * Every row of this aggregate in one partition (one tenant), optionally narrowed by a key
   * prefix and (for an aggregate not cached) an OData condition on its columns.
   */
  async list(partitionKey: string, rowKeyPrefix = '', where?: string): Promise<Versioned<T>[]> {
    const prefix = `${this.mapping.rowPrefix}${rowKeyPrefix}`;
    if (where && this.mapping.cached) throw new RangeError('cached rows are listed whole');
    if (this.fromCache && !readsFresh())
      return this.storage.partitions.list(this.mapping.table, partitionKey, prefix, (row) =>
        this.parsed(row),
      );
    const client = await this.storage.client(this.mapping.table);
    const filters = [partitionFilter(partitionKey, prefix)];
    if (where) filters.push(`(${where})`);
    const rows: Versioned<T>[] = [];
    const pages = client.listEntities({ queryOptions: { filter: filters.join(' and ') } });
    // A prefix of '' would take in the cache's stamps too: they are no aggregate's rows.
    for await (const entity of pages)
      if (!isStamp(entity.rowKey ?? '')) rows.push(this.versioned(entity));
    return rows;
  }

  /**
   * A partition's rows of this aggregate in key order, read page by page as they are taken
   * (a reader that stops early reads no further), from a row key on when given. For rows
   * not cached: reporting's feed reads history this way.
   */
  async *inKeyOrder(partitionKey: string, fromRowKey?: string): AsyncGenerator<T> {
    const client = await this.storage.client(this.mapping.table);
    const filters = [partitionFilter(partitionKey, this.mapping.rowPrefix)];
    if (fromRowKey !== undefined) filters.push(`RowKey ge '${fromRowKey.replace(/'/g, "''")}'`);
    const pages = client.listEntities({ queryOptions: { filter: filters.join(' and ') } });
    for await (const entity of pages) yield this.versioned(entity).value;
  }

  /** Rows of this aggregate in every partition matching a filter (operators' sweeps, not requests). */
  async scan(filter: string): Promise<Versioned<T>[]> {
    const client = await this.storage.client(this.mapping.table);
    const rows: Versioned<T>[] = [];
    for await (const entity of client.listEntities({ queryOptions: { filter } }))
      rows.push(this.versioned(entity));
    return rows;
  }

  async insert(value: T): Promise<Versioned<T>> {
    if (this.mapping.cached) return this.committed(value, this.insertOp(value));
    const client = await this.storage.client(this.mapping.table);
    try {
      const result = await client.createEntity(this.entityOf(value));
      return { value, etag: result.etag ?? '' };
    } catch (error) {
      if (isStatus(error, 409)) throw new ConflictError('Row already exists', this.mapping.table);
      throw error;
    }
  }

  /** Writes the row whatever is there (for rows only one writer owns, like a sent card's id). */
  async upsert(value: T): Promise<Versioned<T>> {
    if (this.mapping.cached)
      return this.committed(value, {
        kind: 'upsert',
        table: this.mapping.table,
        entity: this.entityOf(value),
      });
    const client = await this.storage.client(this.mapping.table);
    const result = await client.upsertEntity(this.entityOf(value), 'Replace');
    return { value, etag: result.etag ?? '' };
  }

  async replace(value: T, etag: string): Promise<Versioned<T>> {
    if (this.mapping.cached) return this.committed(value, this.replaceOp(value, etag));
    const client = await this.storage.client(this.mapping.table);
    try {
      const result = await client.updateEntity(this.entityOf(value), 'Replace', { etag });
      return { value, etag: result.etag ?? '' };
    } catch (error) {
      if (isStatus(error, 412, 404, 409)) {
        throw new ConflictError('Row changed since it was read', this.mapping.table);
      }
      throw error;
    }
  }

  async delete(key: TableKey, etag: string): Promise<void> {
    const client = await this.storage.client(this.mapping.table);
    const remove = async () => {
      try {
        await client.deleteEntity(key.partitionKey, key.rowKey, { etag });
      } catch (error) {
        if (isStatus(error, 412, 404)) {
          throw new ConflictError('Row changed since it was read', this.mapping.table);
        }
        throw error;
      }
    };
    if (!this.mapping.cached) return remove();
    // A transaction cannot delete on a condition, so the stamp follows in a second write.
    const { partitions } = this.storage;
    await partitions.write(
      this.mapping.table,
      key.partitionKey,
      [this.deleteOp(key)],
      async (stamp) => {
        await remove();
        await client.upsertEntity(stamp, 'Merge');
        return new Map();
      },
    );
  }

  /** The same writes as {@link insert}, {@link replace} and {@link delete}, for a transaction. */
  insertOp(value: T): WriteOp {
    return { kind: 'insert', table: this.mapping.table, entity: this.entityOf(value) };
  }

  replaceOp(value: T, etag: string): WriteOp {
    return { kind: 'replace', table: this.mapping.table, entity: this.entityOf(value), etag };
  }

  deleteOp(key: TableKey): WriteOp {
    return { kind: 'delete', table: this.mapping.table, key };
  }

  keyOf(value: T): TableKey {
    return this.mapping.keyOf(value);
  }

  /** One write of a cached aggregate, as a transaction so the stamp rides along. */
  private async committed(value: T, op: WriteOp): Promise<Versioned<T>> {
    const etags = await commitTransaction(this.storage, [op]);
    return { value, etag: etags.get(this.mapping.keyOf(value).rowKey) ?? '' };
  }

  /** A cached row of this aggregate as a value (parsed once per version of the row). */
  parsed(row: CachedRow): Versioned<T> {
    if (row.by !== this) {
      row.value = this.mapping.fromEntity(entityOf(row));
      row.by = this;
      // Kept once: the parsed value rebuilds the row when it is asked for.
      row.entity = null;
    }
    return { value: row.value as T, etag: row.etag };
  }

  /** The row a value is stored as: its keys and columns. */
  entityOf(value: T) {
    return { ...this.mapping.keyOf(value), ...this.mapping.toEntity(value) };
  }

  private versioned(entity: TableEntityResult<Record<string, unknown>>): Versioned<T> {
    return { value: this.mapping.fromEntity(entity), etag: entity.etag };
  }
}
