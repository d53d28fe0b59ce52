import { NO_DISTRIBUTION } from '../../core/app/routing/distribution.js';
import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import type { AppDeps } from '../../core/app/app-deps.js';
import { ManualClock } from '../../core/app/clock.js';
import { DEMO } from '../../core/app/demo-tenant.js';
import { seedDemo } from '../../core/app/seed-demo.js';
import { asServiceId, asTaskId, asTenantId, asUserId, type UserId } from '../../core/domain/ids.js';
import { instantOf } from '../../core/domain/instant.js';
import { queuedTask, routingOf, type Task } from '../../core/domain/routing/task.js';
import { newAgentState } from '../../core/domain/routing/agent-state.js';
import { DEFAULT_SERVICE_SETTINGS } from '../../core/domain/service-settings.js';
import { markCardOp } from '../../core/store/card-rows.js';
import { serviceShard } from '../../core/domain/routing/task-id.js';
import { ROUTING_TABLE } from '../../core/store/routing-rows.js';
import { teamsUserKey } from '../../core/store/teams-link-rows.js';
import { createStores, type Stores } from '../../core/store/stores.js';
import { cachedTestStorage, testStorage, uniquePrefix } from '../../test/azurite-fixture.js';
import { PEOPLE } from '../../test/demo-people.js';
import { until } from '../../test/until.js';
import { teamsCardOutbox } from './card-sender.js';
import {
  CHAT_WAIT_MS,
  CHAT_WAIT_TRIES,
  DRAIN_TENANTS_AT_ONCE,
} from '../../core/app/routing/card-outbox.js';
import type { SentCard } from '../../core/domain/routing/cards.js';
import type { TeamsChannel } from './teams-channel.js';

const T = asTenantId(DEMO.tenant.id);
const ADELE = asUserId(PEOPLE.ADELE);
const NOW = instantOf(1_795_000_000_000);

/** A Teams channel that records what it was asked, and can do something while it posts. */
function recordingChannel(duringPost: () => Promise<void> = async () => {}) {
  const calls: { kind: 'post' | 'update'; userId: UserId }[] = [];
  const channel: TeamsChannel = {
    post: async (link): Promise<SentCard> => {
      calls.push({ kind: 'post', userId: link.userId });
      await duringPost();
      return { conversationId: `chat-${link.userId}`, activityId: `act-${calls.length}` };
    },
    update: (link) => {
      calls.push({ kind: 'update', userId: link.userId });
      return Promise.resolve();
    },
  };
  return { channel, calls };
}

