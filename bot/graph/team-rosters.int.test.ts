import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import selfsigned from 'selfsigned';
import { DEMO } from '../../core/app/demo-tenant.js';
import { api, devToken } from '../../e2e/support/app-under-test.js';
import { PEOPLE } from '../../test/demo-people.js';
import { fakeConnector } from '../../test/fake-connector.js';
import { graphEnv, startDemoGraphStandIn, type GraphStandIn } from '../../test/graph-standin.js';
import { until } from '../../test/until.js';
import { graphApps, type GraphApp } from '../../test/graph-apps.js';

const T = DEMO.tenant.id;
const { ALEX, MEGAN, ADELE, ISAIAH, PATTI, LYNNE } = PEOPLE;
const HELPDESK = 'svc-it-helpdesk'; // team-it-helpdesk; members: Megan (owner), Adele, Isaiah
const GROUP = '0d3e0000-0000-4000-8000-0000000000e7';
const TEAMS_APP_ID = '2f0c4a6e-1b3d-4e5f-8a7b-9c0d1e2f3a4b';

type App = GraphApp;

/**
 * Team rosters and personal chats through Microsoft Graph, end to end: the app in its own
 * process against the Graph stand-in (Microsoft's documented shapes) and a stand-in for the
 * Teams channel's connector, with Teams' activities posted to the bot as Teams posts them.
 */
