import { strict as assert } from 'node:assert';
import { DEMO } from '../../core/app/demo-tenant.js';
import { asTenantId } from '../../core/domain/ids.js';
import { createStores } from '../../core/store/stores.js';
import { api, devToken } from '../../e2e/support/app-under-test.js';
import { testConnectionString, testStorage, uniquePrefix } from '../../test/azurite-fixture.js';
import { startServerProcess, type Spawned } from '../../test/processes.js';
import { PEOPLE } from '../../test/demo-people.js';
import { until } from '../../test/until.js';

const T = DEMO.tenant.id;
const { ALEX } = PEOPLE;
const HELPDESK_MEMBERS = [PEOPLE.MEGAN, PEOPLE.ADELE, PEOPLE.ISAIAH];

describe('two server processes distributing one queue', function () {
  this.timeout(120_000);
  const prefix = uniquePrefix();
  let servers: (Spawned & { url: string })[] = [];
  const server = (i: number) => {
    const s = servers[i % servers.length];
    if (!s) throw new Error('no server');
    return s;
  };
  const tokenOn = (i: number, userId: string) => devToken(server(i).url, { tenantId: T, userId });

  before(async () => {
    const env = {
      TABLES_CONNECTION_STRING: testConnectionString(),
      TABLE_PREFIX: prefix,
      SEED: 'demo',
    };
    servers = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });

  it('given twelve tasks created at once on both servers, every person gets exactly one and none is lost', async () => {
    const megan = [await tokenOn(0, PEOPLE.MEGAN), await tokenOn(1, PEOPLE.MEGAN)];
    const created = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        api(server(i).url, 'POST', `/tenants/${T}/services/svc-it-helpdesk/tasks`, {
          token: megan[i % 2],
          body: { modality: 'Call', subject: `call ${i}` },
        }),
      ),
    );
    assert.deepEqual(
      created.map((c) => c.status),
      Array(12).fill(201),
    );
    const stores = createStores(testStorage(prefix));
    const open = (await stores.routing.openTasks.list(asTenantId(T))).map((t) => t.value);
    assert.equal(open.length, 12, 'no task lost');
    const offered = open.filter((t) => t.state === 'Offered');
    assert.equal(offered.length, 3);
    assert.deepEqual(
      offered.flatMap((t) => t.offeredTo).sort(),
      [...HELPDESK_MEMBERS].sort(),
      'each person one task, nobody two',
    );
    const agents = (await stores.routing.agents.list(asTenantId(T))).map((a) => a.value);
    for (const t of offered) {
      const agent = agents.find((a) => a.userId === t.offeredTo[0]);
      assert.equal(
        agent?.engagement?.taskId,
        t.id,
        'the person is held by exactly the task offered to them',
      );
    }
    for (const t of offered)
      await api(server(0).url, 'POST', `/tasks/${t.id}/cancel`, { token: megan[0] });
    for (const t of open.filter((x) => x.state === 'Queued'))
      await api(server(1).url, 'POST', `/tasks/${t.id}/cancel`, { token: megan[1] });
  });

  it('given a broadcast and everyone accepting on both servers at once, exactly one accept wins', async () => {
    const alex = await tokenOn(0, ALEX);
    await api(server(0).url, 'PATCH', `/tenants/${T}/services/svc-it-helpdesk/settings`, {
      token: alex,
      body: { distribution: { type: 'Broadcast' } },
    });
    // The other server learns of the change within its cache's staleness bound (500 ms).
    const changedAt = performance.now();
    const alexOn1 = await tokenOn(1, ALEX);
    for (;;) {
      // Judged by when each read was asked, not answered: a slow answer on a loaded machine
      // says nothing about the staleness bound.
      const askedAt = performance.now();
      const seen = await api(server(1).url, 'GET', `/tenants/${T}/services/svc-it-helpdesk`, {
        token: alexOn1,
      });
      if (seen.body.settings.distribution.type === 'Broadcast') break;
      assert.ok(askedAt - changedAt < 1_500, 'server 1 still has the old settings');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const created = await api(
      server(1).url,
      'POST',
      `/tenants/${T}/services/svc-it-helpdesk/tasks`,
      { token: await tokenOn(1, PEOPLE.MEGAN), body: { modality: 'Call', subject: 'race' } },
    );
    const taskId = created.body.taskId as string;
    assert.deepEqual([...created.body.offeredTo].sort(), [...HELPDESK_MEMBERS].sort());
    const attempts = await Promise.all(
      HELPDESK_MEMBERS.flatMap((userId) =>
        [0, 1].map(async (i) =>
          api(server(i).url, 'POST', `/tasks/${taskId}/accept`, {
            token: await tokenOn(i, userId),
          }),
        ),
      ),
    );
    assert.equal(
      attempts.filter((a) => a.status === 200).length,
      1,
      attempts.map((a) => a.status).join(','),
    );
    const winner = attempts.find((a) => a.status === 200)?.body.acceptedBy;
    const stores = createStores(testStorage(prefix));
    const agents = (await stores.routing.agents.list(asTenantId(T))).map((a) => a.value);
    const engaged = agents.filter((a) => a.engagement?.taskId === taskId);
    assert.deepEqual(
      engaged.map((a) => [a.userId, a.engagement?.kind]),
      [[winner, 'accepted']],
      'only the winner holds the task; the other invitations were withdrawn',
    );
  });

  it('given chats at once (two) and eight chats created at once on both servers, each person ends with exactly two and none is lost', async () => {
    const alex = await tokenOn(0, ALEX);
    const stores = createStores(testStorage(prefix));
    // What the test before left in someone's hands is ended first.
    for (const { value: t } of await stores.routing.openTasks.list(asTenantId(T)))
      await api(
        server(0).url,
        'POST',
        `/tasks/${t.id}/${t.state === 'Accepted' ? 'end' : 'cancel'}`,
        {
          token: alex,
          body: t.state === 'Accepted' ? { reason: 'test reset' } : {},
        },
      );
    const set = await api(
      server(0).url,
      'PATCH',
      `/tenants/${T}/services/svc-it-helpdesk/settings`,
      {
        token: alex,
        body: { distribution: { type: 'RoundRobin', chatsAtOnce: 2 } },
      },
    );
    assert.equal(set.status, 200, JSON.stringify(set.body));
    const created = await Promise.all(
      Array.from({ length: 8 }, async (_, i) =>
        api(server(i).url, 'POST', `/tenants/${T}/services/svc-it-helpdesk/tasks`, {
          token: await tokenOn(i, ALEX),
          body: { modality: 'Im', subject: `chat ${i}` },
        }),
      ),
    );
    assert.deepEqual(
      created.map((c) => c.status),
      Array(8).fill(201),
      JSON.stringify(created.map((c) => c.body)),
    );
    // Everyone accepts what rings for them, on alternating servers, all at once, until they
    // hold two (a server may show another's write up to its cache's staleness bound later).
    let turn = 0;
    const tookTwo = (userId: string) =>
      until(`${userId} holds two chats`, async () => {
        turn++;
        const mine = await api(server(turn).url, 'GET', '/me/state', {
          token: await tokenOn(turn, userId),
        });
        const ringing = mine.body.engagement;
        if (ringing?.kind === 'offered')
          await api(server(turn + 1).url, 'POST', `/tasks/${ringing.taskId}/accept`, {
            token: await tokenOn(turn + 1, userId),
          });
        return mine.body.chats.length === 2;
      });
    await Promise.all(HELPDESK_MEMBERS.map(tookTwo));
    const open = (await stores.routing.openTasks.list(asTenantId(T))).map((r) => r.value);
    const chats = open.filter((t) => t.subject.startsWith('chat '));
    assert.equal(chats.length, 8, 'no chat lost');
    assert.equal(chats.filter((t) => t.state === 'Accepted').length, 6);
    assert.equal(chats.filter((t) => t.state === 'Queued').length, 2);
    const agents = (await stores.routing.agents.list(asTenantId(T))).map((r) => r.value);
    for (const agent of agents.filter((a) => HELPDESK_MEMBERS.includes(a.userId)))
      assert.deepEqual(
        agent.chats.map((c) => c.taskId).sort(),
        chats
          .filter((t) => t.acceptedBy === agent.userId)
          .map((t) => t.id)
          .sort(),
        'the chats a person holds are exactly the chats accepted by them',
      );
  });
});
