import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** The well-known Azurite development account (public, documented, not a secret). */
const ACCOUNT = 'devstoreaccount1';
const ACCOUNT_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** The connection string of Azurite's development account at a table endpoint's origin. */
export const azuriteConnectionString = (origin: string): string =>
  `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${ACCOUNT_KEY};TableEndpoint=${origin}/${ACCOUNT};`;

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

type WorkerMessage =
  { kind: 'started'; address: string } | { kind: 'stopped' } | { kind: 'failed'; message: string };

/**
 * Runs in the worker. Azurite gets a JavaScript world of its own there: restify (via
 * http-deceiver) patches Node's HTTP parser in the process that loads it, and Azurite's
 * OData filters then silently match every row. It also gives Azurite the second core.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const TableServer = require(workerData.serverPath).default;
const TableConfiguration = require(workerData.configPath).default;
(async () => {
  const server = new TableServer(new TableConfiguration(...workerData.args));
  await server.start();
  parentPort.on('message', (message) => {
    if (message !== 'stop') return;
    server.close().then(
      () => parentPort.postMessage({ kind: 'stopped' }),
      (error) => parentPort.postMessage({ kind: 'failed', message: String(error && error.stack || error) }),
    );
  });
  parentPort.postMessage({ kind: 'started', address: server.getHttpServerAddress() });
})().catch((error) => parentPort.postMessage({ kind: 'failed', message: String(error && error.stack || error) }));
`;

function nextMessage(worker: Worker): Promise<WorkerMessage> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    worker.once('error', onError);
    worker.once('message', (message: WorkerMessage) => {
      worker.off('error', onError);
      resolve(message);
    });
  });
}

/** Azurite is an optional dependency: a deployment to Azure leaves it out. */
function resolveAzurite(require: NodeJS.Require, file: string): string {
  try {
    return require.resolve(`azurite/dist/src/table/${file}`);
  } catch {
    throw new Error(
      'Embedded Azurite is not installed (it is an optional dependency). Set TABLES_ACCOUNT_URL ' +
        'or TABLES_CONNECTION_STRING, or install the optional dependencies (npm install).',
    );
  }
}

/**
 * Starts Azurite's table service (npm `azurite`) inside the app, in a worker thread, on
 * loopback. Azurite keeps rows in LokiJS and flushes them every few seconds and on stop,
 * so a graceful stop loses nothing; `:memory:` keeps nothing at all.
 */
export async function startEmbeddedAzurite(
  options: EmbeddedAzuriteOptions,
): Promise<EmbeddedAzurite> {
  const require = createRequire(import.meta.url);
  const inMemory = options.dataDir === ':memory:';
  if (!inMemory) await mkdir(options.dataDir, { recursive: true });
  const dbPath = inMemory
    ? '__azurite_table__.json'
    : join(options.dataDir, '__azurite_db_table__.json');
  // Positional arguments of Azurite's TableConfiguration: host, port, keep-alive (s), db path,
  // debug log, access log, access log stream, debug file, loose, skip API version check,
  // cert, key, pwd, oauth, disable product-style URL, in-memory persistence.
  const args = [
    options.host ?? '127.0.0.1',
    options.port ?? 0,
    5,
    dbPath,
    false,
    false,
    null,
    null,
    false,
    true,
    '',
    '',
    '',
    null,
    true,
    inMemory,
  ];
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      serverPath: resolveAzurite(require, 'TableServer.js'),
      configPath: resolveAzurite(require, 'TableConfiguration.js'),
      args,
    },
  });
  const started = await nextMessage(worker);
  if (started.kind !== 'started') {
    await worker.terminate();
    throw new Error(
      `Azurite did not start: ${started.kind === 'failed' ? started.message : started.kind}`,
    );
  }
  const endpoint = `${started.address}/${ACCOUNT}`;
  const connectionString = azuriteConnectionString(started.address);
  let stopped: Promise<void> | undefined;
  const stop = async () => {
    worker.postMessage('stop');
    const reply = await nextMessage(worker);
    await worker.terminate();
    if (reply.kind === 'failed') throw new Error(`Azurite did not stop cleanly: ${reply.message}`);
  };
  return {
    endpoint,
    connectionString,
    stop: () => (stopped ??= stop()),
  };
}
