import type { TransactionAction } from '@azure/data-tables';
import { ConflictError, isStatus } from './conflict-error.js';
import type { EntityProperties, TableKey } from './table-repository.js';
import type { TableStorage } from './table-storage.js';

type Entity = TableKey & EntityProperties;

/** One write of a transaction; repositories build them (`insertOp`, `replaceOp`, `deleteOp`). */
export type WriteOp =
  | { readonly kind: 'insert'; readonly table: string; readonly entity: Entity }
  | {
      readonly kind: 'replace';
      readonly table: string;
      readonly entity: Entity;
      readonly etag: string;
    }
  /** Deletes whatever version is there: in a transaction the SDK sends no ETag condition. */
  | { readonly kind: 'delete'; readonly table: string; readonly key: TableKey }
  /** Writes the row whatever is there. */
  | { readonly kind: 'upsert'; readonly table: string; readonly entity: Entity }
  /** Creates the row or sets the given columns on it, leaving the others as they are. */
  | { readonly kind: 'merge'; readonly table: string; readonly entity: Entity };

/**
 * Azure Table storage commits at most 100 operations of one partition atomically; one of
 * them is kept for the instance's stamp (see PartitionCache).
 */
export const MAX_TRANSACTION_OPS = 99;

const keyOf = (op: WriteOp): TableKey => (op.kind === 'delete' ? op.key : op.entity);

function toAction(op: WriteOp): TransactionAction {
  switch (op.kind) {
    case 'insert':
      return ['create', op.entity];
    case 'replace':
      return ['update', op.entity, 'Replace', { etag: op.etag }];
    case 'delete':
      return ['delete', { partitionKey: op.key.partitionKey, rowKey: op.key.rowKey }];
    case 'merge':
      return ['upsert', op.entity, 'Merge'];
    case 'upsert':
      return ['upsert', op.entity, 'Replace'];
  }
}

/**
 * Commits writes to one partition of one table all together or not at all (an entity
 * group transaction). A stale ETag, an existing row on insert or a missing row on
 * replace/delete fails the whole transaction as a {@link ConflictError}, to be retried.
 * Writes to rows instances cache also rewrite this instance's stamp, and the cache learns
 * them. Returns the new ETags by row key.
 */
export async function commitTransaction(
  storage: TableStorage,
  ops: readonly WriteOp[],
): Promise<ReadonlyMap<string, string>> {
  const first = ops[0];
  if (!first) return new Map();
  if (ops.length > MAX_TRANSACTION_OPS)
    throw new RangeError(`A transaction holds at most ${MAX_TRANSACTION_OPS} writes`);
  const partition = keyOf(first).partitionKey;
  if (ops.some((op) => op.table !== first.table || keyOf(op).partitionKey !== partition)) {
    throw new RangeError('A transaction writes to one partition of one table');
  }
  const cache = storage.partitions;
  if (!ops.some((op) => cache.covers(op.table, keyOf(op).rowKey)))
    return submit(storage, first.table, ops);
  return cache.write(first.table, partition, ops, (stamp) =>
    submit(storage, first.table, [...ops, { kind: 'merge', table: first.table, entity: stamp }]),
  );
}

async function submit(
  storage: TableStorage,
  table: string,
  ops: readonly WriteOp[],
): Promise<ReadonlyMap<string, string>> {
  const client = await storage.client(table);
  try {
    const response = await client.submitTransaction(ops.map(toAction));
    // The new ETag of every written row, by row key, so a caller can write it again. The
    // answers come in the order of the operations (only inserts name their row).
    return new Map(
      response.subResponses.flatMap((r, i) => {
        const op = ops[i];
        return op && op.kind !== 'delete' && r.etag ? [[op.entity.rowKey, r.etag] as const] : [];
      }),
    );
  } catch (error) {
    if (isStatus(error, 404, 409, 412)) {
      throw new ConflictError(`Transaction lost a race (${error.statusCode})`, table);
    }
    throw error;
  }
}

/** The partition a write goes to. */
export const partitionOf = (op: WriteOp): string => keyOf(op).partitionKey;

/**
 * Writes grouped by table and partition (each group one transaction's worth, in the order
 * first met), cut into transactions of at most {@link MAX_TRANSACTION_OPS}: for bulk work
 * (drains, purges) whose rows may lie in several of a tenant's routing shards.
 */
export function transactionsOf(ops: readonly WriteOp[]): WriteOp[][] {
  const groups = new Map<string, WriteOp[]>();
  for (const op of ops) {
    const key = `${op.table}\n${partitionOf(op)}`;
    const group = groups.get(key);
    if (group) group.push(op);
    else groups.set(key, [op]);
  }
  return [...groups.values()].flatMap((group) => {
    const chunks: WriteOp[][] = [];
    for (let i = 0; i < group.length; i += MAX_TRANSACTION_OPS)
      chunks.push(group.slice(i, i + MAX_TRANSACTION_OPS));
    return chunks;
  });
}
