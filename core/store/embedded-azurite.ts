import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { AzuriteWorkerData, AzuriteWorkerMessage } from './azurite-worker.js';

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
  /**
   * Journal every change so a crash loses nothing acknowledged (the default, for data on
   * disk). Off only to measure what it costs.
   */
  readonly journal?: boolean;
}

export interface EmbeddedAzurite {
  readonly connectionString: string;
  readonly endpoint: string;
  /** Changes replayed from the journal a crash left. */
  readonly replayed: number;
  stop(): Promise<void>;
}

function nextMessage(worker: Worker): Promise<AzuriteWorkerMessage> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    worker.once('error', onError);
    worker.once('message', (message: AzuriteWorkerMessage) => {
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
 * Starts the worker's module: compiled JavaScript in a build; TypeScript under tsx (tests,
 * bench), whose loader a worker does not inherit, so it registers it first.
 */
function startWorker(workerData: AzuriteWorkerData): Worker {
  const extension = extname(fileURLToPath(import.meta.url));
  const url = new URL(`./azurite-worker${extension}`, import.meta.url);
  if (extension === '.js') return new Worker(url, { workerData });
  // An eval'd worker resolves packages from the working directory, as tsx's own CLI does.
  const bootstrap = `const { workerData } = require('node:worker_threads');
import(workerData.tsx).then(({ register }) => { register(); return import(workerData.url); });`;
  return new Worker(bootstrap, {
    eval: true,
    workerData: { ...workerData, tsx: 'tsx/esm/api', url: url.href },
  });
}

/**
 * Starts Azurite's table service (npm `azurite`) inside the app, in a worker thread, on
 * loopback. Azurite keeps rows in LokiJS and writes them to disk every few seconds and on
 * stop; the journal (`azurite-journal.ts`) keeps each change in between, so a crash loses
 * nothing Azurite acknowledged. `:memory:` keeps nothing at all.
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
  const serverPath = resolveAzurite(require, 'TableServer.js');
  const workerData: AzuriteWorkerData = {
    serverPath,
    configPath: resolveAzurite(require, 'TableConfiguration.js'),
    lokiPath: createRequire(serverPath).resolve('lokijs'),
    args,
    dbPath: inMemory ? undefined : dbPath,
    journal: options.journal ?? true,
  };
  const worker = startWorker(workerData);
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
    replayed: started.replayed,
    stop: () => (stopped ??= stop()),
  };
}
