// Mocha global fixture for integration tests: one in-memory Azurite (the npm package, in
// this process) for the whole run. Suites isolate themselves with a table prefix.
import { randomBytes } from 'node:crypto';
import { startEmbeddedAzurite, type EmbeddedAzurite } from '../core/store/embedded-azurite.js';
import { TableStorage } from '../core/store/table-storage.js';

let azurite: EmbeddedAzurite | undefined;

export async function mochaGlobalSetup(): Promise<void> {
  azurite = await startEmbeddedAzurite({ dataDir: ':memory:' });
  process.env.TEST_TABLES_CONNECTION_STRING = azurite.connectionString;
}

export async function mochaGlobalTeardown(): Promise<void> {
  await azurite?.stop();
}

export function testConnectionString(): string {
  const value = process.env.TEST_TABLES_CONNECTION_STRING;
  if (!value) throw new Error('The Azurite fixture did not start (run through npm run test:int)');
  return value;
}

/** A unique table prefix, so every suite sees empty tables. */
export function uniquePrefix(): string {
  return `t${randomBytes(5).toString('hex')}`;
}

export function testStorage(prefix = uniquePrefix()): TableStorage {
  return new TableStorage({ account: { connectionString: testConnectionString() }, prefix });
}

/** Storage that reads cached rows from memory, as the app's does. */
export function cachedTestStorage(
  prefix = uniquePrefix(),
  options: {
    maxStalenessMs?: number;
    idleMs?: number;
    reloadEveryMs?: number;
    onRequest?: (method: string, url: string) => void;
  } = {},
): TableStorage {
  return new TableStorage({
    account: { connectionString: testConnectionString() },
    prefix,
    cacheMaxStalenessMs: options.maxStalenessMs ?? 60_000,
    ...(options.idleMs !== undefined && { cacheIdleMs: options.idleMs }),
    ...(options.reloadEveryMs !== undefined && { cacheReloadEveryMs: options.reloadEveryMs }),
    ...(options.onRequest && { onRequest: options.onRequest }),
  });
}
