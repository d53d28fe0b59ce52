import { strict as assert } from 'node:assert';
import { DEMO } from '../../core/app/demo-tenant.js';
import { asTenantId } from '../../core/domain/ids.js';
import { createStores } from '../../core/store/stores.js';
import { api, devToken } from '../../e2e/support/app-under-test.js';
import { testConnectionString, testStorage, uniquePrefix } from '../../test/azurite-fixture.js';
import { startServerProcess, type Spawned } from '../../test/processes.js';
import { PEOPLE } from '../../test/demo-people.js';

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
      const seen = await api(server(1).url, 'GET', `/tenants/${T}/services/svc-it-helpdesk`, {
        token: alexOn1,
      });
      if (seen.body.settings.distribution.type === 'Broadcast') break;
      assert.ok(performance.now() - changedAt < 1_500, 'server 1 still has the old settings');
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
});
