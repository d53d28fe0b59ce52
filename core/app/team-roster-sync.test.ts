// The roster reconcile's rules in the unit tier (in-memory tables, a Graph answering from a
// table of rosters); the requests in Graph's shapes run against the Graph stand-in in
// bot/graph/presence-feed.int.test.ts.
import { strict as assert } from 'node:assert';
import { PEOPLE } from '../../test/demo-people.js';
import { inMemoryDemo } from '../../test/demo-deps.js';
import { asServiceId, asTenantId, asUserId, type UserId } from '../domain/ids.js';
import type { MemberRole } from '../domain/service.js';
import { teamOwnerRole } from '../domain/provisioning.js';
import { tenantKey } from '../store/table-tenant-store.js';
import { serviceKey } from '../store/table-service-store.js';
import { userKey } from '../store/table-user-store.js';
import type { AppDeps } from './app-deps.js';
import { DEMO } from './demo-tenant.js';
import { GraphProblem } from './graph-problem.js';
import { reconcileTeamRosters, type TeamRosterMember } from './team-roster-sync.js';
import { rememberTeamGroup } from './teams-roster.js';

const T = asTenantId(DEMO.tenant.id);
const HELPDESK = asServiceId('svc-it-helpdesk');
const GROUP = '5d6a0c1e-2b3f-4a5d-8e7f-901a2b3c4d5e';
const NEWCOMER = asUserId('0d3e0000-0000-4000-8000-00000000e001');
const person = (userId: string, name: string, more: Partial<TeamRosterMember> = {}) => ({
  userId: asUserId(userId),
  name,
  teamOwner: false,
  guest: false,
  ...more,
});

