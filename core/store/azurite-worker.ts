import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import {
  AzuriteJournal,
  replayJournal,
  type BatchingStore,
  type LokiDb,
} from './azurite-journal.js';

/**
 * The worker thread the embedded Azurite runs in. Azurite gets a JavaScript world of its
 * own here: restify (via http-deceiver) patches Node's HTTP parser in the process that
 * loads it, and Azurite's OData filters then silently match every row. It also gives
 * Azurite the second core.
 */
export interface AzuriteWorkerData {
  readonly serverPath: string;
  readonly configPath: string;
  readonly lokiPath: string;
  readonly args: readonly unknown[];
  /** The database file, when Azurite keeps its data on disk. */
  readonly dbPath: string | undefined;
  /** Off only to measure what the journal costs (`npm run bench`). */
  readonly journal: boolean;
}

export type AzuriteWorkerMessage =
  | { kind: 'started'; address: string; replayed: number }
  | { kind: 'stopped' }
  | { kind: 'failed'; message: string };

interface TableServer {
  start(): Promise<void>;
  close(): Promise<void>;
  getHttpServerAddress(): string;
  metadataStore: BatchingStore & { db: LokiDb };
}

type LokiConstructor = new (path: string, options: object) => LokiDb;

const port = parentPort;
const data = workerData as AzuriteWorkerData;
const say = (message: AzuriteWorkerMessage) => port?.postMessage(message);
const describe = (error: unknown) => String((error as Error)?.stack ?? error);

async function run(): Promise<void> {
  const require = createRequire(import.meta.url);
  const TableServer = (
    require(data.serverPath) as { default: new (config: unknown) => TableServer }
  ).default;
  const TableConfiguration = (
    require(data.configPath) as { default: new (...args: unknown[]) => unknown }
  ).default;
  const Loki = require(data.lokiPath) as LokiConstructor;
  let replayed = 0;
  let journal: AzuriteJournal | undefined;
  if (data.dbPath !== undefined && data.journal) {
    const dbPath = data.dbPath;
    replayed = (await replayJournal(dbPath, (path) => new Loki(path, { persistenceMethod: 'fs' })))
      .changes;
    journal = new AzuriteJournal(dbPath);
  }
  const server = new TableServer(new TableConfiguration(...data.args));
  await server.start();
  journal?.attach(server.metadataStore.db, server.metadataStore);
  port?.on('message', (message) => {
    if (message !== 'stop') return;
    server.close().then(
      () => {
        journal?.close();
        say({ kind: 'stopped' });
      },
      (error: unknown) => say({ kind: 'failed', message: describe(error) }),
    );
  });
  say({ kind: 'started', address: server.getHttpServerAddress(), replayed });
}

run().catch((error: unknown) => say({ kind: 'failed', message: describe(error) }));
