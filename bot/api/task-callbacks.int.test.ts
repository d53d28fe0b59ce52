import { strict as assert } from 'node:assert';
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEMO } from '../../core/app/demo-tenant.js';
import { asTenantId } from '../../core/domain/ids.js';
import { createStores } from '../../core/store/stores.js';
import { startTestApp, type TestApp } from '../../test/app-harness.js';
import { testStorage } from '../../test/azurite-fixture.js';
import { PEOPLE } from '../../test/demo-people.js';
import { until } from '../../test/until.js';

const T = DEMO.tenant.id;
const { ALEX } = PEOPLE;
const HELPDESK = 'svc-it-helpdesk';

interface Received {
  readonly body: Record<string, unknown>;
  readonly raw: string;
  readonly headers: Record<string, string | string[] | undefined>;
}

/** A receiver on this machine: counts each POST, keeps those it takes (2xx), answers `answer`. */
async function receiver(answer: () => number = () => 200) {
  const received: Received[] = [];
  let attempts = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString();
      attempts++;
      const status = answer();
      if (status < 300) received.push({ body: JSON.parse(raw), raw, headers: req.headers });
      res.statusCode = status;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    attempts: () => attempts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * External tasks that report back (issue #22): a task's outcome events reach its callback
 * address from an outbox, signed, in order, retried until taken, none lost or sent twice.
 */
describe('task callbacks', () => {
  const apps: TestApp[] = [];
  const start = async (env: NodeJS.ProcessEnv = {}) => {
    const app = await startTestApp({ SEED: 'demo', CLOCK: 'manual', ...env });
    apps.push(app);
    return app;
  };
  const as = async (app: TestApp, method: string, path: string, body?: unknown) =>
    app.call(method, path, { token: await app.token({ tenantId: T, userId: ALEX }), body });
  const newTask = async (app: TestApp, callbackUrl: string, externalId?: string) => {
    const created = await as(app, 'POST', `/tenants/${T}/services/${HELPDESK}/tasks`, {
      modality: 'ExternalTask',
      subject: 'Ticket',
      callbackUrl,
      ...(externalId && { externalId }),
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return created.body.taskId as string;
  };
  /** Accepts as whoever it rings, then completes. */
  const handle = async (app: TestApp, taskId: string) => {
    const [ringing] = (await as(app, 'GET', `/tasks/${taskId}`)).body.offeredTo as string[];
    const token = await app.token({ tenantId: T, userId: ringing! });
    assert.equal((await app.call('POST', `/tasks/${taskId}/accept`, { token })).status, 200);
    assert.equal((await app.call('POST', `/tasks/${taskId}/complete`, { token })).status, 200);
    return ringing!;
  };
  const outbox = async (app: TestApp) => {
    const stores = createStores(testStorage(app.prefix));
    const partitions = await stores.routingPartitions(asTenantId(T));
    return (await Promise.all(partitions.map((p) => stores.callbacks.list(p)))).flat();
  };
  const advance = (app: TestApp, ms: number) =>
    app.call('POST', '/dev/clock', { body: { advanceMs: ms } });

  afterEach(async () => {
    for (const app of apps.splice(0).reverse()) await app.stop();
  });

  it('tells the address each outcome in order, signed with the tenant’s secret', async () => {
    const app = await start();
    const hook = await receiver();
    try {
      const taskId = await newTask(app, hook.url, 'INC-4711');
      const agent = await handle(app, taskId);
      await until('two events', () => hook.received.length === 2);
      assert.deepEqual(
        hook.received.map((r) => r.body.type),
        ['task.accepted', 'task.completed'],
      );
      const [accepted] = hook.received;
      assert.equal(accepted!.body.taskId, taskId);
      assert.equal(accepted!.body.externalId, 'INC-4711');
      assert.equal(accepted!.body.acceptedBy, agent);
      assert.equal(accepted!.headers['x-callback-event'], 'task.accepted');
      const secret = (await as(app, 'GET', `/tenants/${T}/callback-secret`)).body.secret as string;
      for (const r of hook.received) {
        const mac = createHmac('sha256', secret)
          .update(`${String(r.headers['x-callback-timestamp'])}.${r.raw}`)
          .digest('hex');
        assert.equal(r.headers['x-callback-signature'], `sha256=${mac}`);
        assert.equal(r.headers['x-callback-id'], r.body.id);
      }
      await until('the outbox emptied', async () => (await outbox(app)).length === 0);
      // A task canceled before anyone took it was abandoned.
      const left = await newTask(app, hook.url);
      assert.equal((await as(app, 'POST', `/tasks/${left}/cancel`)).status, 200);
      await until('the abandoned event', () => hook.received.length === 3);
      assert.equal(hook.received[2]!.body.type, 'task.abandoned');
      // A new secret signs what comes after it; only tenant admins see or change it.
      const replaced = await as(app, 'POST', `/tenants/${T}/callback-secret`);
      assert.notEqual(replaced.body.secret, secret);
      const megan = await app.token({ tenantId: T, userId: PEOPLE.MEGAN });
      const refused = await app.call('GET', `/tenants/${T}/callback-secret`, { token: megan });
      assert.equal(refused.status, 403);
    } finally {
      await hook.close();
    }
  });

  it('refuses an address it must not call, and changes nothing', async () => {
    const app = await start();
    for (const url of ['http://flows.example.com/x', 'https://10.0.0.8/x', 'ftp://x']) {
      const created = await as(app, 'POST', `/tenants/${T}/services/${HELPDESK}/tasks`, {
        modality: 'ExternalTask',
        subject: 'x',
        callbackUrl: url,
      });
      assert.equal(created.status, 400, url);
      assert.equal(created.body.error.details[0].field, 'callbackUrl');
    }
    const queue = await as(app, 'GET', `/tenants/${T}/services/${HELPDESK}/queue`);
    assert.equal(queue.body.waiting, 0);
  });

  it('retries an address that fails, and gives up on one that refuses', async () => {
    const app = await start();
    let failures = 1;
    const flaky = await receiver(() => (failures-- > 0 ? 503 : 200));
    const refusing = await receiver(() => 404);
    try {
      const taskId = await newTask(app, flaky.url);
      const gone = await newTask(app, refusing.url);
      await as(app, 'POST', `/tasks/${gone}/cancel`);
      await handle(app, taskId);
      // The retry waits its backoff on the app's clock (1 s at first).
      await until(
        'the retried events',
        async () => {
          await advance(app, 2_000);
          return flaky.received.length === 2;
        },
        20_000,
      );
      assert.deepEqual(
        flaky.received.map((r) => r.body.type),
        ['task.accepted', 'task.completed'],
        'in order, the later one waiting for the retried one',
      );
      await until('nothing left', async () => (await outbox(app)).length === 0);
      assert.equal(refusing.attempts(), 1, 'a 404 is not asked again');
      assert.equal(flaky.attempts(), 3, 'one failure, then each event once');
    } finally {
      await flaky.close();
      await refusing.close();
    }
  });

  it('two instances and a restart: every event arrives once, none lost', async () => {
    let down = true;
    const hook = await receiver(() => (down ? 503 : 200));
    try {
      const first = await start();
      const second = await start({ SEED: 'none', TABLE_PREFIX: first.prefix });
      const tasks: string[] = [];
      for (let i = 0; i < 4; i++) {
        const app = i % 2 ? second : first;
        const taskId = await newTask(app, hook.url, `ext-${i}`);
        tasks.push(taskId);
        await handle(app, taskId);
      }
      await until('all eight waiting', async () => (await outbox(first)).length === 8);
      // The first instance goes; the receiver comes back; a third instance starts.
      await first.stop();
      apps.splice(apps.indexOf(first), 1);
      down = false;
      const third = await start({ SEED: 'none', TABLE_PREFIX: first.prefix });
      await until(
        'every event',
        async () => {
          await advance(third, 2_000);
          await advance(second, 2_000);
          return hook.received.length >= 8 && (await outbox(third)).length === 0;
        },
        30_000,
      );
      const ids = hook.received.map((r) => r.body.id);
      assert.equal(new Set(ids).size, ids.length, 'none twice');
      assert.equal(ids.length, 8, 'none lost');
      for (const taskId of tasks)
        assert.deepEqual(
          hook.received.filter((r) => r.body.taskId === taskId).map((r) => r.body.type),
          ['task.accepted', 'task.completed'],
        );
    } finally {
      await hook.close();
    }
  });
});
