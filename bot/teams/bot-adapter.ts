import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ActivityHandler,
  type TurnContext,
} from 'botbuilder';
import type { Logger } from 'pino';
import type { Request, Response } from 'restify';
import type { BotEndpoint } from '../http/server.js';

export interface BotCredentials {
  readonly appId?: string | undefined;
  readonly password?: string | undefined;
  readonly type: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  readonly tenantId?: string | undefined;
}

/**
 * botbuilder's CloudAdapter. With a bot id, every request is checked by Bot Framework
 * channel authentication; without one (local Agents Playground) none is expected.
 */
export function createBotAdapter(credentials: BotCredentials, log: Logger): CloudAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: credentials.appId ?? '',
    MicrosoftAppPassword: credentials.password ?? '',
    MicrosoftAppType: credentials.type,
    MicrosoftAppTenantId: credentials.tenantId ?? '',
  });
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    log.error({ err: error, activityType: context.activity.type }, 'bot turn failed');
    await context.sendActivity(
      'Sorry, something went wrong on our side. Please try again in a moment.',
    );
  };
  return adapter;
}

/** The `/api/messages` endpoint: every activity Teams posts is one turn of the bot. */
export function botEndpoint(adapter: CloudAdapter, bot: ActivityHandler): BotEndpoint {
  return {
    process: (req: Request, res: Response) =>
      adapter.process(req, res, (context) => bot.run(context)),
  };
}
