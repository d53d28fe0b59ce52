import { z } from 'zod';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  HOST: z.string().min(1).default('127.0.0.1'),
  TABLES_CONNECTION_STRING: z.string().min(1).optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  TABLE_PREFIX: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9]{0,30}$/, 'letters and digits, starting with a letter')
    .optional(),
  SEED: z.enum(['demo', 'none']).default('demo'),
  CLOCK: z.enum(['system', 'manual']).default('system'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Entra ID app registration of the tab/API (SSO). Its presence turns dev mode off. */
  AAD_APP_CLIENT_ID: z.string().min(1).optional(),
  AAD_APP_ID_URI: z.string().min(1).optional(),
  /** Bot registration; when set, botbuilder authenticates every bot request. */
  /** The system operator's Entra tenant: its app-only tokens with role System.Operator act as system. */
  SYSTEM_TENANT_ID: z.string().min(1).optional(),
  BOT_ID: z.string().min(1).optional(),
  BOT_PASSWORD: z.string().min(1).optional(),
  BOT_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
  BOT_TENANT_ID: z.string().min(1).optional(),
  TAB_DIR: z.string().min(1).default('dist/tab'),
  /**
   * How old this instance's view of a tenant's rows may get before a read checks whether
   * another instance wrote (ms). 0 checks on every read.
   */
  CACHE_MAX_STALENESS_MS: z.coerce.number().int().min(0).max(60_000).default(500),
  SWEEP_FULL_LOOK_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
});

export type AppConfig = z.infer<typeof envSchema> & {
  /** Locally signed tokens and the manual clock exist only here: no Entra app, loopback only. */
  readonly devMode: boolean;
};

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
  return { ...config, devMode };
}
