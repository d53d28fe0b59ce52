import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO } from '../../core/app/demo-tenant.js';
import { api } from '../../e2e/support/app-under-test.js';
import { uniquePrefix } from '../../test/azurite-fixture.js';
import { PEOPLE } from '../../test/demo-people.js';
import { graphEnv, startDemoGraphStandIn, type GraphStandIn } from '../../test/graph-standin.js';
import { until } from '../../test/until.js';
import { graphApps, type GraphApp } from '../../test/graph-apps.js';

const T = DEMO.tenant.id;
const { ALEX, ADELE, ISAIAH } = PEOPLE;
const HELPDESK = 'svc-it-helpdesk'; // members: Megan (owner), Adele, Isaiah

type App = GraphApp;

/**
 * Teams presence from Microsoft Graph, end to end: the app in its own process (it trusts the
 * stand-in's certificate through NODE_EXTRA_CA_CERTS, as @azure/identity signs in over https
 * only) on the suite's Azurite, with CLOCK=manual, against a Graph stand-in that keeps
 * Microsoft's documented shapes.
 */
describe('presence from Microsoft Graph', function () {
  // About 3 s per test: an app process starts (and for two instances, two).
  this.timeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'svc-routing-graph-'));
  let graph: GraphStandIn;
  const apps = graphApps();

  beforeEach(async () => {
    graph = await startDemoGraphStandIn(dir);
  });
  afterEach(async () => {
    await apps.stopAll();
    await graph.stop();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const start = (options: { prefix?: string; publicUrl?: boolean; seed?: boolean } = {}) =>
    apps.start((port) => ({
      ...(options.prefix && { TABLE_PREFIX: options.prefix }),
      ...(options.seed === false && { SEED: 'none' }),
      ...graphEnv(graph),
      GRAPH_CLIENT_SECRET: graph.clientSecret,
      PRESENCE_POLL_SEC: '60',
      ...(options.publicUrl !== false && { PUBLIC_BASE_URL: `http://127.0.0.1:${port}` }),
    }));
  const { as, advance } = apps;
  /** Whether the helpdesk takes tasks for a person now, and why not, as they see it. */
  async function helpdesk(app: App, userId: string) {
    const reply = await api(app.url, 'GET', '/me/services', { token: await as(app, userId) });
    const services = reply.body as { serviceId: string; available: boolean; reasons: string[] }[];
    return services.find((s) => s.serviceId === HELPDESK);
  }
  const subscribed = () => until('a subscription', () => graph.subscriptions.size > 0);
  /** The presence feed as a tenant admin sees it. */
  const presenceStatus = async (app: App) =>
    (await api(app.url, 'GET', `/tenants/${T}/presence`, { token: await as(app, ALEX) })).body as {
      notifications: boolean;
      problem: string | null;
      lastPollAt: string | null;
    };
  /**
   * Sends a lifecycle event and waits until the app has taken it in: Graph is answered 202
   * at once and the event handled after, so a sweep asked for at once could come first.
   * Taking it in forgets the last full read (everyone is read again at the next turn).
   */
  const lifecycle = async (app: App, id: string, event: 'missed' | 'subscriptionRemoved') => {
    await until('a full read before', async () => (await presenceStatus(app)).lastPollAt !== null);
    assert.equal(await graph.lifecycle(id, event), 202);
    await until('the event taken in', async () => (await presenceStatus(app)).lastPollAt === null);
  };

  it('subscribes with the handshake, and a change notification reaches /me/services', async () => {
    const app = await start();
    await subscribed();
    const [subscription] = graph.subscriptions.values();
    assert.ok(subscription);
    assert.ok(subscription.userIds.includes(ADELE), 'the people of the services');
    assert.equal(subscription.tenantId, T);
    await graph.setPresence(ADELE, 'DoNotDisturb', 'Presenting');
    await until(
      'Adele not available',
      async () => (await helpdesk(app, ADELE))?.available === false,
    );
    assert.deepEqual((await helpdesk(app, ADELE))?.reasons, ['presence']);
    await graph.setPresence(ADELE, 'Available', 'Available');
    await until(
      'Adele available again',
      async () => (await helpdesk(app, ADELE))?.available === true,
    );
    const status = await api(app.url, 'GET', `/tenants/${T}/presence`, {
      token: await as(app, ALEX),
    });
    assert.equal(status.body.source, 'graph');
    assert.equal(status.body.notifications, true);
    assert.equal(status.body.problem, null);
  });

  it('ignores a notification with a wrong secret: nothing is read or changed for it', async () => {
    const app = await start();
    await subscribed();
    const [subscription] = graph.subscriptions.values();
    assert.ok(subscription);
    graph.setPresenceSilently(ADELE, 'Offline', 'Offline');
    graph.setPresenceSilently(ISAIAH, 'Away', 'Away');
    const reads = graph.requests.length;
    // One post holds a forged notification for Adele and Graph's own for Isaiah.
    const forged = await fetch(subscription.notificationUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        value: [
          {
            subscriptionId: subscription.id,
            clientState: 'guessed',
            tenantId: T,
            changeType: 'updated',
            resourceData: { id: ADELE },
          },
          {
            subscriptionId: subscription.id,
            clientState: subscription.clientState,
            tenantId: T,
            changeType: 'updated',
            resourceData: { id: ISAIAH },
          },
        ],
      }),
    });
    assert.equal(forged.status, 202);
    await until(
      'Isaiah away',
      async () => (await helpdesk(app, ISAIAH))?.reasons.includes('presence') === true,
    );
    assert.equal((await helpdesk(app, ADELE))?.available, true, 'Adele unchanged');
    const asked = graph.requests
      .slice(reads)
      .filter((r) => r.path === '/communications/getPresencesByUserId')
      .flatMap((r) => (r.body as { ids: string[] }).ids);
    assert.deepEqual(asked, [ISAIAH]);
  });

  it('polls when Graph refuses subscriptions, every PRESENCE_POLL_SEC, and says so', async () => {
    graph.refuseSubscriptions = true;
    const app = await start();
    const status = () => presenceStatus(app);
    await until('polled once', async () => (await status()).lastPollAt !== null);
    assert.match(
      (await status()).problem ?? '',
      /not available.*Presence\.Read\.All is not granted.*read every 60 s/,
    );
    graph.setPresenceSilently(ADELE, 'Away', 'Away');
    await advance(app, 30);
    assert.equal((await helpdesk(app, ADELE))?.available, true, 'not before the next poll');
    await advance(app, 30);
    await until(
      'Adele away after the poll',
      async () => (await helpdesk(app, ADELE))?.available === false,
    );
    assert.equal(graph.subscriptions.size, 0);
  });

  it('renews a subscription before it runs out (manual clock), and a removed one is made again', async () => {
    const app = await start();
    await subscribed();
    const [first] = graph.subscriptions.values();
    assert.ok(first);
    const expiry = Date.parse(first.expirationDateTime);
    await advance(app, 41 * 60);
    await until('renewed', () => graph.requests.some((r) => r.method === 'PATCH'));
    assert.ok(Date.parse(first.expirationDateTime) > expiry, 'expires later now');
    await lifecycle(app, first.id, 'subscriptionRemoved');
    await advance(app, 10);
    await until(
      'made again',
      () => graph.subscriptions.size === 1 && !graph.subscriptions.has(first.id),
    );
  });

  it('reads everyone again after a missed event', async () => {
    const app = await start();
    await subscribed();
    const [subscription] = graph.subscriptions.values();
    assert.ok(subscription);
    graph.setPresenceSilently(ADELE, 'Busy', 'InACall');
    await lifecycle(app, subscription.id, 'missed');
    await advance(app, 10);
    await until('Adele busy', async () => (await helpdesk(app, ADELE))?.available === false);
  });

  it('keeps one subscription set for two instances on one storage account', async () => {
    const prefix = uniquePrefix();
    const first = await start({ prefix });
    const second = await start({ prefix, seed: false });
    await subscribed();
    for (let i = 0; i < 3; i++) {
      await advance(first, 10);
      await advance(second, 10);
    }
    assert.equal(
      graph.requests.filter((r) => r.method === 'POST' && r.path === '/subscriptions').length,
      1,
    );
    // A notification may reach either instance; both apply it.
    const [subscription] = graph.subscriptions.values();
    assert.ok(subscription);
    await graph.setPresence(ADELE, 'Away', 'Away');
    await until(
      'Adele away on the second',
      async () => (await helpdesk(second, ADELE))?.available === false,
    );
  });

  it('waits out Graph’s 429 (Retry-After) and still reads presence', async () => {
    graph.throttleNext(2, 1);
    graph.setPresenceSilently(ADELE, 'Away', 'BeRightBack');
    // About 2 s: Retry-After is in real seconds.
    const app = await start({ publicUrl: false });
    await until('Adele away', async () => (await helpdesk(app, ADELE))?.available === false);
    assert.ok(
      graph.requests.filter((r) => r.path === '/communications/getPresencesByUserId').length >= 3,
    );
  });

  it('tests one person’s presence by UPN, and says in words why Graph cannot', async () => {
    const app = await start({ publicUrl: false });
    const test = async (upn: string) =>
      (
        await api(app.url, 'POST', `/tenants/${T}/presence:test`, {
          token: await as(app, ALEX),
          body: { upn },
        })
      ).body as Record<string, unknown>;
    graph.setPresenceSilently(ADELE, 'Busy', 'InAMeeting');
    assert.deepEqual(await test('adele@contoso.example'), {
      ok: true,
      userId: ADELE,
      displayName: DEMO.users.find((u) => u.id === ADELE)?.displayName,
      availability: 'Busy',
      activity: 'InAMeeting',
      presence: 'BusyInMeeting',
    });
    assert.deepEqual(await test('nobody@contoso.example'), {
      ok: false,
      problem: 'Nobody in this tenant signs in as nobody@contoso.example.',
    });
    graph.refuseReads = true;
    assert.match(
      String((await test('adele@contoso.example')).problem),
      /Presence\.Read\.All is not granted in this tenant/,
    );
    const member = await api(app.url, 'POST', `/tenants/${T}/presence:test`, {
      token: await as(app, ADELE),
      body: { upn: 'adele@contoso.example' },
    });
    assert.equal(member.status, 403);
    const bad = await api(app.url, 'POST', `/tenants/${T}/presence:test`, {
      token: await as(app, ALEX),
      body: { upn: 'not an address' },
    });
    assert.equal(bad.status, 400);
  });
});
