import { DEMO } from '../core/app/demo-tenant.js';
import { api, devToken } from '../e2e/support/app-under-test.js';
import { testConnectionString, uniquePrefix } from './azurite-fixture.js';
import { freePort, startServerProcess, type Spawned } from './processes.js';

export type GraphApp = Spawned & { url: string };

/**
 * App processes for the Graph integration tests: on the suite's Azurite with the demo tenant
 * (unless told otherwise), CLOCK=manual, each on its own port, all stopped together.
 */
export function graphApps() {
  const apps: GraphApp[] = [];
  return {
    /** Starts one with these settings; `env` may name its PORT and its own TABLE_PREFIX. */
    async start(env: (port: number) => NodeJS.ProcessEnv): Promise<GraphApp> {
      const port = await freePort();
      const app = await startServerProcess(
        {
          TABLES_CONNECTION_STRING: testConnectionString(),
          TABLE_PREFIX: uniquePrefix(),
          SEED: 'demo',
          CLOCK: 'manual',
          ...env(port),
        },
        port,
      );
      apps.push(app);
      return app;
    },
    async stopAll() {
      for (const app of apps.splice(0)) await app.stop();
    },
    /** A dev token of a demo person. */
    as: (app: GraphApp, userId: string) => devToken(app.url, { tenantId: DEMO.tenant.id, userId }),
    /** Moves the app's manual clock on. */
    advance: (app: GraphApp, seconds: number) =>
      api(app.url, 'POST', '/dev/clock', { body: { advanceMs: seconds * 1000 } }),
  };
}
