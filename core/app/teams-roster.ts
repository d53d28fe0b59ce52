import type { DirectoryUser } from '../domain/directory-user.js';
import type { ServiceId, TenantId, UserId } from '../domain/ids.js';
import { provisioningOu, teamOwnerRole } from '../domain/provisioning.js';
import { inactivityReason } from '../domain/tenant.js';
import { membershipKey } from '../store/table-membership-store.js';
import { tenantKey } from '../store/table-tenant-store.js';
import type { AppDeps } from './app-deps.js';
import { commitInChunks } from './commit-in-chunks.js';
import { loadTree } from './directory-admin.js';
import { retryOnConflict } from './retry-on-conflict.js';
import { addMissingMemberships, provisionService } from './service-provisioning.js';
import { rememberLinks } from './teams-links.js';
import type { Identity } from '../domain/actor.js';
import { allow, type Decision } from '../domain/refusal.js';
import type { MemberRole, Service, TeamState } from '../domain/service.js';
import type { TeamsUserLink } from '../domain/teams-link.js';
import { orgUnitKey } from '../store/table-org-unit-store.js';

/** A member of a team as Teams lists them: their Entra object id and name. */
export interface RosterPerson {
  readonly userId: UserId;
  readonly name: string;
  /** An owner of the team: an owner of its service, with the tenant's default owner role. */
  readonly teamOwner?: boolean;
}

/** The longest display name the directory keeps (as the API takes it). */
const MAX_NAME = 200;

/**
 * Puts the people of a roster the directory does not know yet into it, in the OU where
 * provisioning places things, with no role and no license: Teams vouches that they are
 * people of this tenant. Nothing happens for a tenant that is not running.
 */
function admitRosterPeople(deps: AppDeps, tenantId: TenantId, people: readonly RosterPerson[]) {
  return retryOnConflict(async (): Promise<void> => {
    const tenant = await deps.stores.tenants.get(tenantKey(tenantId));
    if (!tenant || inactivityReason(tenant.value)) return;
    const known = new Set((await deps.stores.users.list(tenantId)).map((u) => u.value.id));
    const unknown = people.filter((p) => !known.has(p.userId));
    if (!unknown.length) return;
    const ouId = provisioningOu(tenant.value, await loadTree(deps, tenantId));
    if (!ouId) return;
    const users = unknown.map((p): DirectoryUser => ({
      tenantId,
      id: p.userId,
      // Names come from Teams or Graph as they are: kept to what the directory takes.
      displayName: p.name.trim().slice(0, MAX_NAME) || p.userId,
      ouId,
      roles: [],
      licenses: [],
      skills: {},
    }));
    await commitInChunks(
      deps.stores,
      users.map((u) => deps.stores.users.insertOp(u)),
    );
  });
}

/** The service a team was provisioned as, if it was. */
export async function serviceOfTeam(deps: AppDeps, tenantId: TenantId, teamId: string) {
  return (await deps.stores.services.list(tenantId)).find((s) => s.value.teamId === teamId);
}

/**
 * Keeps a provisioned team's service in step with the team: people who joined enter the
 * directory if they are new there and become members (Active as the service's settings
 * say), and how to reach them in Teams is remembered; people who left stop being members.
 * Then distributes: newcomers who start Active may take a waiting task at once, and the
 * invitations of people who left go to the next person. A team that is not a service is
 * left alone (false).
 */
export async function followTeamRoster(
  deps: AppDeps,
  tenantId: TenantId,
  teamId: string,
  change: {
    readonly joined: readonly RosterPerson[];
    readonly left: readonly UserId[];
    readonly links?: readonly TeamsUserLink[];
  },
): Promise<boolean> {
  const service = (await serviceOfTeam(deps, tenantId, teamId))?.value;
  if (!service) return false;
  await admitRosterPeople(deps, tenantId, change.joined);
  const since = deps.clock.now();
  const active = service.settings.distribution.newUsersActive;
  const tenant = await deps.stores.tenants.get(tenantKey(tenantId));
  const ownerRole = tenant ? teamOwnerRole(tenant.value) : 'Owner';
  await addMissingMemberships(
    deps,
    change.joined.map((p) => ({
      tenantId,
      serviceId: service.id,
      userId: p.userId,
      role: p.teamOwner ? ownerRole : ('Member' as const),
      active,
      since,
      activeSince: since,
    })),
  );
  await promoteTeamOwners(
    deps,
    tenantId,
    service.id,
    change.joined.filter((p) => p.teamOwner).map((p) => p.userId),
    ownerRole,
  );
  // Newcomers' presence is read now (they are members by now), not at the next poll.
  await deps.newcomers?.joined(
    tenantId,
    change.joined.map((p) => p.userId),
  );
  await retryOnConflict(async () => {
    const members = new Set(
      (await deps.stores.memberships.list(tenantId, `${service.id}:`)).map((m) => m.value.userId),
    );
    await commitInChunks(
      deps.stores,
      [...new Set(change.left)]
        .filter((id) => members.has(id))
        .map((id) => deps.stores.memberships.deleteOp(membershipKey(tenantId, service.id, id))),
    );
  });
  // Before distributing: a card for a newcomer needs their chat.
  if (change.links?.length) await rememberLinks(deps, tenantId, change.links);
  await deps.distribution.run(tenantId);
  return true;
}