describe('the card outbox (one drawer per tenant, drawn marks under ETags)', () => {
  let prefix: string;
  let stores: Stores;
  let task: Task;
  const instance = (
    channel: TeamsChannel,
    reach?: { reach(tenantId: unknown, userIds: readonly UserId[]): Promise<void> },
    drainGapMs?: number,
    pause?: (ms: number) => Promise<unknown>,
  ) => {
    const own = createStores(cachedTestStorage(prefix, { maxStalenessMs: 0 }));
    const clock = new ManualClock(NOW);
    const deps: AppDeps = {
      stores: own,
      clock,
      newId: randomUUID,
      distribution: NO_DISTRIBUTION,
    };
    return {
      stores: own,
      clock,
      sender: teamsCardOutbox({
        deps,
        channel,
        log: pino({ level: 'silent' }),
        ...(reach && { reach }),
        ...(drainGapMs !== undefined && { drainGapMs }),
        ...(pause && { pause }),
      }),
    };
  };
  const due = async () => (await stores.cards.outbox.due(T, 'all')).map((card) => card.userId);
  /** How to reach Adele in Teams: from her team (no chat yet), or her personal chat. */
  const linkAdele = (conversationId: string | null) =>
    stores.teamsLinks.users.upsert({
      tenantId: T,
      userId: ADELE,
      teamsId: '29:adele',
      name: 'Adele',
      serviceUrl: 'http://127.0.0.1:9/',
      botId: '28:bot',
      conversationId,
    });
  const forget = async (userId: UserId) => {
    const link = await stores.teamsLinks.users.get(teamsUserKey(T, userId));
    if (link) await stores.teamsLinks.users.delete(teamsUserKey(T, userId), link.etag);
  };
  const mark = (s: Stores) => s.commit([markCardOp(T, task.id, ADELE, NOW)]);

  beforeEach(async () => {
    prefix = uniquePrefix();
    stores = createStores(cachedTestStorage(prefix, { maxStalenessMs: 0 }));
    await seedDemo(stores, NOW);
    task = {
      ...queuedTask({
        tenantId: T,
        id: asTaskId(`${T}.card-test`),
        serviceId: asServiceId('svc-it-helpdesk'),
        modality: 'Call',
        subject: 'Printer on fire',
        externalId: null,
        link: null,
        priority: 'Normal',
        exit: 'DirectAvailable',
        enqueuedAt: NOW,
        routing: routingOf(DEFAULT_SERVICE_SETTINGS.distribution),
      }),
      state: 'Offered',
      offeredTo: [ADELE],
      offerExpiresAt: instantOf(NOW + 30_000),
    };
    await stores.routing.openTasks.insert(task);
    await linkAdele(null);
  });

  it('draws a card marked again while it was being drawn once more, and only then calls it drawn', async () => {
    let remarked = false;
    const { channel, calls } = recordingChannel(async () => {
      if (remarked) return;
      remarked = true;
      await mark(stores); // a step lands while Teams is answering
    });
    const { sender } = instance(channel);
    await mark(stores);
    await sender.kick(T);
    await until('drawn again', () => calls.length === 2);
    await until('nothing due', async () => (await due()).length === 0);
    assert.deepEqual(
      calls.map((c) => c.kind),
      ['post', 'update'],
      'posted once, then the newer mark redrew it in place',
    );
  });

  it('draws the card of a tenant on routing shards once, marked in the task’s shard and in people’s partition, and takes both marks out', async () => {
    prefix = uniquePrefix();
    stores = createStores(cachedTestStorage(prefix, { maxStalenessMs: 0 }));
    await seedDemo(stores, NOW, 4);
    const shard = serviceShard(task.serviceId, 4);
    const sharded = { ...task, id: asTaskId(`${T}.card-test-s${shard}`) };
    await stores.routing.openTasks.insert(sharded);
    await linkAdele(null);
    // A step of the task marks it in its shard; a step of Adele's (an ACW's end) in shard 0.
    await stores.commit([markCardOp(T, sharded.id, ADELE, NOW)]);
    await stores.commit([markCardOp(T, sharded.id, ADELE, NOW, null, 0)]);
    const inShards = async () =>
      (await stores.cards.outbox.due(T, 'all', 4)).flatMap((c) => c.rows);
    assert.equal((await inShards()).length, 2);
    const { channel, calls } = recordingChannel();
    const { sender } = instance(channel);
    await sender.kick(T);
    await until('both marks drawn', async () => (await inShards()).length === 0);
    assert.deepEqual(
      calls.map((c) => c.kind),
      ['post'],
      'one card, drawn once',
    );
  });

  it('lets one instance draw a tenant’s cards; another draws them once the first stops', async () => {
    const first = recordingChannel();
    const second = recordingChannel();
    const a = instance(first.channel);
    const b = instance(second.channel);
    await mark(stores);
    await a.sender.kick(T);
    assert.equal(first.calls.length, 1);
    await mark(stores);
    await b.sender.kick(T);
    assert.equal(second.calls.length, 0, 'the first instance holds the lease');
    assert.deepEqual(await due(), [ADELE], 'the mark waits for the lease holder');
    await a.sender.stop();
    await b.sender.kick(T);
    assert.deepEqual(
      second.calls.map((c) => c.kind),
      ['update'],
      'the second instance took over and redrew the card in place',
    );
    assert.deepEqual(await due(), []);
  });

  it('drains many tenants a few at a time, and every one of them', async () => {
    const { channel, calls } = recordingChannel();
    const others = Array.from({ length: 3 * DRAIN_TENANTS_AT_ONCE }, (_, i) =>
      asTenantId(`quiet-${i}`),
    );
    const { stores: own, sender } = instance(channel);
    // A drain's first request is its lease's read. Those reads are held until as many drains
    // as may run at once have started (or all have): unbounded, every drain starts before
    // any is let go, so the count does not depend on how fast storage answers.
    const leases = own.leases;
    const get = leases.get.bind(leases);
    let reading = 0;
    let most = 0;
    const asked = new Set<string>();
    let letGo!: () => void;
    const gate = new Promise<void>((resolve) => (letGo = resolve));
    leases.get = async (key) => {
      reading++;
      most = Math.max(most, reading);
      asked.add(key.partitionKey);
      if (reading >= DRAIN_TENANTS_AT_ONCE || asked.size === others.length + 1) letGo();
      try {
        await gate;
        return await get(key);
      } finally {
        reading--;
      }
    };
    await mark(stores);
    await sender.drainAll([...others, T]);
    assert.ok(most <= DRAIN_TENANTS_AT_ONCE, `${most} drains at once`);
    assert.equal(asked.size, others.length + 1, 'every tenant drained');
    assert.deepEqual(
      calls.map((c) => c.userId),
      [ADELE],
    );
  });

  it('pauses between drains only after one that drew, so a sweep over quiet tenants is quick', async () => {
    const { channel, calls } = recordingChannel();
    // An hour's pause: a drain of a quiet tenant that paused would time this test out.
    const { sender } = instance(channel, undefined, 3_600_000);
    const quiet = Array.from({ length: 20 }, (_, i) => asTenantId(`quiet-${i}`));
    await sender.drainAll(quiet); // each one's first look, its lease taken
    await sender.drainAll(quiet); // known quiet now
    assert.equal(calls.length, 0);
    await sender.stop();
  });

  it('pauses before going again when a step landed while it drew, even with nothing drawn', async () => {
    const { channel } = recordingChannel();
    const gapMs = 200;
    // The pause is held open until the test has made a storage round trip of its own: a
    // drain that went again without waiting for it would read meanwhile.
    const events: string[] = [];
    let paused!: () => void;
    const pauseStarted = new Promise<void>((resolve) => (paused = resolve));
    let letGo!: () => void;
    const gate = new Promise<void>((resolve) => (letGo = resolve));
    const pause = async (ms: number) => {
      events.push(`pause ${ms}`);
      paused();
      await gate;
      events.push('pause over');
    };
    const { stores: own, sender } = instance(channel, undefined, gapMs, pause);
    const outbox = own.cards.outbox;
    const read = outbox.due.bind(outbox);
    outbox.due = async (...args) => {
      events.push('read');
      const due = await read(...args);
      // A step of this instance lands while the first drain draws (nothing is due).
      if (events.filter((e) => e === 'read').length === 1)
        await own.routing.agents.upsert(newAgentState(T, ADELE, NOW));
      return due;
    };
    await own.routingIndex(T); // the routing rows in memory, so a step moves their version
    const kicked = sender.kick(T);
    await pauseStarted;
    await stores.cards.outbox.due(T, 'all');
    letGo();
    await kicked;
    assert.deepEqual(
      events,
      ['read', `pause ${gapMs}`, 'pause over', 'read'],
      'the drain went again for the step, after the pause',
    );
    await sender.stop();
  });

  it('draws a row written before rows said whether they are due', async () => {
    const { channel, calls } = recordingChannel();
    const { sender } = instance(channel);
    const raw = await testStorage(prefix).client(ROUTING_TABLE);
    const rowKey = `out:${task.id}:${ADELE}`;
    await raw.upsertEntity({ partitionKey: T, rowKey, markedAt: NOW }, 'Replace');
    await sender.kick(T);
    assert.deepEqual(
      calls.map((c) => c.kind),
      ['post'],
    );
    assert.deepEqual(await due(), []);
  });

  it('keeps the card of someone the bot cannot reach while the app is installed for them, and sends it once Teams tells of their chat', async () => {
    const { channel, calls } = recordingChannel();
    const reached: UserId[] = [];
    const sent = () => calls.map((c) => c.kind);
    const { sender } = instance(channel, {
      reach: (_t, userIds) => {
        reached.push(...userIds);
        return Promise.resolve();
      },
    });
    await forget(ADELE);
    await mark(stores);
    await sender.kick(T);
    assert.deepEqual(reached, [ADELE], 'the app is being installed for her');
    assert.deepEqual(sent(), []);
    assert.deepEqual(await due(), [ADELE], 'the card waits for her chat');
    // Teams tells the bot of the personal chat the installation made.
    await linkAdele('a:personal-chat');
    await sender.chatKnown(T, ADELE);
    assert.deepEqual(sent(), ['post']);
    assert.deepEqual(await due(), []);
  });

  it('drops the card of someone the bot cannot reach when Graph cannot install the app (not configured)', async () => {
    const { channel, calls } = recordingChannel();
    const { sender } = instance(channel);
    await forget(ADELE);
    await mark(stores);
    await sender.kick(T);
    assert.deepEqual(calls, []);
    assert.deepEqual(await due(), [], 'nothing to wait for');
  });

  it('gives the card of someone whose chat never comes up after a while, without asking the channel', async () => {
    const { channel, calls } = recordingChannel();
    const { sender, clock } = instance(channel, { reach: () => Promise.resolve() });
    await forget(ADELE);
    await mark(stores);
    await sender.kick(T);
    for (let look = 1; look <= CHAT_WAIT_TRIES; look++) {
      assert.deepEqual(await due(), [ADELE], `still waiting at look ${look}`);
      await clock.advance(CHAT_WAIT_MS);
      await sender.kick(T);
    }
    assert.deepEqual(await due(), [], 'given up');
    assert.deepEqual(calls, []);
  });
});
