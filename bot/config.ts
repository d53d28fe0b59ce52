import { MAX_ROUTING_SHARDS } from '../core/domain/routing/task-id.js';
import { z } from 'zod';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** Where Teams and Bot Framework post from: the hosts a `serviceUrl` may name (https only). */
export const DEFAULT_SERVICE_URL_HOSTS = [
  'smba.trafficmanager.net',
  '*.botframework.com',
  '*.teams.microsoft.com',
  '*.teams.microsoft.us',
] as const;

const hostList = z
  .string()
  .transform((raw) =>
    raw
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
  )
  .pipe(
    z
      .array(z.string().regex(/^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'host names, or *.domain'))
      .min(1),
  );

/** An endpoint: https, or plain http on this machine only (where tests stand in for Microsoft). */
const endpointUrl = z
  .url({ protocol: /^https?$/ })
  .refine(
    (url) =>
      url.startsWith('https:') || LOOPBACK.has(new URL(url).hostname.replace(/^\[|\]$/g, '')),
    'https, or http on a loopback address only',
  );

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  HOST: z.string().min(1).default('127.0.0.1'),
  TABLES_CONNECTION_STRING: z.string().min(1).optional(),
  /** Table service endpoint, reached with a managed identity (no key in the settings). */
  TABLES_ACCOUNT_URL: z.url({ protocol: /^https$/ }).optional(),
  /** Which user-assigned managed identity signs in to storage (its client id). */
  AZURE_CLIENT_ID: z.string().min(1).optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  TABLE_PREFIX: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9]{0,30}$/, 'letters and digits, starting with a letter')
    .optional(),
  SEED: z.enum(['demo', 'none']).default('demo'),
  /** The demo tenant's routing shards when it is first made (see serviceShard). */
  DEMO_ROUTING_SHARDS: z.coerce.number().int().min(1).max(MAX_ROUTING_SHARDS).default(1),
  CLOCK: z.enum(['system', 'manual']).default('system'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Entra ID app registration of the tab/API (SSO). Its presence turns dev mode off. */
  AAD_APP_CLIENT_ID: z.string().min(1).optional(),
  AAD_APP_ID_URI: z.string().min(1).optional(),
  /** Entra ID's sign-in host: its key set and the issuer of the tokens it signs. */
  ENTRA_AUTHORITY_HOST: endpointUrl.default('https://login.microsoftonline.com'),
  /** The system operator's Entra tenant: its app-only tokens with role System.Operator act as system. */
  SYSTEM_TENANT_ID: z.string().min(1).optional(),
  /** Bot registration; when set, botbuilder authenticates every bot request. */
  BOT_ID: z.string().min(1).optional(),
  BOT_PASSWORD: z.string().min(1).optional(),
  BOT_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('SingleTenant'),
  BOT_TENANT_ID: z.string().min(1).optional(),
  /** Bot Framework's OpenID metadata, whose keys sign what channels post to the bot. */
  BOT_OPENID_METADATA_URL: endpointUrl.default(
    'https://login.botframework.com/v1/.well-known/openidconfiguration',
  ),
  /** Hosts an activity's `serviceUrl` may name (https); `*.domain` takes its subdomains. */
  BOT_SERVICE_URL_HOSTS: hostList.default([...DEFAULT_SERVICE_URL_HOSTS]),
  TAB_DIR: z.string().min(1).default('dist/tab'),
  /**
   * How old this instance's view of a tenant's rows may get before a read checks whether
   * another instance wrote (ms). 0 checks on every read.
   */
  CACHE_MAX_STALENESS_MS: z.coerce.number().int().min(0).max(60_000).default(500),
  SWEEP_FULL_LOOK_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  /** Requests per minute on /api/v1, per tenant and per signed-in user. */
  RATE_LIMIT_TENANT_PER_MIN: z.coerce.number().int().min(1).max(10_000_000).default(6000),
  RATE_LIMIT_USER_PER_MIN: z.coerce.number().int().min(1).max(10_000_000).default(600),
  /**
   * Microsoft Graph, for Teams presence and team rosters: the app registration that signs
   * in to each tenant (client credentials; in production the same Entra app as the tab's
   * SSO), with exactly one of its credentials: a secret, a certificate (a PEM file with the
   * private key), or no secret at all, a managed identity the app trusts (a federated
   * identity credential; its client id).
   */
  GRAPH_CLIENT_ID: z.string().min(1).optional(),
  GRAPH_CLIENT_SECRET: z.string().min(1).optional(),
  GRAPH_CLIENT_CERTIFICATE_PATH: z.string().min(1).optional(),
  GRAPH_MANAGED_IDENTITY_CLIENT_ID: z.string().min(1).optional(),
  GRAPH_BASE_URL: endpointUrl.default('https://graph.microsoft.com/v1.0'),
  /** Where Microsoft Graph reaches this app (`{PUBLIC_BASE_URL}/api/graph/notifications`). */
  PUBLIC_BASE_URL: endpointUrl.optional(),
  /** Rows per page of the reporting feed (OData's server-driven paging). */
  REPORTING_PAGE_SIZE: z.coerce.number().int().min(1).max(5000).default(1000),
  /** How often everyone's presence is read whole, notifications or not (seconds). */
  PRESENCE_POLL_SEC: z.coerce.number().int().min(5).max(3600).default(60),
  /**
   * The app's id in its Teams manifest: with Graph, the app is installed through it for
   * people the bot cannot write to yet.
   */
  TEAMS_APP_ID: z.string().min(1).optional(),
  /** How often the teams' rosters are read from Graph to repair missed Teams events (seconds). */
  ROSTER_SYNC_SEC: z.coerce.number().int().min(60).max(86_400).default(900),
  /** OpenTelemetry to Application Insights when set. */
  APPLICATIONINSIGHTS_CONNECTION_STRING: z.string().min(1).optional(),
});

