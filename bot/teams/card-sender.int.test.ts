import { routingPartition } from '../../core/store/routing-rows.js';
import { shardOfTask } from '../../core/domain/routing/task-id.js';
import { strict as assert } from 'node:assert';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { DEMO } from '../../core/app/demo-tenant.js';
import { asTenantId, asUserId } from '../../core/domain/ids.js';
import { createStores, type Stores } from '../../core/store/stores.js';
import { startTestApp, type TestApp } from '../../test/app-harness.js';
import { testStorage } from '../../test/azurite-fixture.js';
import { PEOPLE } from '../../test/demo-people.js';
import { until } from '../../test/until.js';
import { fakeConnector } from '../../test/fake-connector.js';

const T = DEMO.tenant.id;
const { MEGAN, ADELE, ISAIAH } = PEOPLE;

/** A Teams endpoint that has gone away without closing: it takes requests and never answers. */
async function silentConnector() {
  const sockets = new Set<Socket>();
  let received = 0;
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('data', () => received++);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    received: () => received,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** A logger whose JSON lines the test reads. */
function capturedLog() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n'))
        if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, log: pino({ level: 'info' }, sink) };
}

describe('the card sender (outbox → Teams)', () => {
  let app: TestApp;
  let stores: Stores;
  let connector: Awaited<ReturnType<typeof fakeConnector>>;
  const posts = () => connector.seen.filter((s) => s.method === 'POST');
  const waiting = async () =>
    stores.cards.outbox.due(asTenantId(T), false, await stores.routingShards(asTenantId(T)));

  async function linkPeople(serviceUrl: string) {
    for (const userId of [MEGAN, ADELE, ISAIAH])
      await stores.teamsLinks.users.upsert({
        tenantId: asTenantId(T),
        userId: asUserId(userId),
        teamsId: `29:${userId}`,
        name: userId,
        serviceUrl,
        botId: '28:bot',
        conversationId: `chat-${userId}`,
      });
  }
  async function taskForAdele(target: TestApp) {
    const system = await target.token({ system: true });
    for (const u of [MEGAN, ISAIAH])
      await target.call('PUT', `/tenants/${T}/users/${u}/presence`, {
        token: system,
        body: { presence: 'Offline' },
      });
    const created = await target.call('POST', `/tenants/${T}/services/svc-it-helpdesk/tasks`, {
      token: system,
      body: { modality: 'Call', subject: 'Printer on fire' },
    });
    assert.equal(created.status, 201);
    return created.body.taskId as string;
  }

  afterEach(async () => {
    await app?.stop();
    await connector?.close();
  });

  it('honours Retry-After on 429, then posts the invitation once and updates it in place', async function () {
    // About 7 s: botbuilder's connector client itself retries a 429 three times after
    // Retry-After, in real time (whole seconds, so 1 s at least each);
    // after that the outbox keeps the card and tries again once Retry-After has passed.
    this.timeout(30_000);
    let throttled = true;
    connector = await fakeConnector((s) =>
      s.method === 'POST' && throttled
        ? { status: 429, headers: { 'retry-after': '1' } }
        : { status: s.method === 'POST' ? 201 : 200 },
    );
    app = await startTestApp({ SEED: 'demo', CLOCK: 'manual' });
    stores = createStores(testStorage(app.prefix));
    await linkPeople(connector.url);
    const taskId = await taskForAdele(app);
    const failedOnce = async () => (await waiting()).some((card) => card.attempts === 1);
    await until('first send failed', failedOnce, 20_000);
    const tries = posts().length;
    assert.ok(tries > 1, 'the connector retried by itself first');
    throttled = false;
    const advance = (ms: number) => app.call('POST', '/dev/clock', { body: { advanceMs: ms } });
    // Before Retry-After runs out: the sweep the step sets off (and its drain, which the
    // answer waits for) makes no new attempt.
    await advance(500);
    assert.equal(posts().length, tries, 'waited for Retry-After');
    await advance(1000);
    await until('next attempt', () => posts().length === tries + 1);
    assert.match(
      posts()[tries]?.url ?? '',
      new RegExp(`/v3/conversations/chat-${ADELE}/activities`),
    );
    assert.match(JSON.stringify(posts()[tries]?.body), /Printer on fire/);
    await until(
      'card stored',
      async () =>
        (await stores.cards.cards.list(routingPartition(asTenantId(T), shardOfTask(taskId))))
          .length === 1,
    );

    const adele = await app.token({ tenantId: T, userId: ADELE });
    assert.equal((await app.call('POST', `/tasks/${taskId}/accept`, { token: adele })).status, 200);
    await until('card updated', () => connector.seen.some((s) => s.method === 'PUT'));
    const update = connector.seen.find((s) => s.method === 'PUT');
    assert.ok(update?.url.endsWith(`/activities/act-${tries + 1}`), update?.url);
    assert.match(JSON.stringify(update?.body), /You accepted this task/);
    await advance(60_000);
    assert.equal(posts().length, tries + 1, 'no invitation sent twice');
    assert.deepEqual(await waiting(), [], 'nothing left to draw');
  });

  it('two instances on the same tables post an invitation once', async () => {
    connector = await fakeConnector((s) => ({
      status: s.method === 'POST' ? 201 : 200,
      delayMs: 200,
    }));
    app = await startTestApp({ SEED: 'demo' });
    const other = await startTestApp({ TABLE_PREFIX: app.prefix });
    try {
      stores = createStores(testStorage(app.prefix));
      await linkPeople(connector.url);
      await taskForAdele(app);
      await until('posted', () => posts().length >= 1);
      // Both instances sweep the outbox every second; give them several chances to double up.
      await new Promise((r) => setTimeout(r, 2500));
      assert.equal(posts().length, 1);
      assert.deepEqual(await waiting(), [], 'nothing left to draw');
    } finally {
      await other.stop();
    }
  });

  it('a stop waits for no send: the card in flight stays due in the outbox', async () => {
    const silent = await silentConnector();
    try {
      app = await startTestApp({ SEED: 'demo' });
      stores = createStores(testStorage(app.prefix));
      await linkPeople(silent.url);
      await taskForAdele(app);
      await until('the invitation is on its way to Teams', () => silent.received() > 0);
      // Teams never answers: a stop that waited for the send would never end.
      const stopping = app;
      app = undefined as unknown as TestApp;
      await stopping.stop();
      const due = await waiting();
      assert.deepEqual(
        due.map((card) => card.userId),
        [ADELE],
        'the invitation waits for the next start',
      );
      assert.equal(due[0]?.attempts, 0, 'abandoned, not counted as a failed attempt');
    } finally {
      await silent.close();
    }
  });

  it('a failing send logs one line with its cause, never a stack', async () => {
    connector = await fakeConnector(() => ({ status: 403 }));
    const { lines, log } = capturedLog();
    app = await startTestApp({ SEED: 'demo' }, {}, log);
    stores = createStores(testStorage(app.prefix));
    await linkPeople(connector.url);
    await taskForAdele(app);
    await until('the failure is logged', () => lines.some((l) => /card/.test(String(l.msg))));
    const failures = lines.filter((l) => /card/.test(String(l.msg)));
    assert.equal(failures.length, 1, JSON.stringify(failures));
    const [line] = failures;
    assert.match(String(line?.msg), /card given up: the channel answered 403/);
    assert.match(String(line?.cause), /403/);
    assert.equal(line?.err, undefined, 'no error object with its stack');
    assert.doesNotMatch(JSON.stringify(line), /\n\s+at /);
  });
});
