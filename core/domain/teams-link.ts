import type { TenantId, UserId } from './ids.js';

/**
 * A person as Teams knows them: the id the channel uses for them, where the channel is
 * (its service URL), and their personal chat with the bot once there is one.
 */
export interface TeamsUserLink {
  readonly tenantId: TenantId;
  readonly userId: UserId;
  readonly teamsId: string;
  readonly name: string;
  readonly serviceUrl: string;
  readonly botId: string;
  readonly conversationId: string | null;
}
