import {
  MessageFactory,
  TeamsActivityHandler,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  TurnContext,
} from 'botbuilder';
import type { AppDeps } from '../../core/app/app-deps.js';
import { forgetChat, rememberLinks } from '../../core/app/teams-links.js';
import {
  followTeamEvent,
  followTeamRoster,
  rememberTeamGroup,
  type TeamEvent,
} from '../../core/app/teams-roster.js';
import { isKnownTenant } from '../../core/app/tenant-admin.js';
import type { TenantId, UserId } from '../../core/domain/ids.js';
import { asAttachment, type AdaptiveCard } from './cards/adaptive-card.js';
import { welcomeCard } from './cards/service-cards.js';
import { cardAction, runCardAction, servicesCard } from './card-actions.js';
import { provisionFromTeam, rosterPeople } from './provision-from-team.js';
import { callerOf, linkOf, turnIdentity, type TurnIdentity } from './turn-identity.js';
import { agentSays, myOpenChats } from '../../core/app/interact/interact-chat.js';

export const HELP_TEXT =
  'I route the calls, chats, e-mails and tasks of services to the people who are free to take them. ' +
  'Type **my services** to see yours and switch yourself on or off; in a team, type **provision** ' +
  'to turn the team into a service.';

export const NOT_SET_UP =
  'Your organization is not set up for service routing yet. Ask your Teams admin to sign it up.';

export interface BotDeps {
  readonly app: AppDeps;
  /** A person's personal chat with the bot just became known (their waiting cards go out). */
  readonly chatKnown?: (tenantId: TenantId, userId: UserId) => Promise<void>;
  /**
   * A team was just provisioned and Teams told its group id: with Graph, its roster is read
   * at once (Teams' roster names the provisioner's co-owners only in real Teams).
   */
  readonly teamProvisioned?: (tenantId: TenantId, teamId: string) => Promise<void>;
}

const CARD_RESPONSE = 'application/vnd.microsoft.card.adaptive';

