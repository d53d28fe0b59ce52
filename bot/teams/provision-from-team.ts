import { TeamsInfo, type TeamsChannelAccount, type TurnContext } from 'botbuilder';
import type { AppDeps } from '../../core/app/app-deps.js';
import { provisionService } from '../../core/app/service-provisioning.js';
import { rememberLinks } from '../../core/app/teams-links.js';
import { followTeamRoster, type RosterPerson } from '../../core/app/teams-roster.js';
import { asUserId, isValidId } from '../../core/domain/ids.js';
import type { MemberRole } from '../../core/domain/service.js';
import { membershipKey } from '../../core/store/table-membership-store.js';
import { orgUnitKey } from '../../core/store/table-org-unit-store.js';
import type { TeamsUserLink } from '../../core/store/teams-link-rows.js';
import type { AdaptiveCard } from './cards/adaptive-card.js';
import { provisionedCard, provisionRefusedCard } from './cards/service-cards.js';
import { callerOf, type TurnIdentity } from './turn-identity.js';

const ROLE_WORDS: Record<MemberRole, string> = {
  Owner: 'Owner',
  OwnerLimited: 'Owner (limited rights)',
  Member: 'Member',
};

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
  const valid = roster.filter((m) => m.aadObjectId && isValidId(m.aadObjectId));
  return {
    people: valid.map((m): RosterPerson => ({
      userId: asUserId(m.aadObjectId ?? ''),
      name: m.name,
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

/**
 * Provisioning from a team, as the person who asked: the tenant's policy, state and
 * license pool decide exactly as for the API. Roster people the directory knows become
 * members at once; the others are added to the directory and the service only once the
 * service exists, so a refusal changes nothing.
 */
export async function provisionFromTeam(
  deps: AppDeps,
  context: TurnContext,
  turn: TurnIdentity,
): Promise<AdaptiveCard> {
  const caller = callerOf(turn);
  if (!turn.team) return provisionRefusedCard('This chat', 'Only a team can become a service.');
  // Card actions carry the team's id but not its name; Teams tells it on request.
  const team = {
    id: turn.team.id,
    name: turn.team.name ?? (await TeamsInfo.getTeamDetails(context, turn.team.id)).name ?? 'Team',
  };
  if (!caller) return provisionRefusedCard(team.name, 'Teams did not say who you are.');
  const { people, links } = rosterPeople(turn, await readRoster(context));
  const known = new Set((await deps.stores.users.list(turn.tenantId)).map((u) => u.value.id));
  const result = await provisionService(deps, caller, turn.tenantId, {
    teamId: team.id,
    teamName: team.name,
    members: people.filter((p) => known.has(p.userId)).map((p) => p.userId),
  });
  if (!result.ok) return provisionRefusedCard(team.name, result.refusal.message);
  await followTeamRoster(deps, turn.tenantId, team.id, { joined: people, left: [] });
  await rememberLinks(deps, turn.tenantId, links);
  const { service, created } = result.value;
  const [ou, own] = await Promise.all([
    deps.stores.orgUnits.get(orgUnitKey(turn.tenantId, service.ouId)),
    deps.stores.memberships.get(membershipKey(turn.tenantId, service.id, caller.userId)),
  ]);
  return provisionedCard({
    service,
    ouName: ou?.value.name ?? service.ouId,
    role: own ? ROLE_WORDS[own.value.role] : 'Administrator',
    created,
  });
}
