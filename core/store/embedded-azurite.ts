import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** The well-known Azurite development account (public, documented, not a secret). */
const ACCOUNT = 'devstoreaccount1';
const ACCOUNT_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

interface AzuriteTableServer {
  start(): Promise<void>;
  close(): Promise<void>;
  getHttpServerAddress(): string;
}
type TableServerCtor = new (config: unknown) => AzuriteTableServer;
type TableConfigurationCtor = new (...args: unknown[]) => unknown;

export interface EmbeddedAzuriteOptions {
  /** Folder for Azurite's data, or `:memory:` to keep nothing. */
  readonly dataDir: string;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
}

export interface EmbeddedAzurite {
  readonly connectionString: string;
  readonly endpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts Azurite's table service inside this process (npm `azurite`), on loopback.
 * Azurite keeps rows in LokiJS and flushes them every few seconds and on stop, so a
 * graceful stop loses nothing; `:memory:` keeps nothing at all.
 */
export async function startEmbeddedAzurite(
  options: EmbeddedAzuriteOptions,
): Promise<EmbeddedAzurite> {
  const require = createRequire(import.meta.url);
  const TableServer = (
    require('azurite/dist/src/table/TableServer.js') as { default: TableServerCtor }
  ).default;
  const TableConfiguration = (
    require('azurite/dist/src/table/TableConfiguration.js') as { default: TableConfigurationCtor }
  ).default;
  const inMemory = options.dataDir === ':memory:';
  if (!inMemory) await mkdir(options.dataDir, { recursive: true });
  const dbPath = inMemory
    ? '__azurite_table__.json'
    : join(options.dataDir, '__azurite_db_table__.json');
  const host = options.host ?? '127.0.0.1';
  // Positional arguments of Azurite's TableConfiguration: host, port, keepAlive(s), db path,
  // debug log, access log, access log stream, debug file, loose, skip API version check,
  // cert, key, pwd, oauth, disable product-style URL, in-memory persistence.
  const config = new TableConfiguration(
    host,
    options.port ?? 0,
    5,
    dbPath,
    false,
    false,
    undefined,
    undefined,
    false,
    true,
    '',
    '',
    '',
    undefined,
    true,
    inMemory,
  );
  const server = new TableServer(config);
  await server.start();
  const endpoint = `${server.getHttpServerAddress()}/${ACCOUNT}`;
  let stopped: Promise<void> | undefined;
  return {
    endpoint,
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${ACCOUNT_KEY};TableEndpoint=${endpoint};`,
    stop: () => (stopped ??= server.close()),
  };
}
