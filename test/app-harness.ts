import { pino, type Logger } from 'pino';
import { startApp, type AppHooks, type RunningApp } from '../bot/app.js';
import { loadConfig } from '../bot/config.js';
import { TENANCY_TABLE } from '../core/store/json-column.js';
import { testConnectionString, uniquePrefix } from './azurite-fixture.js';
import { snapshotTable } from './table-snapshot.js';

export function snapshotPartition(
  prefix: string,
  tenantId: string,
): Promise<Record<string, unknown>[]> {
  return snapshotTable(prefix, TENANCY_TABLE, tenantId);
}

export interface TestApp extends RunningApp {
  readonly prefix: string;
  /** Every row of a tenant's partition, without ETags and timestamps: compare before and after. */
  snapshot(tenantId: string): Promise<Record<string, unknown>[]>;
  /** Calls the API; the body is sent as JSON unless it is already a string. */
  call(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; contentType?: string },
  ): Promise<{ status: number; body: any }>;
  token(
    request: { system: true } | { tenantId: string; userId: string; groups?: string[] },
  ): Promise<string>;
}

/** Starts the real app in this process on the shared test Azurite, with its own tables. */
export async function startTestApp(
  env: NodeJS.ProcessEnv = {},
  hooks: AppHooks = {},
  log: Logger = pino({ level: 'silent' }),
): Promise<TestApp> {
  const prefix = env.TABLE_PREFIX ?? uniquePrefix();
  const config = loadConfig({
    PORT: '0',
    TABLES_CONNECTION_STRING: testConnectionString(),
    TABLE_PREFIX: prefix,
    SEED: 'none',
    // `TEST_DEMO_ROUTING_SHARDS=4` runs the tests that seed the demo tenant on four routing shards.
    ...(process.env.TEST_DEMO_ROUTING_SHARDS && {
      DEMO_ROUTING_SHARDS: process.env.TEST_DEMO_ROUTING_SHARDS,
    }),
    ...env,
  });
  const app = await startApp(config, log, hooks);
  const call: TestApp['call'] = async (method, path, options = {}) => {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] = options.contentType ?? 'application/json';
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    }
    const response = await fetch(`${app.url}/api/v1${path}`, { method, headers, body });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  return {
    ...app,
    prefix,
    snapshot: (tenantId) => snapshotPartition(prefix, tenantId),
    call,
    token: async (request) => {
      const reply = await call('POST', '/dev/token', { body: request });
      if (reply.status !== 200) throw new Error(`dev token refused: ${JSON.stringify(reply.body)}`);
      return reply.body.token as string;
    },
  };
}
