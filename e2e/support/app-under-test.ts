import { execFileSync } from 'node:child_process';
import {
  freePort,
  healthy,
  ROOT,
  spawnProcess,
  waitFor,
  type Spawned,
} from '../../test/processes.js';

let built = false;

/** Builds server and tab once per test run (what `npm start` does first). */
export function ensureBuilt(): void {
  if (built) return;
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  built = true;
}

export interface RunningAppProcess extends Spawned {
  readonly url: string;
  readonly port: number;
}

/** Starts the built app (`node dist/bot/main.js`) on a free port (or env's PORT) with the given env. */
export async function startBuiltApp(env: NodeJS.ProcessEnv = {}): Promise<RunningAppProcess> {
  ensureBuilt();
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const proc = spawnProcess(process.execPath, ['--disable-warning=DEP0111', 'dist/bot/main.js'], {
    PORT: String(port),
    DATA_DIR: ':memory:',
    LOG_LEVEL: 'warn',
    ...env,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor('app health', () => healthy(url), proc);
  return { ...proc, url, port };
}

export async function api(
  url: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown } = {},
) {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const body =
    typeof options.body === 'string'
      ? options.body
      : options.body === undefined
        ? undefined
        : JSON.stringify(options.body);
  const response = await fetch(`${url}/api/v1${path}`, { method, headers, body });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

export async function devToken(
  url: string,
  request: { system: true } | { tenantId: string; userId: string },
): Promise<string> {
  const reply = await api(url, 'POST', '/dev/token', { body: request });
  if (reply.status !== 200) throw new Error(`dev token refused: ${JSON.stringify(reply.body)}`);
  return reply.body.token as string;
}