/** Every variable the server reads. */
export const CONFIG_NAMES: readonly string[] = Object.keys(envSchema.shape);

export type AppConfig = z.infer<typeof envSchema> & {
  /** Locally signed tokens and the manual clock exist only here: no Entra app, loopback only. */
  readonly devMode: boolean;
};

/** What a server outside dev mode cannot run without; each missing piece named. */
function productionGaps(config: z.infer<typeof envSchema>): string[] {
  const gaps: string[] = [];
  if (!config.AAD_APP_CLIENT_ID)
    gaps.push('AAD_APP_CLIENT_ID (the Entra app whose tokens the API accepts)');
  if (!config.BOT_ID) gaps.push('BOT_ID (the bot registration that authenticates /api/messages)');
  if (config.BOT_ID && config.BOT_TYPE !== 'UserAssignedMSI' && !config.BOT_PASSWORD)
    gaps.push(`BOT_PASSWORD (a ${config.BOT_TYPE} bot signs in with its secret)`);
  if (config.BOT_ID && config.BOT_TYPE !== 'MultiTenant' && !config.BOT_TENANT_ID)
    gaps.push(`BOT_TENANT_ID (a ${config.BOT_TYPE} bot belongs to one tenant)`);
  return gaps;
}

/** Reads the process environment once, at the composition root; bad values stop the start. */
export function loadConfig(env: NodeJS.ProcessEnv): AppConfig {
  const parsed = envSchema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, value]) => value !== '')),
  );
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment: ${problems.join('; ')}`);
  }
  const config = parsed.data;
  const devMode = config.AAD_APP_CLIENT_ID === undefined && LOOPBACK.has(config.HOST);
  if (config.CLOCK === 'manual' && !devMode) {
    throw new Error('CLOCK=manual is only allowed in dev mode (no Entra app, loopback host)');
  }
  if (config.TABLES_ACCOUNT_URL && config.TABLES_CONNECTION_STRING)
    throw new Error(
      'Set TABLES_ACCOUNT_URL (a managed identity) or TABLES_CONNECTION_STRING (a key), not both.',
    );
  const graphCredentials = [
    config.GRAPH_CLIENT_SECRET,
    config.GRAPH_CLIENT_CERTIFICATE_PATH,
    config.GRAPH_MANAGED_IDENTITY_CLIENT_ID,
  ].filter((c) => c !== undefined).length;
  if (config.GRAPH_CLIENT_ID === undefined ? graphCredentials > 0 : graphCredentials !== 1)
    throw new Error(
      'Set GRAPH_CLIENT_ID together with one of GRAPH_CLIENT_SECRET, GRAPH_CLIENT_CERTIFICATE_PATH or GRAPH_MANAGED_IDENTITY_CLIENT_ID (or none of them: no Graph).',
    );
  const gaps = devMode ? [] : productionGaps(config);
  if (gaps.length)
    throw new Error(
      `Outside dev mode (an Entra app is set, or HOST is not loopback) the server needs ${gaps.join(', ')}.`,
    );
  return { ...config, devMode };
}

/** True when an address is this machine (IPv4, IPv6, or IPv4 mapped into IPv6). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || /^(::ffff:)?127\./.test(address);
}
