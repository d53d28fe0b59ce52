import { strict as assert } from 'node:assert';
import { EventSource } from 'eventsource';
import { DEMO } from '../../core/app/demo-tenant.js';
import { startTestApp, type TestApp } from '../../test/app-harness.js';
import { PEOPLE } from '../../test/demo-people.js';

const T = DEMO.tenant.id;
const { ALEX, MEGAN, ADELE } = PEOPLE;
const HELPDESK = 'svc-it-helpdesk';

interface StateEvent {
  now: string;
  presence: string;
  services: {
    serviceId: string;
    available: boolean;
    reasons: string[];
    stateSince: string | null;
  }[];
}

/** Opens `/me/events` as the tab does and collects its `state` events. */
function openFeed(app: TestApp, token: string) {
  const states: StateEvent[] = [];
  const waiters: (() => void)[] = [];
  const source = new EventSource(`${app.url}/api/v1/me/events`, {
    fetch: (input, init) =>
      fetch(input, { ...init, headers: { ...init.headers, authorization: `Bearer ${token}` } }),
  });
  source.addEventListener('state', (event) => {
    states.push(JSON.parse(event.data) as StateEvent);
    waiters.splice(0).forEach((wake) => wake());
  });
  /** Resolves with the first state event (from `from` on) that passes the check. */
  const next = async (check: (s: StateEvent) => boolean, from = 0): Promise<StateEvent> => {
    for (;;) {
      const found = states.slice(from).find(check);
      if (found) return found;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no such state event')), 5_000);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  };
  return { states, next, close: () => source.close() };
}

const helpdesk = (s: StateEvent) => s.services.find((x) => x.serviceId === HELPDESK);

describe('live views (CLOCK=manual)', () => {
  let app: TestApp;
  const token = (userId: string) => app.token({ tenantId: T, userId });

  beforeEach(async () => {
    app = await startTestApp({ SEED: 'demo', CLOCK: 'manual' });
  });
  afterEach(() => app.stop());

  it('streams my state at once, then every change of presence and ACW as it happens', async () => {
    const feed = openFeed(app, await token(ADELE));
    try {
      const first = await feed.next(() => true);
      assert.equal(helpdesk(first)?.available, true);
      await app.call('POST', '/dev/clock', { body: { advanceMs: 10_000 } });
      const alex = await token(ALEX);
      const put = await app.call('PUT', `/tenants/${T}/users/${ADELE}/presence`, {
        token: alex,
        body: { presence: 'DoNotDisturb' },
      });
      assert.equal(put.status, 200);
      const dnd = await feed.next((s) => helpdesk(s)?.reasons.includes('presence') === true);
      assert.equal(dnd.presence, 'DoNotDisturb');
      assert.equal(helpdesk(dnd)?.available, false);
      // the change starts a new time in state, on the server's clock
      assert.equal(helpdesk(dnd)?.stateSince, dnd.now);
      assert.equal(Date.parse(dnd.now) - Date.parse(first.now), 10_000);
      await app.call('POST', '/dev/clock', { body: { advanceMs: 65_000 } });
      const later = await feed.next((s) => s.now !== dnd.now, feed.states.indexOf(dnd) + 1);
      assert.equal(Date.parse(later.now) - Date.parse(dnd.now), 65_000);
      // time in state starts when the presence changed, not when the page looked
      assert.equal(helpdesk(later)?.stateSince, helpdesk(dnd)?.stateSince);
    } finally {
      feed.close();
    }
  });

  it('refuses a stream without a token like any other call', async () => {
    const reply = await app.call('GET', '/me/events');
    assert.equal(reply.status, 401);
    assert.equal(reply.body.error.code, 'unauthenticated');
  });

  it('lists a service’s members by name with availability and the reasons', async () => {
    await app.call('PUT', `/tenants/${T}/users/${ADELE}/presence`, {
      token: await token(ALEX),
      body: { presence: 'Away' },
    });
    const board = await app.call('GET', `/tenants/${T}/services/${HELPDESK}/members`, {
      token: await token(MEGAN),
    });
    assert.equal(board.status, 200);
    const adele = board.body.members.find((m: { userId: string }) => m.userId === ADELE);
    assert.equal(adele.displayName, 'Adele Vance');
    assert.equal(adele.available, false);
    assert.deepEqual(adele.reasons, ['presence']);
    assert.equal(adele.agent.presence, 'Away');
    const names = board.body.members.map((m: { displayName: string }) => m.displayName);
    assert.deepEqual(names, [...names].sort());
  });

  it('shows time in state only where the tenant’s data privacy settings allow it', async () => {
    const megan = await token(MEGAN);
    const look = async () => {
      const board = await app.call('GET', `/tenants/${T}/services/${HELPDESK}/members`, {
        token: megan,
      });
      const adele = board.body.members.find((m: { userId: string }) => m.userId === ADELE);
      const mine = (await app.call('GET', '/me/services', { token: megan })).body.find(
        (s: { serviceId: string }) => s.serviceId === HELPDESK,
      );
      return [adele.stateSince, adele.agent.changedAt, adele.agent.idleSince, mine.stateSince];
    };
    for (const time of await look()) assert.equal(typeof time, 'string');
    const hidden = await app.call('PATCH', `/tenants/${T}/settings`, {
      token: await token(ALEX),
      body: { dataPrivacy: { showTimeInState: false } },
    });
    assert.equal(hidden.status, 200, JSON.stringify(hidden.body));
    assert.deepEqual(await look(), [null, null, null, null]);
    const feed = openFeed(app, megan);
    try {
      const state = await feed.next(() => true);
      assert.equal(helpdesk(state)?.stateSince, null, 'nor in the live view');
    } finally {
      feed.close();
    }
  });

  it('names the service a member is busy in', async () => {
    const megan = await token(MEGAN);
    const created = await app.call('POST', `/tenants/${T}/services:provision`, {
      token: megan,
      body: { teamId: 'team-escalations', teamName: 'Escalations', members: [ADELE] },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const task = await app.call('POST', `/tenants/${T}/services/${created.body.serviceId}/tasks`, {
      token: megan,
      body: { modality: 'Call', subject: 'Outage' },
    });
    assert.equal(task.body.exit, 'DirectAvailable', JSON.stringify(task.body));
    const [busy] = (await app.call('GET', `/tasks/${task.body.taskId}`, { token: megan })).body
      .offeredTo as string[];
    const board = await app.call('GET', `/tenants/${T}/services/${HELPDESK}/members`, {
      token: megan,
    });
    for (const member of board.body.members as { userId: string; engagedIn: string | null }[])
      assert.equal(member.engagedIn, member.userId === busy ? 'Escalations' : null);
    const reasons = board.body.members.find((m: { userId: string }) => m.userId === busy).reasons;
    assert.deepEqual(reasons, ['busyElsewhere']);
  });

  it('an owner switching a member on distributes at once', async () => {
    const megan = await token(MEGAN);
    for (const userId of [MEGAN, ADELE, PEOPLE.ISAIAH])
      await app.call('PUT', `/tenants/${T}/services/${HELPDESK}/members/${userId}`, {
        token: megan,
        body: { active: false },
      });
    const created = await app.call('POST', `/tenants/${T}/services/${HELPDESK}/tasks`, {
      token: megan,
      body: { modality: 'Call', subject: 'Printer' },
    });
    assert.equal(created.body.state, 'Queued');
    await app.call('PUT', `/tenants/${T}/services/${HELPDESK}/members/${ADELE}`, {
      token: megan,
      body: { active: true },
    });
    const task = await app.call('GET', `/tasks/${created.body.taskId}`, { token: megan });
    assert.deepEqual(task.body.offeredTo, [ADELE]);
  });

  it('holds many live views open at once without a listener warning (each leaves when it closes)', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    const feeds = await Promise.all(
      Array.from({ length: 15 }, async () => openFeed(app, await token(ADELE))),
    );
    try {
      await Promise.all(feeds.map((feed) => feed.next(() => true)));
      // A warning is emitted on the next tick after the listener that crosses the limit.
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(
        warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message),
        [],
      );
    } finally {
      feeds.forEach((feed) => feed.close());
      process.off('warning', onWarning);
    }
  });
});

describe('GET /me', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ SEED: 'demo' });
  });
  after(() => app.stop());

  it('says who I am and what I administer', async () => {
    const alex = await app.call('GET', '/me', {
      token: await app.token({ tenantId: T, userId: ALEX }),
    });
    assert.equal(alex.status, 200);
    assert.equal(alex.body.displayName, 'Alex Wilber');
    assert.equal(alex.body.operator, false);
    assert.equal(alex.body.tenantName, DEMO.tenant.name);
    assert.deepEqual([alex.body.tenantAdmin, alex.body.ouAdmin], [true, false]);
    const megan = await app.call('GET', '/me', {
      token: await app.token({ tenantId: T, userId: MEGAN }),
    });
    assert.deepEqual([megan.body.tenantAdmin, megan.body.ouAdmin], [false, false]);
    const system = await app.call('GET', '/me', { token: await app.token({ system: true }) });
    assert.deepEqual(system.body, { operator: true, displayName: 'System operator' });
  });
});
