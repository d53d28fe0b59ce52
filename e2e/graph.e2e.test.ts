import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO } from '../core/app/demo-tenant.js';
import { PEOPLE } from '../test/demo-people.js';
import { graphEnv, startDemoGraphStandIn, type GraphStandIn } from '../test/graph-standin.js';
import { freePort } from '../test/processes.js';
import { until } from '../test/until.js';
import { api, devToken, startBuiltApp, type RunningAppProcess } from './support/app-under-test.js';
import { startPlayground, type Playground } from './support/playground.js';

const T = DEMO.tenant.id;
const { ALEX, MEGAN, ADELE, ISAIAH, PATTI, LYNNE } = PEOPLE;
/** The Playground's team (.m365agentsplayground.yml), and its group id there. */
const TEAM = 'team-support-line';
const GROUP = '0d3e0000-0000-4000-8000-0000000000e1';

/**
 * Issue #17's "done when", as a new tenant would live it: a team is provisioned from Teams
 * (the Agents Playground) in a tenant with Microsoft Graph configured (the Graph stand-in).
 * Its members' presence comes from Teams, tasks go to whoever is free as presence changes,
 * and the team's co-owners own the service.
 */
describe('a new team in a tenant with Microsoft Graph (Playground and Graph stand-in)', function () {
  // Two processes start (the app, the Playground), then a dozen bot and Graph exchanges.
  this.timeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), 'svc-routing-graph-e2e-'));
  let graph: GraphStandIn;
  let app: RunningAppProcess;
  let pg: Playground;
  let serviceId: string;
  const as = (userId: string) => devToken(app.url, { tenantId: T, userId });

  before(async () => {
    graph = await startDemoGraphStandIn(dir);
    // Teams knows Megan and Isaiah as the team's owners (the Playground tells no roles).
    graph.teams.set(
      GROUP,
      DEMO.users
        .filter((u) => [ALEX, MEGAN, ADELE, ISAIAH, PATTI, LYNNE].includes(u.id))
        .map((u) => ({
          userId: u.id,
          displayName: u.displayName,
          roles: u.id === MEGAN || u.id === ISAIAH ? ['owner'] : [],
        })),
    );
    for (const [userId, availability, activity] of [
      [ALEX, 'Offline', 'Offline'],
      [MEGAN, 'Offline', 'Offline'],
      [ADELE, 'Available', 'Available'],
      [ISAIAH, 'Away', 'Away'],
      [PATTI, 'Busy', 'InACall'],
      [LYNNE, 'DoNotDisturb', 'Presenting'],
    ] as const)
      graph.setPresenceSilently(userId, availability, activity);
    const port = await freePort();
    app = await startBuiltApp({
      PORT: String(port),
      SEED: 'demo',
      CLOCK: 'manual',
      ...graphEnv(graph),
      GRAPH_CLIENT_SECRET: graph.clientSecret,
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    });
    pg = await startPlayground(app.port);
  });
  after(async () => {
    await pg?.stop();
    await app?.stop();
    await graph?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('provisions the team: its members’ presence is Teams’, and both team owners own the service', async () => {
    const policy = await api(app.url, 'PATCH', `/tenants/${T}/settings`, {
      token: await as(ALEX),
      body: { provisioning: { policy: 'Everyone' } },
    });
    assert.equal(policy.status, 200, JSON.stringify(policy.body));
    await pg.install(TEAM);
    const welcome = await pg.sent('welcome card', (s) => s.verbs.includes('provision'));
    const done = await pg.click(
      `${TEAM};messageid=${welcome.activityId}`,
      'user-megan',
      welcome.activityId,
      'provision',
    );
    assert.match(done.cardText, /Support Line is now a service/);
    const services = await api(app.url, 'GET', `/tenants/${T}/services`, { token: await as(ALEX) });
    serviceId =
      (services.body as { serviceId: string; name: string }[]).find(
        (s) => s.name === 'Support Line',
      )?.serviceId ?? '';
    assert.ok(serviceId, JSON.stringify(services.body));

    const board = await api(app.url, 'GET', `/tenants/${T}/services/${serviceId}/members`, {
      token: await as(ISAIAH),
    });
    const members = board.body as {
      viewerMayEdit: boolean;
      members: { userId: string; role: string; available: boolean }[];
    };
    const of = (userId: string) => members.members.find((m) => m.userId === userId);
    assert.equal(members.viewerMayEdit, true, 'Isaiah co-owns the team, so the service');
    assert.notEqual(of(ISAIAH)?.role, 'Member');
    assert.equal(of(ADELE)?.role, 'Member');
    assert.deepEqual(
      members.members.filter((m) => m.available).map((m) => m.userId),
      [ADELE],
      'only Adele is free in Teams',
    );
    // A co-owner manages the service.
    const settings = await api(app.url, 'PATCH', `/tenants/${T}/services/${serviceId}/settings`, {
      token: await as(ISAIAH),
      body: { distribution: { callingTimeoutSec: 45 } },
    });
    assert.equal(settings.status, 200, JSON.stringify(settings.body));
  });

  it('routes a task to whoever is free in Teams, and follows presence as it changes', async () => {
    assert.ok(serviceId, 'provisioned by the test before');
    await until('presence subscriptions', () => graph.subscriptions.size > 0);
    const created = await api(app.url, 'POST', `/tenants/${T}/services/${serviceId}/tasks`, {
      token: await devToken(app.url, { system: true }),
      body: { modality: 'Im', subject: 'Router blinking' },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const invited =
      (to: string) =>
      (s: { kind: string; to?: string; verbs: readonly string[]; cardText: string }) =>
        s.kind === 'post' &&
        s.to === to &&
        s.verbs.includes('accept') &&
        s.cardText.includes('Router blinking');
    await pg.sent('invitation to Adele', invited('user-adele'));
    // In Teams, Isaiah comes back and Adele starts presenting (Do not disturb, which
    // withdraws an invitation; Busy would not, as Teams shows Busy while a call rings): the
    // invitation moves to Isaiah.
    await graph.setPresence(ISAIAH, 'Available', 'Available');
    await graph.setPresence(ADELE, 'DoNotDisturb', 'Presenting');
    await pg.sent('invitation to Isaiah', invited('user-isaiah'));
  });
});
