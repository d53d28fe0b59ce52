import { TeamsInfo, type TeamsChannelAccount, type TurnContext } from 'botbuilder';
import {
  provisionFromTeam as provisionTeam,
  rememberTeamGroup,
  type RosterPerson,
} from '../../core/app/teams-roster.js';
import { asUserId, isValidId } from '../../core/domain/ids.js';
import { MEMBER_ROLE_WORDS } from '../../core/domain/service.js';
import { type TeamsUserLink } from '../../core/domain/teams-link.js';
import type { AdaptiveCard } from './cards/adaptive-card.js';
import { provisionedCard, provisionRefusedCard } from './cards/service-cards.js';
import { callerOf, type TurnIdentity } from './turn-identity.js';
import type { BotDeps } from './service-routing-bot.js';

/** The whole roster of the team, page by page (Teams pages large teams). */
async function readRoster(context: TurnContext): Promise<TeamsChannelAccount[]> {
  const people: TeamsChannelAccount[] = [];
  let token: string | undefined;
  do {
    const page = await TeamsInfo.getPagedMembers(context, 100, token);
    people.push(...page.members);
    token = page.continuationToken || undefined;
  } while (token);
  return people;
}

/** Roster entries as people of the directory and as Teams links (entries without an Entra id are skipped). */
export function rosterPeople(turn: TurnIdentity, roster: readonly TeamsChannelAccount[]) {
  // Teams guests (people from outside the organization) get no access.
  const valid = roster.filter(
    (m) => m.aadObjectId && isValidId(m.aadObjectId) && m.userRole?.toLowerCase() !== 'guest',
  );
  return {
    people: valid.map((m): RosterPerson => ({
      userId: asUserId(m.aadObjectId ?? ''),
      name: m.name,
      teamOwner: m.userRole?.toLowerCase() === 'owner',
    })),
    links: valid.map((m): TeamsUserLink => ({
      tenantId: turn.tenantId,
      userId: asUserId(m.aadObjectId ?? ''),
      teamsId: m.id,
      name: m.name,
      serviceUrl: turn.serviceUrl,
      botId: turn.botId,
      conversationId: null,
    })),
  };
}

/** Provisioning from a team (core/app's use case), told on a card. */
export async function provisionFromTeam(
  bot: BotDeps,
  context: TurnContext,
  turn: TurnIdentity,
): Promise<AdaptiveCard> {
  const caller = callerOf(turn);
  if (!turn.team) return provisionRefusedCard('This chat', 'Only a team can become a service.');
  // Card actions carry the team's id but not its name nor its group id; Teams tells them on
  // request (the group id is what Graph knows the team by: without it, no roster repairs).
  const details =
    turn.team.name && turn.team.groupId
      ? null
      : await TeamsInfo.getTeamDetails(context, turn.team.id).catch((error: unknown) => {
          // Without the name, provisioning cannot go on: Teams' error stands. Only the
          // group id missing, it waits for the team's next event (no roster repair till then).
          if (!turn.team?.name) throw error;
          return null;
        });
  const team = { id: turn.team.id, name: turn.team.name ?? details?.name ?? 'Team' };
  const groupId = turn.team.groupId ?? details?.aadGroupId ?? null;
  if (!caller) return provisionRefusedCard(team.name, 'Teams did not say who you are.');
  const deps = bot.app;
  const result = await provisionTeam(
    deps,
    caller,
    turn.tenantId,
    team,
    rosterPeople(turn, await readRoster(context)),
  );
  if (!result.ok) return provisionRefusedCard(team.name, result.refusal.message);
  if (groupId && isValidId(groupId)) {
    await rememberTeamGroup(deps, turn.tenantId, team.id, groupId);
    await bot.teamProvisioned?.(turn.tenantId, team.id);
  }
  const { service, created, ouName, role } = result.value;
  return provisionedCard({
    service,
    ouName,
    role: role ? MEMBER_ROLE_WORDS[role] : 'Administrator',
    created,
  });
}
