import { wordRefusalsForPeople } from '../core/domain/field-words.js';
import { createRemoteJWKSet } from 'jose';
import type { Logger } from 'pino';
import { setMaxListeners } from 'node:events';
import {
  graphIntegration,
  GRAPH_LIFECYCLE_PATH,
  GRAPH_NOTIFICATIONS_PATH,
} from './graph/graph-feed.js';
import { presenceRoutes } from './api/presence-routes.js';
import type { Server as HttpServer } from 'node:http';
import type { Server } from 'restify';
import { ManualClock, systemClock, type Clock } from '../core/app/clock.js';
import { DEMO } from '../core/app/demo-tenant.js';
import { seedDemo } from '../core/app/seed-demo.js';
import { instantOf } from '../core/domain/instant.js';
import { DefaultAzureCredential } from '@azure/identity';
import { startEmbeddedAzurite, type EmbeddedAzurite } from '../core/store/embedded-azurite.js';
import { createStores, type Stores } from '../core/store/stores.js';
import {
  TableStorage,
  type TableAccount,
  type TableStorageOptions,
} from '../core/store/table-storage.js';
import { devClockRoute, devPeopleRoute, devTokenRoute } from './api/dev-routes.js';
import { systemRoutes } from './api/system-routes.js';
import { tenantRoutes } from './api/tenant-routes.js';
import { directoryRoutes } from './api/directory-routes.js';
import { licenseRoutes } from './api/license-routes.js';
import { serviceRoutes } from './api/service-routes.js';
import { reportingRoutes } from './api/reporting-routes.js';
import { routingRoutes } from './api/routing-routes.js';
import { liveRoutes } from './api/live-routes.js';
import { TenantChanges } from './live/tenant-changes.js';
import { Dispatcher } from '../core/app/routing/dispatcher.js';
import { TallyFolder } from '../core/app/reporting/tally-folder.js';
import { TimerService } from '../core/app/routing/timer-service.js';
import type { AppDeps } from '../core/app/app-deps.js';
import { randomUUID } from 'node:crypto';
import {
  createDevTokenIssuer,
  DEV_AUDIENCE,
  DEV_OPERATOR_TENANT,
} from './auth/dev-token-issuer.js';
import { createTokenVerifier, type TokenVerifier } from './auth/token-verifier.js';
import type { AppConfig } from './config.js';
import type { Route } from './http/route.js';
import { createHttpServer } from './http/server.js';
import { odataRoutes } from './api/odata-routes.js';
import { callbackRoutes } from './api/callback-routes.js';
import { interactRoutes } from './api/interact-routes.js';
import { customerTokens, interactChatRoutes } from './api/interact-chat-routes.js';
import { sweepChats } from '../core/app/interact/interact-chat.js';
import { fetchCallbackChannel } from './http/callback-channel.js';
import { CallbackOutbox } from '../core/app/routing/callback-outbox.js';
import { verifyReportingKey } from '../core/app/reporting/reporting-keys.js';
import { createRequestLimiter } from './http/request-limiter.js';
import { metrics } from '@opentelemetry/api';
import { createTelemetry, type Telemetry } from './telemetry/telemetry.js';
import { botEndpoint, createBotAdapter } from './teams/bot-adapter.js';
import { teamsCardOutbox } from './teams/card-sender.js';
import { cloudAdapterChannel } from './teams/teams-channel.js';
import { ServiceRoutingBot } from './teams/service-routing-bot.js';

export const APP_VERSION = '0.1.0';

/** How long a stop lets requests in flight finish before it closes their connections. */
const REQUEST_GRACE_MS = 1000;

/** Stops accepting; requests still open after the grace time are cut off. */
async function closeServer(server: Server, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => {
    server.close(() => resolve());
  });
  const http = server.server as HttpServer;
  const grace = setTimeout(() => {
    http.closeAllConnections();
  }, graceMs);
  await closed;
  clearTimeout(grace);
}

export interface RunningApp {
  readonly url: string;
  readonly storage: 'azurite' | 'azure';
  /** Stops accepting, lets in-flight requests finish, then stops embedded Azurite. */
  stop(): Promise<void>;
}

interface OpenedStorage {
  readonly kind: 'azurite' | 'azure';
  readonly account: TableAccount;
  readonly azurite: EmbeddedAzurite | undefined;
}

async function openStorage(config: AppConfig): Promise<OpenedStorage> {
  if (config.TABLES_ACCOUNT_URL) {
    // Azure: the app's managed identity (or a developer's sign-in), never a key.
    const credential = new DefaultAzureCredential(
      config.AZURE_CLIENT_ID ? { managedIdentityClientId: config.AZURE_CLIENT_ID } : {},
    );
    return {
      kind: 'azure',
      account: { url: config.TABLES_ACCOUNT_URL, credential },
      azurite: undefined,
    };
  }
  if (config.TABLES_CONNECTION_STRING) {
    // An external Azurite (the emulator's well-known account) is still Azurite, not Azure.
    const emulator = /AccountName=devstoreaccount1;/.test(config.TABLES_CONNECTION_STRING);
    return {
      kind: emulator ? 'azurite' : 'azure',
      account: { connectionString: config.TABLES_CONNECTION_STRING },
      azurite: undefined,
    };
  }
  const azurite = await startEmbeddedAzurite({ dataDir: config.DATA_DIR });
  return { kind: 'azurite', account: { connectionString: azurite.connectionString }, azurite };
}