describe('team rosters reconciled from Graph (unit)', () => {
  let deps: AppDeps;
  let rosters: Map<string, TeamRosterMember[] | GraphProblem>;
  const asked: string[] = [];
  const graph = {
    members: (_tenantId: unknown, groupId: string) => {
      asked.push(groupId);
      const roster = rosters.get(groupId);
      if (roster instanceof GraphProblem) return Promise.reject(roster);
      return Promise.resolve(roster ?? []);
    },
  };
  const membersNow = async () =>
    new Map<UserId, MemberRole>(
      (await deps.stores.memberships.list(T, `${HELPDESK}:`)).map((m) => [
        m.value.userId,
        m.value.role,
      ]),
    );
  /** The helpdesk's members as the demo seeds them, with their names. */
  const seeded = async () =>
    Promise.all(
      [...(await membersNow()).keys()].map(async (id) =>
        person(id, (await deps.stores.users.get(userKey(T, id)))?.value.displayName ?? id),
      ),
    );

  beforeEach(async () => {
    asked.length = 0;
    rosters = new Map();
    deps = await inMemoryDemo();
  });

  it('leaves a service alone until Teams told its team’s group id, then reads that team', async () => {
    const none = await reconcileTeamRosters(deps, graph, T);
    assert.deepEqual(asked, [], 'no group id, no request');
    assert.equal(none.teams, 0);
    await rememberTeamGroup(deps, T, 'team-it-helpdesk', GROUP);
    const service = await deps.stores.services.get(serviceKey(T, HELPDESK));
    assert.equal(service?.value.teamGroupId, GROUP);
    rosters.set(GROUP, await seeded());
    const same = await reconcileTeamRosters(deps, graph, T);
    assert.deepEqual(asked, [GROUP]);
    assert.deepEqual(same, { teams: 1, joined: 0, left: 0, problem: null });
  });

  it('adds people the bot missed joining (owners as owners, new people into the directory) and removes people who left', async () => {
    await rememberTeamGroup(deps, T, 'team-it-helpdesk', GROUP);
    const [stays, leaves, ...rest] = await seeded();
    assert.ok(stays && leaves);
    rosters.set(GROUP, [
      stays,
      ...rest,
      person(NEWCOMER, 'Nora Newcomer', { teamOwner: true }),
      person(PEOPLE.PATTI, 'Patti Fernandez'),
    ]);
    const done = await reconcileTeamRosters(deps, graph, T);
    assert.deepEqual(done, { teams: 1, joined: 2, left: 1, problem: null });
    const members = await membersNow();
    assert.equal(members.has(leaves.userId), false, 'left the team, left the service');
    const tenant = await deps.stores.tenants.get(tenantKey(T));
    assert.ok(tenant);
    assert.equal(members.get(NEWCOMER), teamOwnerRole(tenant.value));
    assert.equal(members.get(asUserId(PEOPLE.PATTI)), 'Member');
    const nora = await deps.stores.users.get(userKey(T, NEWCOMER));
    assert.equal(nora?.value.displayName, 'Nora Newcomer', 'admitted to the directory');
    // Run again: nothing left to repair.
    assert.deepEqual(await reconcileTeamRosters(deps, graph, T), {
      teams: 1,
      joined: 0,
      left: 0,
      problem: null,
    });
  });

  it('makes team owners owners of the service and demotes nobody', async () => {
    await rememberTeamGroup(deps, T, 'team-it-helpdesk', GROUP);
    const before = await membersNow();
    const owner = [...before].find(([, role]) => role !== 'Member')?.[0];
    const member = [...before].find(([, role]) => role === 'Member')?.[0];
    assert.ok(owner && member);
    rosters.set(
      GROUP,
      (await seeded()).map((p) => ({ ...p, teamOwner: p.userId === member })),
    );
    await reconcileTeamRosters(deps, graph, T);
    const after = await membersNow();
    assert.notEqual(after.get(member), 'Member', 'the team owner is an owner now');
    assert.equal(after.get(owner), before.get(owner), 'no longer a team owner, still an owner');
  });

  it('gives guests nothing, and removes a member who is only a guest in the team', async () => {
    await rememberTeamGroup(deps, T, 'team-it-helpdesk', GROUP);
    const [guest, ...rest] = await seeded();
    assert.ok(guest);
    rosters.set(GROUP, [
      { ...guest, guest: true },
      ...rest,
      person(NEWCOMER, 'Gus Guest', { guest: true }),
    ]);
    await reconcileTeamRosters(deps, graph, T);
    const members = await membersNow();
    assert.equal(members.has(NEWCOMER), false);
    assert.equal(members.has(guest.userId), false);
    assert.equal(await deps.stores.users.get(userKey(T, NEWCOMER)), undefined);
  });

  it('changes nothing for a roster Graph refused or read empty, and says which team', async () => {
    await rememberTeamGroup(deps, T, 'team-it-helpdesk', GROUP);
    const before = await membersNow();
    rosters.set(GROUP, new GraphProblem(403, 'TeamMember.Read.All is not granted in this tenant.'));
    const refused = await reconcileTeamRosters(deps, graph, T);
    assert.equal(
      refused.problem,
      'Team rosters not read for the team of IT Helpdesk: TeamMember.Read.All is not granted in this tenant.',
    );
    rosters.set(GROUP, []);
    assert.equal((await reconcileTeamRosters(deps, graph, T)).problem, null);
    assert.deepEqual(await membersNow(), before);
  });

  it('skips a service whose team was deleted (its members stay as they were)', async () => {
    await rememberTeamGroup(deps, T, 'team-it-helpdesk', GROUP);
    const row = await deps.stores.services.get(serviceKey(T, HELPDESK));
    assert.ok(row);
    await deps.stores.services.replace({ ...row.value, teamState: 'Deleted' }, row.etag);
    rosters.set(GROUP, [person(NEWCOMER, 'Nora Newcomer')]);
    const done = await reconcileTeamRosters(deps, graph, T);
    assert.equal(done.teams, 0);
    assert.deepEqual(asked, []);
  });

  it('keeps a newcomer’s name to what the directory takes, however long Graph’s is', async () => {
    await rememberTeamGroup(deps, T, 'team-it-helpdesk', GROUP);
    rosters.set(GROUP, [...(await seeded()), person(NEWCOMER, `  ${'N'.repeat(500)}  `)]);
    await reconcileTeamRosters(deps, graph, T);
    const nora = await deps.stores.users.get(userKey(T, NEWCOMER));
    assert.equal(nora?.value.displayName, 'N'.repeat(200));
  });
});
