import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type ActivityHandler,
  type TurnContext,
} from 'botbuilder';
import type { Logger } from 'pino';
import type { Request } from 'restify';
import type { BotEndpoint, BotReply } from '../http/server.js';
import { checkActivity } from './incoming-activity.js';
import type { ServiceUrlPolicy } from './service-url-policy.js';

export interface BotCredentials {
  readonly appId?: string | undefined;
  readonly password?: string | undefined;
  readonly type: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  readonly tenantId?: string | undefined;
  /** Bot Framework's OpenID metadata; another one only to test against a stand-in. */
  readonly openIdMetadataUrl?: string | undefined;
}

/** Bot Framework's public cloud, as botbuilder knows it: the default of every field below. */
const PUBLIC_CLOUD = {
  ValidateAuthority: true,
  ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
  ToChannelFromBotOAuthScope: 'https://api.botframework.com',
  ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
  OAuthUrl: 'https://api.botframework.com',
  ToBotFromChannelOpenIdMetadataUrl:
    'https://login.botframework.com/v1/.well-known/openidconfiguration',
  ToBotFromEmulatorOpenIdMetadataUrl:
    'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
  CallerId: 'urn:botframework:azure',
};

/**
 * botbuilder's CloudAdapter. With a bot id, every request is checked by Bot Framework
 * channel authentication; without one (local Agents Playground, dev mode only) none is.
 */
export function createBotAdapter(credentials: BotCredentials, log: Logger): TeamsCloudAdapter {
  const metadata = credentials.openIdMetadataUrl;
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: credentials.appId ?? '',
    MicrosoftAppPassword: credentials.password ?? '',
    // Without an app id botbuilder authenticates nothing, and only its multi-tenant kind
    // accepts that (dev mode's Agents Playground).
    MicrosoftAppType: credentials.appId ? credentials.type : 'MultiTenant',
    MicrosoftAppTenantId: credentials.tenantId ?? '',
    // botbuilder takes every endpoint or none: the public cloud's, with the metadata swapped.
    ...(metadata &&
      metadata !== PUBLIC_CLOUD.ToBotFromChannelOpenIdMetadataUrl && {
        ...PUBLIC_CLOUD,
        ToBotFromChannelOpenIdMetadataUrl: metadata,
      }),
  });
  const adapter = new TeamsCloudAdapter(auth);
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    log.error({ err: error, activityType: context.activity.type }, 'bot turn failed');
    await context.sendActivity(
      'Sorry, something went wrong on our side. Please try again in a moment.',
    );
  };
  return adapter;
}

const botError = (status: number, code: string, message: string): BotReply => ({
  status,
  body: { error: { code, message } },
});

/** botbuilder's CloudAdapter, with its activity entry point open to our endpoint. */
export class TeamsCloudAdapter extends CloudAdapter {
  /**
   * Authenticates one activity and runs its turn: the part of `process` after parsing,
   * without botbuilder's own answers (its internal text) and its console output.
   */
  run(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>) {
    return this.processActivity(authHeader, activity, logic);
  }
}

/** botbuilder signals refused authentication with an error carrying status 401. */
const isUnauthorized = (error: unknown) =>
  error instanceof Error && (error as Error & { statusCode?: unknown }).statusCode === 401;

/**
 * The `/api/messages` endpoint: every activity Teams posts is one turn of the bot. A
 * malformed activity, or one naming a `serviceUrl` the bot must not answer, is refused
 * with 400 before botbuilder sees it; refused authentication is 401, and a failure is
 * logged and answered without its internal text, all in the API's error shape.
 */
export function botEndpoint(
  adapter: TeamsCloudAdapter,
  bot: ActivityHandler,
  policy: ServiceUrlPolicy,
  log: Logger,
): BotEndpoint {
  return {
    async process(req: Request): Promise<BotReply> {
      const check = checkActivity(req.body, policy);
      if (!check.ok) return botError(400, 'invalid_request', check.why);
      try {
        const invoke = await adapter.run(
          req.headers.authorization ?? '',
          check.activity,
          (context) => bot.run(context),
        );
        return { status: invoke?.status ?? 200, body: invoke?.body };
      } catch (error) {
        if (isUnauthorized(error))
          return botError(401, 'unauthenticated', 'The request is not signed by Bot Framework.');
        log.error({ err: error }, 'bot request failed');
        return botError(500, 'internal', 'Something went wrong on our side; it has been logged.');
      }
    },
  };
}
