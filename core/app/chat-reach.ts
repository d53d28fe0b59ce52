import type { TenantId, UserId } from '../domain/ids.js';
import type { TeamsUserLink } from '../domain/teams-link.js';
import { teamsUserKey } from '../store/teams-link-rows.js';
import type { AppDeps } from './app-deps.js';
import { GraphProblem } from './graph-problem.js';
import { rememberLinks } from './teams-links.js';

/** What reaching people in chat asks of Microsoft Graph (bot/graph answers it over HTTP). */
export interface AppInstallGraph {
  /**
   * Installs the app in a person's personal scope (`/users/{id}/teamwork/installedApps`);
   * 'already' when it is there. Throws GraphProblem when Graph refuses.
   */
  install(tenantId: TenantId, userId: UserId): Promise<'installed' | 'already'>;
  /** The id of the person's personal chat with the app, once it is installed for them. */
  chatOf(tenantId: TenantId, userId: UserId): Promise<string | null>;
}

export interface ChatReachLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface ChatReachOptions {
  readonly deps: AppDeps;
  readonly graph: AppInstallGraph;
  readonly log: ChatReachLog;
  /** Teams' channel for the tenant when no link of the tenant tells it yet. */
  readonly defaultServiceUrl: string;
  /** The bot's id in Teams (`28:{BOT_ID}`) when no link of the tenant tells it yet. */
  readonly botId: string;
}

/** A person is asked for at most this often (Graph's answer does not change by asking). */
const ASK_AGAIN_AFTER_MS = 10 * 60 * 1000;

/**
 * Makes sure the bot can write to people in their Teams chat (SPEC §6: invitations arrive in
 * the person's chat). Someone the bot knows no way to reach (added through the API or
 * Graph's roster, never seen in Teams) gets the app installed for them through Graph; Teams
 * then tells the bot of the new personal chat, and their waiting cards go out. Someone who
 * already had the app installed gets their chat looked up instead. Each person is asked for
 * at most every ten minutes per instance, and nothing here ever fails the caller.
 */
export class ChatReach {
  private readonly asked = new Map<string, number>();

  constructor(private readonly options: ChatReachOptions) {}

  /** Reaches each person the bot cannot write to yet (in the background of the caller). */
  async reach(tenantId: TenantId, userIds: readonly UserId[]): Promise<void> {
    for (const userId of new Set(userIds))
      await this.reachOne(tenantId, userId).catch((error: unknown) =>
        // Graph's refusal in words; anything else (storage) as it is. The caller goes on.
        this.options.log.warn(
          error instanceof GraphProblem
            ? { tenantId, userId, problem: error.words }
            : { tenantId, userId, err: error },
          'person not reachable in chat',
        ),
      );
  }

  private async reachOne(tenantId: TenantId, userId: UserId): Promise<void> {
    const { deps, graph, log } = this.options;
    const link = (await deps.stores.teamsLinks.users.get(teamsUserKey(tenantId, userId)))?.value;
    // A chat, or a Teams id from a team the bot is in (the bot may open a chat with it).
    if (link) return;
    const key = `${tenantId}/${userId}`;
    const now = performance.now();
    if (now - (this.asked.get(key) ?? -Infinity) < ASK_AGAIN_AFTER_MS) return;
    this.asked.set(key, now);
    if ((await graph.install(tenantId, userId)) === 'installed') {
      // Teams tells the bot of the new chat (a conversationUpdate) in a moment.
      log.info({ tenantId, userId }, 'app installed for a person the bot could not reach');
      return;
    }
    const chat = await graph.chatOf(tenantId, userId);
    if (!chat) {
      log.warn({ tenantId, userId }, 'app installed for the person, but Graph names no chat');
      return;
    }
    await rememberLinks(deps, tenantId, [await this.linkTo(tenantId, userId, chat)]);
  }

  /** A link to a chat Graph named, on the channel the tenant's other people use. */
  private async linkTo(tenantId: TenantId, userId: UserId, chat: string): Promise<TeamsUserLink> {
    const [other] = await this.options.deps.stores.teamsLinks.users.list(tenantId);
    return {
      tenantId,
      userId,
      // Teams takes a person's Entra object id where it asks for their id.
      teamsId: userId,
      name: '',
      serviceUrl: other?.value.serviceUrl ?? this.options.defaultServiceUrl,
      botId: other?.value.botId ?? this.options.botId,
      conversationId: chat,
    };
  }
}