describe('team rosters and chats through Microsoft Graph', function () {
  // About 5 s per test: an app process starts, and Graph and the bot exchange a dozen requests.
  this.timeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'svc-routing-rosters-'));
  let graph: GraphStandIn;
  let connector: Awaited<ReturnType<typeof fakeConnector>>;
  const apps = graphApps();

  beforeEach(async () => {
    graph = await startDemoGraphStandIn(dir, TEAMS_APP_ID);
    connector = await fakeConnector((seen) => ({ status: seen.method === 'POST' ? 201 : 200 }));
  });
  afterEach(async () => {
    await apps.stopAll();
    await graph.stop();
    await connector.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const start = (credential: NodeJS.ProcessEnv = { GRAPH_CLIENT_SECRET: graph.clientSecret }) =>
    apps.start(() => ({
      ...graphEnv(graph),
      ...credential,
      TEAMS_APP_ID,
      ROSTER_SYNC_SEC: '60',
    }));
  const { as, advance } = apps;

  /** Posts an activity to the bot as Teams would (dev mode: no channel token). */
  async function toBot(app: App, activity: object) {
    const reply = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        channelId: 'msteams',
        id: `activity-${Math.random()}`,
        timestamp: new Date().toISOString(),
        serviceUrl: connector.url,
        recipient: { id: '28:bot', name: 'Service Routing' },
        ...activity,
      }),
    });
    await reply.body?.cancel();
    assert.ok(reply.status < 300, `the bot answered ${reply.status}`);
  }
  /** A team event from Teams, which carries the team's group id. */
  const teamEvent = (app: App) =>
    toBot(app, {
      type: 'conversationUpdate',
      from: { id: '29:megan', aadObjectId: MEGAN },
      conversation: { id: '19:general@thread.tacv2', conversationType: 'channel', tenantId: T },
      channelData: {
        tenant: { id: T },
        team: { id: 'team-it-helpdesk', name: 'IT Helpdesk', aadGroupId: GROUP },
        eventType: 'teamRenamed',
      },
    });
  const members = async (app: App, viewer = ALEX) => {
    const board = await api(app.url, 'GET', `/tenants/${T}/services/${HELPDESK}/members`, {
      token: await as(app, viewer),
    });
    return board.body as {
      viewerMayEdit: boolean;
      members: { userId: string; role: string }[];
    };
  };
  const rolesOf = async (app: App) =>
    Object.fromEntries((await members(app)).members.map((m) => [m.userId, m.role]));

  it('repairs a team’s members from its roster in Graph, page by page: newcomers join, team owners own the service, leavers leave, guests get nothing', async () => {
    graph.teams.set(GROUP, [
      { userId: MEGAN, displayName: 'Megan Bowen', roles: ['owner'] },
      { userId: ISAIAH, displayName: 'Isaiah Langer', roles: ['owner'] },
      { userId: PATTI, displayName: 'Patti Fernandez', roles: [] },
      { userId: LYNNE, displayName: 'Lynne Robbins', roles: ['guest'] },
    ]); // Adele left the team while the bot was away
    const app = await start();
    assert.equal((await members(app, ISAIAH)).viewerMayEdit, false, 'a plain member, for now');
    await teamEvent(app);
    await advance(app, 60);
    await until('the roster repaired', async () => (await rolesOf(app))[PATTI] === 'Member');
    const roles = await rolesOf(app);
    assert.equal(roles[ADELE], undefined, 'left the team, left the service');
    assert.equal(roles[LYNNE], undefined, 'a guest gets nothing');
    assert.notEqual(roles[ISAIAH], 'Member', 'a team owner owns the service');
    assert.equal((await members(app, ISAIAH)).viewerMayEdit, true, 'and may manage it');
    const pages = graph.requests.filter((r) => r.path.startsWith(`/teams/${GROUP}/members`));
    assert.deepEqual(
      pages.slice(-2).map((r) => r.path),
      [`/teams/${GROUP}/members`, `/teams/${GROUP}/members?$skiptoken=2`],
      'two pages of two',
    );
    const status = await api(app.url, 'GET', `/tenants/${T}/presence`, {
      token: await as(app, ALEX),
    });
    assert.equal(status.body.rosterProblem, null);
    assert.ok(status.body.lastRosterAt, 'when the rosters were last read');
  });

  it('installs the app for a newcomer the bot cannot reach, and her invitation arrives in the chat Teams reports', async () => {
    for (const userId of [MEGAN, ADELE, ISAIAH])
      graph.setPresenceSilently(userId, 'Offline', 'Offline');
    graph.teams.set(GROUP, [
      { userId: MEGAN, displayName: 'Megan Bowen', roles: ['owner'] },
      { userId: ADELE, displayName: 'Adele Vance', roles: [] },
      { userId: ISAIAH, displayName: 'Isaiah Langer', roles: [] },
      { userId: PATTI, displayName: 'Patti Fernandez', roles: [] },
    ]);
    const app = await start();
    // Teams, once the app is installed for someone, tells the bot of their personal chat.
    graph.onInstall = (userId, chatId) =>
      void toBot(app, {
        type: 'conversationUpdate',
        from: { id: `29:${userId}`, aadObjectId: userId },
        conversation: { id: chatId, conversationType: 'personal', tenantId: T },
        channelData: { tenant: { id: T } },
        membersAdded: [{ id: '28:bot' }],
      });
    await teamEvent(app);
    await advance(app, 60);
    await until('the app installed for Patti', () => graph.installed.has(PATTI));
    const install = graph.requests.find(
      (r) => r.method === 'POST' && r.path.endsWith('/installedApps'),
    );
    assert.deepEqual(install?.body, {
      'teamsApp@odata.bind': `${graph.graph}/appCatalogs/teamsApps/${graph.app.id}`,
    });
    assert.deepEqual([...graph.installed.keys()], [PATTI], 'the others are reachable already');
    const chatId = graph.installed.get(PATTI)?.chatId ?? '';

    const created = await api(app.url, 'POST', `/tenants/${T}/services/${HELPDESK}/tasks`, {
      token: await devToken(app.url, { system: true }),
      body: { modality: 'Im', subject: 'Printer on fire' },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const invitation = () =>
      connector.seen.find(
        (s) =>
          s.method === 'POST' &&
          s.url.includes(`/v3/conversations/${encodeURIComponent(chatId)}/activities`) &&
          JSON.stringify(s.body).includes('Printer on fire'),
      );
    await until('Patti’s invitation in her new chat', () => invitation() !== undefined);
    assert.match(JSON.stringify(invitation()?.body), /"verb":"accept"/);
  });

  const presenceTest = async (app: App) => {
    const test = await api(app.url, 'POST', `/tenants/${T}/presence:test`, {
      token: await as(app, ALEX),
      body: { upn: 'adele@contoso.example' },
    });
    assert.equal(test.status, 200);
    assert.equal(test.body.ok, true, JSON.stringify(test.body));
    assert.equal(test.body.userId, ADELE);
  };

  it('signs in to Graph with no secret: the managed identity’s token is the app’s client assertion', async () => {
    // App Service's managed identity; the Entra app trusts it (no secret anywhere).
    const app = await start({
      GRAPH_MANAGED_IDENTITY_CLIENT_ID: 'c0ffee00-0000-4000-8000-000000000001',
      IDENTITY_ENDPOINT: graph.identity.endpoint,
      IDENTITY_HEADER: graph.identity.header,
    });
    await presenceTest(app);
  });

  it('signs in to Graph with a certificate of the app', async () => {
    const pair = await selfsigned.generate([{ name: 'commonName', value: 'service-routing' }], {
      keySize: 2048,
    });
    graph.trustClientCertificate(pair.cert);
    const pem = join(dir, 'graph-client.pem');
    writeFileSync(pem, `${pair.private}\n${pair.cert}`);
    const app = await start({ GRAPH_CLIENT_CERTIFICATE_PATH: pem });
    await presenceTest(app);
  });
});