/** Words people type, without the bot's @mention and any punctuation around them. */
function command(context: TurnContext): string {
  const bare = TurnContext.removeRecipientMention(context.activity) ?? context.activity.text ?? '';
  return bare
    .toLowerCase()
    .replace(/[^a-z ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The Teams bot: provisioning in teams, `my services` in personal chat, and the buttons of
 * every card. Each turn maps to a use case of core/app; no rule lives here.
 */
export class ServiceRoutingBot extends TeamsActivityHandler {
  constructor(private readonly deps: BotDeps) {
    super();
    this.onMessage(async (context, next) => {
      await this.message(context);
      await next();
    });
    // The app added to or removed from someone's personal scope (installationUpdate; Teams
    // also sends membersAdded for an addition): their chat is known, or gone.
    this.onInstallationUpdateAdd(async (context, next) => {
      const turn = turnIdentity(context);
      if (turn?.personal && (await this.knownTenant(turn))) {
        await this.remember(turn);
        await this.chatOpened(turn);
      }
      await next();
    });
    this.onInstallationUpdateRemove(async (context, next) => {
      const turn = turnIdentity(context);
      if (turn?.personal && turn.userId)
        await forgetChat(this.deps.app, turn.tenantId, turn.userId);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      await this.membersAdded(context);
      await next();
    });
    this.onMembersRemoved(async (context, next) => {
      const turn = turnIdentity(context);
      const left = (context.activity.membersRemoved ?? []).filter(
        (m) => m.id !== context.activity.recipient.id,
      );
      if (turn) await this.learnGroup(turn);
      // People who left stop ringing at once: their invitations go to the next person.
      if (turn?.team && left.length)
        await followTeamRoster(this.deps.app, turn.tenantId, turn.team.id, {
          joined: [],
          left: rosterPeople(turn, left).people.map((p) => p.userId),
        });
      await next();
    });
    // What becomes of the team in Teams: the service follows (renamed, or takes no new
    // tasks while the team is archived or deleted; nothing is deleted).
    const follow =
      (event: (name: string) => TeamEvent) =>
      async (
        team: { id?: string; name?: string },
        context: TurnContext,
        next: () => Promise<void>,
      ) => {
        const turn = turnIdentity(context);
        if (turn) await this.learnGroup(turn);
        if (turn && team.id)
          await followTeamEvent(this.deps.app, turn.tenantId, team.id, event(team.name ?? ''));
        await next();
      };
    this.onTeamsTeamRenamedEvent(follow((name) => ({ kind: 'renamed', name })));
    this.onTeamsTeamArchivedEvent(follow(() => ({ kind: 'archived' })));
    this.onTeamsTeamUnarchivedEvent(follow(() => ({ kind: 'unarchived' })));
    this.onTeamsTeamDeletedEvent(follow(() => ({ kind: 'deleted' })));
    this.onTeamsTeamHardDeletedEvent(follow(() => ({ kind: 'deleted' })));
    this.onTeamsTeamRestoredEvent(follow(() => ({ kind: 'restored' })));
  }

  private async reply(context: TurnContext, card: AdaptiveCard) {
    await context.sendActivity(MessageFactory.attachment(asAttachment(card)));
  }

  private knownTenant(turn: TurnIdentity) {
    return isKnownTenant(this.deps.app, turn.tenantId);
  }

  private async remember(turn: TurnIdentity) {
    const link = linkOf(turn);
    if (link) await rememberLinks(this.deps.app, turn.tenantId, [link]);
  }

  /** The app is in someone's personal scope now: cards waiting for their chat go out. */
  private async chatOpened(turn: TurnIdentity) {
    if (turn.personal && turn.userId) await this.deps.chatKnown?.(turn.tenantId, turn.userId);
  }

  /** A team's group id, as Teams tells it with the team's events, for Graph's roster. */
  private async learnGroup(turn: TurnIdentity) {
    if (turn.team?.groupId)
      await rememberTeamGroup(this.deps.app, turn.tenantId, turn.team.id, turn.team.groupId);
  }

  private async message(context: TurnContext) {
    const turn = turnIdentity(context);
    if (!turn) return void (await context.sendActivity(HELP_TEXT));
    if (!(await this.knownTenant(turn))) return void (await context.sendActivity(NOT_SET_UP));
    await this.remember(turn);
    // In a website chat, what the agent types in their chat with the bot goes to the customer
    // (in several at once, they answer each from its card).
    const caller = turn.personal ? callerOf(turn) : null;
    const chats = caller ? await myOpenChats(this.deps.app, caller) : [];
    if (caller && chats.length > 1)
      return void (await context.sendActivity(
        `You are in ${chats.length} website chats: answer each with **Reply** on its card, or in the tab's My state.`,
      ));
    const [chat] = chats;
    if (caller && chat) {
      const raw =
        TurnContext.removeRecipientMention(context.activity) ?? context.activity.text ?? '';
      const said = await agentSays(this.deps.app, caller, chat, raw);
      if (!said.ok) await context.sendActivity(said.refusal.message);
      return;
    }
    const said = command(context);
    if (said.startsWith('provision')) {
      if (!turn.team)
        return void (await context.sendActivity(
          'Type **provision** in the team you want to turn into a service.',
        ));
      return this.reply(context, await provisionFromTeam(this.deps, context, turn));
    }
    if (!/^(my )?services?$/.test(said)) await context.sendActivity(HELP_TEXT);
    await this.reply(context, await servicesCard(this.deps, turn));
  }

  private async membersAdded(context: TurnContext) {
    const turn = turnIdentity(context);
    const botId = context.activity.recipient.id;
    const added = context.activity.membersAdded ?? [];
    if (!turn) return;
    if (added.some((m) => m.id === botId)) {
      if (turn.team) return this.reply(context, welcomeCard(turn.team.name ?? 'this team'));
      const known = await this.knownTenant(turn);
      if (known) await this.remember(turn);
      try {
        return void (await context.sendActivity(`Hello! ${HELP_TEXT}`));
      } finally {
        // Installed for them (by them, or through Graph): cards waiting for this chat go out,
        // after the hello, and whether or not the hello got through.
        if (known) await this.chatOpened(turn);
      }
    }
    if (!turn.team) return;
    await this.learnGroup(turn);
    const { people, links } = rosterPeople(turn, added);
    await followTeamRoster(this.deps.app, turn.tenantId, turn.team.id, {
      joined: people,
      left: [],
      links,
    });
  }

  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    value: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    const turn = turnIdentity(context);
    const action = cardAction.safeParse(value.action);
    if (!turn || !action.success)
      return {
        statusCode: 400,
        type: 'application/vnd.microsoft.error',
        value: {
          code: 'BadRequest',
          message: turn ? 'This button is not one of ours.' : 'Teams did not say who you are.',
        },
      };
    const card = await runCardAction(this.deps, context, turn, action.data);
    return { statusCode: 200, type: CARD_RESPONSE, value: card as never };
  }
}
