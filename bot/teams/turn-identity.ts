import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { Identity } from '../../core/domain/actor.js';
import {
  asTenantId,
  asUserId,
  ID_PATTERN,
  type TenantId,
  type UserId,
} from '../../core/domain/ids.js';
import { type TeamsUserLink } from '../../core/domain/teams-link.js';

const id = z.string().regex(ID_PATTERN);

const activity = z.object({
  serviceUrl: z.string().min(1),
  from: z.object({
    id: z.string().min(1),
    aadObjectId: id.optional(),
    name: z.string().optional(),
  }),
  recipient: z.object({ id: z.string().min(1) }),
  conversation: z.object({
    id: z.string().min(1),
    tenantId: id.optional(),
    conversationType: z.string().optional(),
  }),
  channelData: z
    .object({
      tenant: z.object({ id: id }).optional(),
      team: z
        .object({ id: z.string().min(1), name: z.string().optional(), aadGroupId: id.optional() })
        .optional(),
    })
    .optional(),
});

/** Who is speaking to the bot, where, as the activity says (Teams has authenticated it). */
export interface TurnIdentity {
  readonly tenantId: TenantId;
  readonly userId: UserId | null;
  readonly teamsId: string;
  readonly name: string;
  readonly serviceUrl: string;
  readonly botId: string;
  readonly conversationId: string;
  readonly personal: boolean;
  readonly team: {
    readonly id: string;
    readonly name: string | null;
    /** The team's Microsoft 365 group id (Graph's id of the team), when Teams tells it. */
    readonly groupId: string | null;
  } | null;
}

/** Reads the identity off an activity; null when it carries no tenant (not a Teams activity we serve). */
export function turnIdentity(context: TurnContext): TurnIdentity | null {
  const parsed = activity.safeParse(context.activity);
  if (!parsed.success) return null;
  const a = parsed.data;
  const tenant = a.conversation.tenantId ?? a.channelData?.tenant?.id;
  if (!tenant) return null;
  const team = a.channelData?.team;
  return {
    tenantId: asTenantId(tenant),
    userId: a.from.aadObjectId ? asUserId(a.from.aadObjectId) : null,
    teamsId: a.from.id,
    name: a.from.name ?? '',
    serviceUrl: a.serviceUrl,
    botId: a.recipient.id,
    conversationId: a.conversation.id,
    personal: (a.conversation.conversationType ?? 'personal') === 'personal',
    team: team ? { id: team.id, name: team.name ?? null, groupId: team.aadGroupId ?? null } : null,
  };
}

/** The caller as the use cases know callers: a user of the tenant, by Entra object id. */
export function callerOf(turn: TurnIdentity): Extract<Identity, { kind: 'user' }> | null {
  return turn.userId
    ? { kind: 'user', tenantId: turn.tenantId, userId: turn.userId, groups: [] }
    : null;
}

/** What the bot learns about a person from their own activity (their personal chat, if it is one). */
export function linkOf(turn: TurnIdentity): TeamsUserLink | null {
  if (!turn.userId) return null;
  return {
    tenantId: turn.tenantId,
    userId: turn.userId,
    teamsId: turn.teamsId,
    name: turn.name,
    serviceUrl: turn.serviceUrl,
    botId: turn.botId,
    conversationId: turn.personal ? turn.conversationId : null,
  };
}
