import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';

export const ROOT = new URL('../', import.meta.url).pathname;

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export interface Spawned {
  readonly child: ChildProcess;
  /** Everything it printed so far (for assertions and for failure messages). */
  output(): string;
  /** SIGTERM to its whole process group, as Ctrl+C in a terminal would; resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts a command in its own process group, capturing what it prints. */
export function spawnProcess(command: string, args: string[], env: NodeJS.ProcessEnv): Spawned {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return {
    child,
    output: () => text,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.pid) {
        try {
          process.kill(-child.pid, signal);
        } catch {
          // already gone
        }
      }
      return exited;
    },
  };
}

/** Polls until `probe` resolves truthy, or fails with what the process printed. */
export async function waitFor(
  what: string,
  probe: () => Promise<boolean>,
  proc: Spawned,
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null)
      throw new Error(`${what}: the process exited (${proc.child.exitCode})\n${proc.output()}`);
    if (await probe().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${what}: timed out\n${proc.output()}`);
}

export async function healthy(baseUrl: string): Promise<boolean> {
  const response = await fetch(`${baseUrl}/api/v1/health`);
  return response.ok;
}

/** A real app server in its own process on shared tables (tsx, no build needed). */
export async function startServerProcess(
  env: NodeJS.ProcessEnv,
  port?: number,
): Promise<Spawned & { url: string }> {
  port ??= await freePort();
  const proc = spawnProcess(
    process.execPath,
    ['--import', 'tsx', '--disable-warning=DEP0111', 'bot/main.ts'],
    {
      PORT: String(port),
      LOG_LEVEL: 'warn',
      ...env,
    },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor('server', () => healthy(url), proc, 60_000);
  return { ...proc, url };
}

/**
 * Azurite's table service in a process of its own (it outlives the app processes a test
 * kills), in memory, on a free port; `args` adds options (https, OAuth). Resolves once it
 * listens.
 */
export async function startExternalAzurite(
  args: readonly string[] = [],
): Promise<Spawned & { port: number }> {
  const port = await freePort();
  const main = createRequire(import.meta.url).resolve('azurite/dist/src/table/main.js');
  const proc = spawnProcess(
    process.execPath,
    [
      main,
      '--tablePort',
      String(port),
      '--inMemoryPersistence',
      '--disableTelemetry',
      '--silent',
      ...args,
    ],
    {},
  );
  await waitFor(
    'Azurite',
    () => Promise.resolve(/successfully started/i.test(proc.output())),
    proc,
    30_000,
  );
  return { ...proc, port };
}