async function authFor(config: AppConfig, clock: Clock, stores: Stores) {
  const routes: Route[] = [];
  let verify: TokenVerifier;
  if (config.devMode) {
    const issuer = await createDevTokenIssuer();
    verify = createTokenVerifier({
      keys: issuer.keys,
      audiences: [DEV_AUDIENCE],
      operatorTenantId: DEV_OPERATOR_TENANT,
    });
    routes.push(devTokenRoute(issuer), devPeopleRoute(stores));
    if (clock instanceof ManualClock) routes.push(devClockRoute(clock));
  } else {
    // loadConfig refuses to start outside dev mode without an Entra app.
    const clientId = config.AAD_APP_CLIENT_ID ?? '';
    const authority = config.ENTRA_AUTHORITY_HOST.replace(/\/+$/, '');
    verify = createTokenVerifier({
      keys: createRemoteJWKSet(new URL(`${authority}/common/discovery/v2.0/keys`)),
      audiences: [clientId, config.AAD_APP_ID_URI ?? `api://${clientId}`],
      operatorTenantId: config.SYSTEM_TENANT_ID ?? '',
      authorityHost: authority,
    });
  }
  return { verify, routes };
}

/** The composition root: wires storage, clock, auth, API, bot and tab, then listens. */
export interface AppHooks {
  /** Every request the app makes to table storage (the bench counts them). */
  readonly onStorageRequest?: (method: string, url: string) => void;
  /** Sees every call to a table's client (the bench records the calls, to replay them bare). */
  readonly wrapStorageClient?: TableStorageOptions['wrapClient'];
  /** Where the app's measurements go (Application Insights when configured; none by default). */
  readonly telemetry?: Telemetry;
}

