import { DEMO } from '../core/app/demo-tenant.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { multistream } from 'pino';
import { APP_VERSION, startApp } from './app.js';
import { startAzureMonitor } from './telemetry/azure-monitor.js';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';

/** What a second start on a busy port says (scripts/check-port.mjs says it before the build). */
const portInUse = (port: number) =>
  `port ${port} is in use; set PORT (for example PORT=3979 npm start)`;

function configOrExit() {
  try {
    return loadConfig(process.env);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

const config = configOrExit();
const monitor = config.APPLICATIONINSIGHTS_CONNECTION_STRING
  ? startAzureMonitor(config.APPLICATIONINSIGHTS_CONNECTION_STRING, APP_VERSION)
  : undefined;
const log = createLogger(
  config.LOG_LEVEL,
  monitor ? multistream([{ stream: process.stdout }, { stream: monitor.logSink }]) : undefined,
);

function storageWords(): string {
  if (config.TABLES_ACCOUNT_URL)
    return `Azure Table storage (managed identity, ${config.TABLES_ACCOUNT_URL})`;
  if (config.TABLES_CONNECTION_STRING) return 'Azure Table storage (connection string)';
  return `embedded Azurite (${config.DATA_DIR})`;
}

function printWelcome(url: string): void {
  const lines = [
    '',
    `  Service routing is running at ${url}`,
    `  Storage: ${storageWords()}`,
    `  Open the tab:        ${url}/tab/`,
    `  API description:     ${url}/api/v1/openapi.json`,
    '  Teams locally:       npm run playground   (Microsoft 365 Agents Playground)',
  ];
  if (config.SEED === 'demo')
    lines.push(`  Demo tenant:         ${DEMO.tenant.name} (${DEMO.tenant.id})`);
  if (config.devMode)
    lines.push(`  Dev tokens:          POST ${url}/api/v1/dev/token {"tenantId","userId"}`);
  lines.push('  Stop with Ctrl+C.', '');
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  const app = await startApp(config, log, monitor ? { telemetry: monitor.telemetry } : {});
  log.info(
    { url: app.url, storage: app.storage, devMode: config.devMode, clock: config.CLOCK },
    'ready',
  );
  printWelcome(app.url);
  let stopping = false;
  // npm forwards the signal it got to us as well, so one Ctrl+C can arrive twice: repeats
  // are ignored, and a deadline keeps a stuck connection from holding the process forever.
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: finishing in-flight requests');
    setTimeout(() => {
      log.error('shutdown took longer than 2 s: exiting');
      process.exit(1);
    }, 2_000).unref();
    app
      .stop()
      .then(async () => {
        // What telemetry still buffers gets a moment, within the stop's 2 s.
        const flushed = monitor?.stop().catch((err: unknown) => {
          log.warn({ err }, 'telemetry not flushed');
        });
        if (flushed) await Promise.race([flushed, sleep(500)]);
      })
      .then(
        () => {
          log.info('stopped');
          process.exit(0);
        },
        (error: unknown) => {
          log.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  if ((error as { code?: unknown }).code === 'EADDRINUSE') {
    process.stderr.write(`${portInUse(config.PORT)}\n`);
    log.fatal({ port: config.PORT }, 'port in use');
  } else log.fatal({ err: error }, 'could not start');
  process.exitCode = 1;
});
