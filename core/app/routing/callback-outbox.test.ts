import { strict as assert } from 'node:assert';
import { createHmac } from 'node:crypto';
import { DEMO } from '../demo-tenant.js';
import { DRAIN_TENANTS_AT_ONCE } from './card-outbox.js';
import { asTaskId, asTenantId } from '../../domain/ids.js';
import { DEMO_START, inMemoryDemo } from '../../../test/demo-deps.js';
import {
  CallbackOutbox,
  CallbackRefused,
  GIVE_UP_AFTER_MS,
  nextAttempt,
  signedHeaders,
} from './callback-outbox.js';

const T = asTenantId(DEMO.tenant.id);

describe('the callback outbox’s rules', () => {
  it('signs the timestamp and body with the tenant’s secret', () => {
    const entry = { id: 'e1', eventType: 'task.completed', body: '{"id":"e1"}' };
    const headers = signedHeaders(entry, 'secret', 1_764_750_000_123);
    assert.equal(headers['x-callback-timestamp'], '1764750000');
    assert.equal(headers['x-callback-id'], 'e1');
    const expected = createHmac('sha256', 'secret').update('1764750000.{"id":"e1"}').digest('hex');
    assert.equal(headers['x-callback-signature'], `sha256=${expected}`);
  });

  it('retries what may pass later, with backoff doubling up to 10 minutes', () => {
    const max = () => 0.999_999;
    for (const status of [null, 408, 429, 500, 503]) {
      const next = nextAttempt(status, 1, 0, max);
      assert.ok('retryInMs' in next && next.retryInMs === 1_000, `${status}`);
    }
    const fifth = nextAttempt(500, 5, 0, max);
    assert.ok('retryInMs' in fifth && fifth.retryInMs === 15_999);
    const late = nextAttempt(500, 40, 0, max);
    assert.ok('retryInMs' in late && late.retryInMs === 599_999);
    const least = nextAttempt(500, 3, 0, () => 0);
    assert.ok('retryInMs' in least && least.retryInMs === 1_000);
  });

  it('gives up on a refusal or redirect at once, and on anything after 24 hours', () => {
    for (const status of [301, 400, 401, 404, 410])
      assert.ok('giveUp' in nextAttempt(status, 1, 0, Math.random), `${status}`);
    assert.ok('giveUp' in nextAttempt(500, 30, GIVE_UP_AFTER_MS, Math.random));
  });
});

describe('the callback outbox on the in-memory tables', () => {
  const entry = (id: string) => ({
    tenantId: T,
    taskId: asTaskId('task-1'),
    id,
    url: 'https://hooks.example.com/x',
    body: `{"id":"${id}"}`,
    eventType: 'task.accepted',
    attempts: 0,
    notBefore: null,
    createdAt: DEMO_START,
  });
  const log = {
    errors: [] as string[],
    error(_f: object, m: string) {
      this.errors.push(m);
    },
    warn() {},
  };

  it('gives up at once on an address the channel refuses, and sends the next event', async () => {
    const deps = await inMemoryDemo();
    await deps.stores.callbacks.insert(entry('0001'));
    await deps.stores.callbacks.insert(entry('0002'));
    let tries = 0;
    const outbox = new CallbackOutbox({
      deps,
      log,
      channel: {
        post: (_url, body) => {
          tries++;
          if (body.includes('0001'))
            return Promise.reject(new CallbackRefused('inside the network'));
          return Promise.resolve(204);
        },
      },
    });
    await outbox.kick(T);
    assert.equal(tries, 2);
    assert.deepEqual(await deps.stores.callbacks.list(T), []);
    assert.match(log.errors[0] ?? '', /given up: inside the network/);
    await outbox.stop();
  });

  it('sends the events of a tenant on routing shards from each task’s shard, in order per task', async () => {
    const deps = await inMemoryDemo(4);
    const inShard = (shard: number) => ({ taskId: asTaskId(`${T}.task-${shard}-s${shard}`) });
    for (const shard of [1, 2, 3, 4])
      for (const id of ['0001', '0002'])
        await deps.stores.callbacks.insert({ ...entry(`${shard}-${id}`), ...inShard(shard) });
    const sent: string[] = [];
    const outbox = new CallbackOutbox({
      deps,
      log,
      channel: {
        post: (_url, body) => {
          sent.push((JSON.parse(body) as { id: string }).id);
          return Promise.resolve(204);
        },
      },
    });
    await outbox.kick(T);
    assert.equal(sent.length, 8, 'every shard’s events');
    for (const shard of [1, 2, 3, 4])
      assert.deepEqual(
        sent.filter((id) => id.startsWith(`${shard}-`)),
        [`${shard}-0001`, `${shard}-0002`],
      );
    for (const partition of await deps.stores.routingPartitions(T))
      assert.deepEqual(await deps.stores.callbacks.list(partition), [], 'none left');
    await outbox.stop();
  });

  it('drains many tenants a few at a time, and every one of them', async () => {
    const deps = await inMemoryDemo();
    const callbacks = deps.stores.callbacks;
    const list = callbacks.list.bind(callbacks);
    let reading = 0;
    let most = 0;
    const asked = new Set<string>();
    callbacks.list = async (tenantId) => {
      reading++;
      most = Math.max(most, reading);
      asked.add(tenantId);
      try {
        await Promise.resolve(); // each list takes a turn, as a request would
        return await list(tenantId);
      } finally {
        reading--;
      }
    };
    const outbox = new CallbackOutbox({ deps, log, channel: { post: () => Promise.resolve(204) } });
    const tenants = Array.from({ length: 3 * DRAIN_TENANTS_AT_ONCE }, (_, i) =>
      asTenantId(`quiet-${i}`),
    );
    await outbox.drainAll(tenants);
    assert.equal(most, DRAIN_TENANTS_AT_ONCE);
    assert.equal(asked.size, tenants.length);
    await outbox.stop();
  });
});
