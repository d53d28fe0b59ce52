// Starts the Microsoft 365 Agents Playground against the running app (`npm start` first).
// Its people and tenant come from .m365agentsplayground.yml, which matches the demo seed.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const cli = require.resolve('@microsoft/m365agentsplayground/cli.js');
const appPort = process.env.PORT ?? '3978';
const endpoint = process.env.BOT_ENDPOINT ?? `http://127.0.0.1:${appPort}/api/messages`;
const port = process.env.PLAYGROUND_PORT ?? '56150';

try {
  const health = await fetch(`http://127.0.0.1:${appPort}/api/v1/health`);
  if (!health.ok) throw new Error(`health answered ${health.status}`);
} catch (error) {
  console.error(
    `The app is not answering on port ${appPort} (${error.message}). Run \`npm start\` first.`,
  );
  process.exit(1);
}

console.log(`Agents Playground on http://localhost:${port} talking to ${endpoint}`);
const child = spawn(
  process.execPath,
  [
    cli,
    'start',
    '--app-endpoint',
    endpoint,
    '--channel-id',
    'msteams',
    '--port',
    port,
    '--disable-telemetry',
  ],
  { stdio: 'inherit', env: { ...process.env } },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
