import type { TenantId, UserId } from '../domain/ids.js';
import type { AppDeps } from './app-deps.js';
import { followTeamRoster, type RosterPerson } from './teams-roster.js';
import { graphWords } from './graph-problem.js';

/** What the roster reconcile asks of Microsoft Graph (bot/graph answers it over HTTP). */
export interface TeamRosterGraph {
  /**
   * Every member of a team, all pages read (`/teams/{groupId}/members`), guests marked;
   * throws GraphProblem when Graph refuses.
   */
  members(tenantId: TenantId, groupId: string): Promise<TeamRosterMember[]>;
}

export interface TeamRosterMember extends RosterPerson {
  readonly guest: boolean;
}

/** What one reconcile of a tenant's teams did, for the admin and the logs. */
export interface RosterReconcile {
  readonly teams: number;
  readonly joined: number;
  readonly left: number;
  /** Why some team's roster could not be read, in words; null when all were. */
  readonly problem: string | null;
}

/**
 * Repairs the members of a tenant's Teams-based services from their teams' rosters in Graph
 * (people added or removed while the bot missed Teams' event): newcomers join as Teams
 * events would add them (team owners as owners), people no longer in the team leave,
 * and team owners who are plain members become owners. Nobody is demoted (an owner may
 * have been made one in the app). A roster read empty is not trusted (a team has at least
 * its owner), and a team that failed to be read changes nothing. Services whose team was
 * deleted, or whose group id Teams has not told yet, are skipped.
 */
export async function reconcileTeamRosters(
  deps: AppDeps,
  graph: TeamRosterGraph,
  tenantId: TenantId,
  /** One team only (just provisioned); all of the tenant's when absent. */
  teamId?: string,
): Promise<RosterReconcile> {
  const services = (await deps.stores.services.list(tenantId))
    .map((r) => r.value)
    .filter(
      (s) =>
        (teamId === undefined || s.teamId === teamId) &&
        s.assignmentType === 'TeamsBased' &&
        s.teamId !== null &&
        s.teamGroupId !== undefined &&
        s.teamState !== 'Deleted',
    );
  const problems: string[] = [];
  let joined = 0;
  let left = 0;
  for (const service of services) {
    let roster: TeamRosterMember[];
    try {
      roster = (await graph.members(tenantId, service.teamGroupId ?? '')).filter((m) => !m.guest);
    } catch (error) {
      problems.push(`the team of ${service.name}: ${graphWords(error)}`);
      continue;
    }
    if (!roster.length) continue;
    const members = new Map(
      (await deps.stores.memberships.list(tenantId, `${service.id}:`)).map((m) => [
        m.value.userId,
        m.value,
      ]),
    );
    const inTeam = new Set<UserId>(roster.map((p) => p.userId));
    const change = {
      joined: roster.filter((p) => {
        const member = members.get(p.userId);
        return !member || (p.teamOwner === true && member.role === 'Member');
      }),
      left: [...members.keys()].filter((id) => !inTeam.has(id)),
    };
    if (!change.joined.length && !change.left.length) continue;
    await followTeamRoster(deps, tenantId, service.teamId ?? '', change);
    joined += change.joined.filter((p) => !members.has(p.userId)).length;
    left += change.left.length;
  }
  return {
    teams: services.length,
    joined,
    left,
    problem: problems.length ? `Team rosters not read for ${problems.join('; ')}` : null,
  };
}
