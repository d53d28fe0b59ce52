import type { Stores } from '../store/stores.js';
import { MAX_TRANSACTION_OPS, type WriteOp } from '../store/table-transaction.js';

/**
 * Commits writes that need not stand or fall together (each is repeatable on its own) in
 * transactions of at most 100: for syncs such as a team roster, not for rules that must hold.
 */
export async function commitInChunks(stores: Stores, ops: readonly WriteOp[]): Promise<void> {
  for (let i = 0; i < ops.length; i += MAX_TRANSACTION_OPS)
    await stores.commit(ops.slice(i, i + MAX_TRANSACTION_OPS));
}