export async function startApp(
  config: AppConfig,
  log: Logger,
  hooks: AppHooks = {},
): Promise<RunningApp> {
  // Whatever a schema does not word itself reaches people in words, not zod's.
  wordRefusalsForPeople();
  const storage = await openStorage(config);
  try {
    const stores = createStores(
      new TableStorage({
        account: storage.account,
        prefix: config.TABLE_PREFIX,
        cacheMaxStalenessMs: config.CACHE_MAX_STALENESS_MS,
        ...(hooks.onStorageRequest && { onRequest: hooks.onStorageRequest }),
        ...(hooks.wrapStorageClient && { wrapClient: hooks.wrapStorageClient }),
      }),
    );
    const clock: Clock =
      config.CLOCK === 'manual' ? new ManualClock(instantOf(Date.now())) : systemClock;
    if (config.SEED === 'demo') {
      const report = await seedDemo(stores, clock.now(), config.DEMO_ROUTING_SHARDS);
      log.info({ tenantId: DEMO.tenant.id, ...report }, 'demo tenant ready');
    }
    const auth = await authFor(config, clock, stores);
    const appDeps: AppDeps = {
      stores,
      clock,
      newId: randomUUID,
      // The dispatcher (below) distributes after every committed change.
      distribution: {
        run: (tenantId) => dispatcher.run(tenantId),
        changed: (tenantId) => dispatcher.changed(tenantId),
      },
      // With Graph (below): newcomers' presence is read at once, and the app is installed for
      // those the bot cannot write to yet (in the background: joining never waits for it).
      newcomers: {
        joined: async (tenantId, userIds) => {
          void graph?.reach?.reach(tenantId, userIds);
          await graph?.presence.joined(tenantId, userIds);
        },
      },
    };
    const adapter = createBotAdapter(
      {
        appId: config.BOT_ID,
        password: config.BOT_PASSWORD,
        type: config.BOT_TYPE,
        tenantId: config.BOT_TENANT_ID,
        openIdMetadataUrl: config.BOT_OPENID_METADATA_URL,
      },
      log,
    );
    const changes = new TenantChanges();
    if (clock instanceof ManualClock) clock.onAdvance(() => changes.clockMoved());
    const shutdown = new AbortController();
    // Every open live view (an event stream) listens for the stop and leaves when it closes:
    // hundreds at once are normal, not a leak.
    setMaxListeners(0, shutdown.signal);
    const telemetry = hooks.telemetry ?? createTelemetry(metrics.getMeter('service-routing'));
    const graph = graphIntegration(config, appDeps, log);
    const presence = graph?.presence ?? null;
    const cards = teamsCardOutbox({
      deps: appDeps,
      channel: cloudAdapterChannel(adapter, config.BOT_ID ?? ''),
      log,
      onSend: (outcome, status) => telemetry.cardSend(outcome, status),
      ...(graph?.reach && { reach: graph.reach }),
    });
    // Task outcomes go to the callback addresses their callers gave, from an outbox.
    const callbacks = new CallbackOutbox({
      deps: appDeps,
      channel: fetchCallbackChannel({ allowPrivate: config.devMode }),
      log,
    });
    // Reporting counts each step soon after it happens (a dashboard adds the rest itself).
    const tallies = new TallyFolder(stores, (err, tenantId) =>
      log.warn({ err, tenantId }, 'reporting tallies not folded yet'),
    );
    const dispatcher = new Dispatcher({
      stores,
      clock,
      fullLookEveryMs: config.SWEEP_FULL_LOOK_MS,
      onError: (err, tenantId) => log.error({ err, tenantId }, 'distribution failed'),
      onRun: (run) => telemetry.distribution(run),
      onChanged: (tenantId) => {
        void cards.kick(tenantId);
        void tallies.kick(tenantId);
        changes.publish(tenantId);
      },
    });
    const timers = new TimerService({
      stores,
      clock,
      dispatcher,
      onError: (err) => log.error({ err }, 'timer sweep failed'),
      onIndexed: (tenants) => log.info({ tenants }, 'tenants missing from the tenant index added'),
      afterSweep: async (tenantIds, now) => {
        await cards.drainAll(tenantIds);
        await callbacks.drainAll(tenantIds);
        await presence?.sweep(tenantIds, now);
      },
    });
    const routes: Route[] = [];
    routes.push(
      ...systemRoutes({
        storageKind: storage.kind,
        version: APP_VERSION,
        devMode: config.devMode,
        clock: config.CLOCK,
        routes: () => routes,
      }),
      ...auth.routes,
      ...tenantRoutes(appDeps, graph?.groups ?? null),
      ...directoryRoutes(appDeps),
      ...licenseRoutes(appDeps),
      ...serviceRoutes(appDeps),
      ...routingRoutes(appDeps, { devMode: config.devMode }),
      ...reportingRoutes(appDeps),
      ...odataRoutes(appDeps, config.REPORTING_PAGE_SIZE),
      ...callbackRoutes(appDeps),
      ...interactRoutes(appDeps),
      ...interactChatRoutes(appDeps, customerTokens(auth.verify)),
      ...presenceRoutes(appDeps, presence),
      ...liveRoutes(appDeps, {
        changes,
        pollMs: 5_000,
        onError: (err) => log.error({ err }, 'live view failed'),
      }),
    );
    const bot = botEndpoint(
      adapter,
      new ServiceRoutingBot({
        app: appDeps,
        chatKnown: (tenantId, userId) => cards.chatKnown(tenantId, userId),
        teamProvisioned: (tenantId, teamId) =>
          presence?.teamProvisioned(tenantId, teamId) ?? Promise.resolve(),
      }),
      {
        hosts: config.BOT_SERVICE_URL_HOSTS,
        allowLoopbackHttp: config.devMode,
        authenticated: config.BOT_ID !== undefined,
      },
      log,
    );
    const server = createHttpServer({
      routes,
      verify: auth.verify,
      verifyReportingKey: (key) => verifyReportingKey(appDeps, key),
      bearerChallenge: `Bearer authorization_uri="${config.ENTRA_AUTHORITY_HOST.replace(/\/+$/, '')}/common/oauth2/authorize"`,
      publicBaseUrl: config.PUBLIC_BASE_URL,
      log,
      bot,
      tabDir: config.TAB_DIR,
      shutdown: shutdown.signal,
      devMode: config.devMode,
      graph: presence
        ? {
            notificationsPath: GRAPH_NOTIFICATIONS_PATH,
            lifecyclePath: GRAPH_LIFECYCLE_PATH,
            notified: (items) => presence.notified(items),
            lifecycle: (items) => presence.lifecycle(items),
          }
        : undefined,
      onRequest: (method, route, status, ms) => telemetry.request(method, route, status, ms),
      limiter: createRequestLimiter({
        tenantPerMinute: config.RATE_LIMIT_TENANT_PER_MIN,
        userPerMinute: config.RATE_LIMIT_USER_PER_MIN,
      }),
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.PORT, config.HOST, () => {
        server.off('error', reject);
        resolve();
      });
    });
    timers.start();
    // Website chats whose customer went away past the recovery timeout close (one read a sweep).
    const chatSweep = setInterval(() => {
      sweepChats(appDeps).catch((err: unknown) => log.warn({ err }, 'website chat sweep failed'));
    }, 2_000);
    chatSweep.unref();
    shutdown.signal.addEventListener('abort', () => clearInterval(chatSweep));
    const address = server.address();
    const url = `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${address.port}`;
    return {
      url,
      storage: storage.kind,
      stop: async () => {
        // Nothing waits for Teams: cards in flight stay due in the outbox.
        shutdown.abort();
        await cards.stop();
        await callbacks.stop();
        tallies.stop();
        await closeServer(server, REQUEST_GRACE_MS);
        await timers.stop();
        await presence?.stop().catch((err: unknown) => log.warn({ err }, 'presence leases kept'));
        await storage.azurite?.stop();
      },
    };
  } catch (error) {
    await storage.azurite?.stop();
    throw error;
  }
}
