import { TeamsActivityHandler, type TurnContext } from 'botbuilder';

export const HELP_TEXT =
  'I route the calls, chats, e-mails and tasks of services to the people who are free to take them. ' +
  'Open the **My Services** tab to see your services and switch yourself active.';

/** The Teams bot. Provisioning, invitations and toggles arrive with their use cases. */
export class ServiceRoutingBot extends TeamsActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      await context.sendActivity(HELP_TEXT);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      if (this.botWasAdded(context)) await context.sendActivity(`Hello! ${HELP_TEXT}`);
      await next();
    });
  }

  private botWasAdded(context: TurnContext): boolean {
    const botId = context.activity.recipient.id;
    return (context.activity.membersAdded ?? []).some((m) => m.id === botId);
  }
}
