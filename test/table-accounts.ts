// The storage accounts the contract tests run against: Azurite (the integration tier, through
// the global fixture) and the in-memory tables (the unit tier). A contract is written once
// against TestAccount and run by one test file per account.
import { MemoryTables } from '../core/store/memory-tables.js';
import {
  TableStorage,
  type TableAccount,
  type TableClientLike,
} from '../core/store/table-storage.js';
import { testConnectionString } from './azurite-fixture.js';

export { uniquePrefix } from './azurite-fixture.js';

export interface StorageOptions {
  /** Reads through the partition cache with this staleness bound (none: every read to storage). */
  readonly maxStalenessMs?: number;
  readonly idleMs?: number;
  readonly reloadEveryMs?: number;
  readonly quietCheckMs?: number;
  readonly onRequest?: (method: string, url: string) => void;
  /** Sees every call to a table's client (to hold one back). */
  readonly wrapClient?: (client: TableClientLike, table: string) => TableClientLike;
}

export interface TestAccount {
  readonly name: string;
  /** How TableStorage reaches the account. */
  account(): TableAccount;
  /** Storage of one instance; the same prefix shares tables (another instance of one app). */
  storage(prefix: string, options?: StorageOptions): TableStorage;
}

function testAccount(name: string, account: () => TableAccount): TestAccount {
  return {
    name,
    account,
    storage: (prefix, options = {}) =>
      new TableStorage({
        account: account(),
        prefix,
        ...(options.maxStalenessMs !== undefined && {
          cacheMaxStalenessMs: options.maxStalenessMs,
        }),
        ...(options.idleMs !== undefined && { cacheIdleMs: options.idleMs }),
        ...(options.reloadEveryMs !== undefined && { cacheReloadEveryMs: options.reloadEveryMs }),
        ...(options.quietCheckMs !== undefined && { cacheQuietCheckMs: options.quietCheckMs }),
        ...(options.onRequest && { onRequest: options.onRequest }),
        ...(options.wrapClient && { wrapClient: options.wrapClient }),
      }),
  };
}

/** The Azurite the integration tier's global fixture started. */
export const AZURITE = testAccount('Azurite', () => ({
  connectionString: testConnectionString(),
}));

/** One in-memory account for the whole run (prefixes keep suites apart, as on Azurite). */
const memory = new MemoryTables();
export const IN_MEMORY = testAccount('in memory', () => ({ memory }));
