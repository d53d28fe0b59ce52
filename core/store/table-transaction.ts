import { RestError, type TransactionAction } from '@azure/data-tables';
import { ConflictError } from './conflict-error.js';
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
  | { readonly kind: 'delete'; readonly table: string; readonly key: TableKey }
  /** Creates the row or sets the given columns on it, leaving the others as they are. */
  | { readonly kind: 'merge'; readonly table: string; readonly entity: Entity };

/** Azure Table storage commits at most 100 operations of one partition atomically. */
export const MAX_TRANSACTION_OPS = 100;

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
  }
}

/**
 * Commits writes to one partition of one table all together or not at all (an entity
 * group transaction). A stale ETag, an existing row on insert or a missing row on
 * replace/delete fails the whole transaction as a {@link ConflictError}, to be retried.
 * Returns the new ETags by row key.
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
  const client = await storage.client(first.table);
  try {
    const response = await client.submitTransaction(ops.map(toAction));
    // The new ETag of every written row, by row key, so a caller can write it again.
    return new Map(
      response.subResponses.flatMap((r) =>
        r.rowKey && r.etag ? [[r.rowKey, r.etag] as const] : [],
      ),
    );
  } catch (error) {
    if (error instanceof RestError && [404, 409, 412].includes(error.statusCode ?? 0)) {
      throw new ConflictError(`Transaction lost a race (${error.statusCode})`, first.table);
    }
    throw error;
  }
}