/**
 * Remembers the Microsoft 365 group id of a provisioned team (Teams tells it with team
 * events), so Graph can read the team's roster. A team that is no service is left alone.
 */
export async function rememberTeamGroup(
  deps: AppDeps,
  tenantId: TenantId,
  teamId: string,
  groupId: string,
): Promise<void> {
  await retryOnConflict(async () => {
    const row = await serviceOfTeam(deps, tenantId, teamId);
    if (!row || row.value.teamGroupId === groupId) return;
    await deps.stores.services.replace({ ...row.value, teamGroupId: groupId }, row.etag);
  });
}

/** What Teams tells of a team (conversationUpdate events). */
export type TeamEvent =
  | { readonly kind: 'renamed'; readonly name: string }
  | { readonly kind: 'archived' | 'unarchived' | 'deleted' | 'restored' };

const STATE_AFTER: Record<Exclude<TeamEvent['kind'], 'renamed'>, TeamState> = {
  archived: 'Archived',
  unarchived: 'Active',
  deleted: 'Deleted',
  restored: 'Active',
};

/**
 * Keeps a Teams-based service in step with its team: a renamed team renames the service; an
 * archived or deleted team's service takes no new tasks and says why (nothing is deleted),
 * until the team is unarchived or restored. A team that is no service is left alone (false).
 */
export async function followTeamEvent(
  deps: AppDeps,
  tenantId: TenantId,
  teamId: string,
  event: TeamEvent,
): Promise<boolean> {
  const changed = await retryOnConflict(async () => {
    const row = await serviceOfTeam(deps, tenantId, teamId);
    if (!row) return false;
    const service = row.value;
    const next: Service =
      event.kind === 'renamed'
        ? { ...service, name: event.name.trim().slice(0, 120) || service.name }
        : STATE_AFTER[event.kind] === 'Active'
          ? (({ teamState: _, ...rest }) => rest)(service)
          : { ...service, teamState: STATE_AFTER[event.kind] };
    if (JSON.stringify(next) !== JSON.stringify(service))
      await deps.stores.services.replace(next, row.etag);
    return true;
  });
  // Nobody's availability changes; views and cards show the service as it is now.
  if (changed) deps.distribution.changed(tenantId);
  return changed;
}

/** Team owners who are members of the service as plain members become its owners. */
function promoteTeamOwners(
  deps: AppDeps,
  tenantId: TenantId,
  serviceId: ServiceId,
  owners: readonly UserId[],
  role: 'Owner' | 'OwnerLimited',
) {
  if (!owners.length) return Promise.resolve();
  return retryOnConflict(async () => {
    const wanted = new Set(owners);
    const rows = await deps.stores.memberships.list(tenantId, `${serviceId}:`);
    await commitInChunks(
      deps.stores,
      rows
        .filter((r) => wanted.has(r.value.userId) && r.value.role === 'Member')
        .map((r) => deps.stores.memberships.replaceOp({ ...r.value, role }, r.etag)),
    );
  });
}

/** What a team's provisioning tells the person who asked for it. */
export interface ProvisionedFromTeam {
  readonly service: Service;
  readonly created: boolean;
  readonly ouName: string;
  /** The asker's role in the service; null when they are no member (an administrator). */
  readonly role: MemberRole | null;
}

/**
 * Provisioning from a team, as the person who asked: the tenant's policy, state and
 * license pool decide exactly as for the API. Roster people the directory knows become
 * members at once; the others are added to the directory and the service only once the
 * service exists, so a refusal changes nothing. Teams links of the roster are remembered.
 */
export async function provisionFromTeam(
  deps: AppDeps,
  caller: Extract<Identity, { kind: 'user' }>,
  tenantId: TenantId,
  team: { readonly id: string; readonly name: string },
  roster: { readonly people: readonly RosterPerson[]; readonly links: readonly TeamsUserLink[] },
): Promise<Decision<ProvisionedFromTeam>> {
  const known = new Set((await deps.stores.users.list(tenantId)).map((u) => u.value.id));
  const result = await provisionService(deps, caller, tenantId, {
    teamId: team.id,
    teamName: team.name,
    members: roster.people.filter((p) => known.has(p.userId)).map((p) => p.userId),
  });
  if (!result.ok) return result;
  await followTeamRoster(deps, tenantId, team.id, {
    joined: roster.people,
    left: [],
    links: roster.links,
  });
  const { service, created } = result.value;
  const [ou, own] = await Promise.all([
    deps.stores.orgUnits.get(orgUnitKey(tenantId, service.ouId)),
    deps.stores.memberships.get(membershipKey(tenantId, service.id, caller.userId)),
  ]);
  return allow({
    service,
    created,
    ouName: ou?.value.name ?? service.ouId,
    role: own?.value.role ?? null,
  });
}
