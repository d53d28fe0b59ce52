import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO } from '../../core/app/demo-tenant.js';
import { api, devToken } from '../../e2e/support/app-under-test.js';
import { PEOPLE } from '../../test/demo-people.js';
import { startServerProcess, type Spawned } from '../../test/processes.js';

const T = DEMO.tenant.id;
const HELPDESK = 'svc-it-helpdesk';

/**
 * The embedded default (Azurite inside the app, data on disk) is what a small team runs on
 * one machine: `kill -9` of the app must not lose a write it acknowledged.
 */
describe('the app on its embedded Azurite, killed with kill -9', function () {
  // About 12 s: the app process starts twice, on its embedded Azurite with data on disk.
  this.timeout(180_000);
  let dataDir = '';
  let server: (Spawned & { url: string }) | undefined;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'crash-durability-'));
  });
  after(async () => {
    await server?.stop('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('given writes acknowledged right up to the kill, a restart on the same data finds every one', async () => {
    const start = () => startServerProcess({ DATA_DIR: dataDir, SEED: 'demo', LOG_LEVEL: 'error' });
    server = await start();
    const system = await devToken(server.url, { system: true });
    const alex = await devToken(server.url, { tenantId: T, userId: PEOPLE.ALEX });

    const created: string[] = [];
    const TASKS = 48; // under the service's limit of 50 open e-mails
    for (let n = 0; n < TASKS; n += 6) {
      const replies = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          api(server!.url, 'POST', `/tenants/${T}/services/${HELPDESK}/tasks`, {
            token: system,
            body: {
              modality: 'Email',
              subject: `Durable ${n + i}`,
              externalId: `durable-${n + i}`,
            },
          }),
        ),
      );
      for (const reply of replies) {
        assert.equal(reply.status, 201, JSON.stringify(reply.body));
        created.push(reply.body.taskId as string);
      }
    }
    // A setting, acknowledged last.
    const settings = await api(server.url, 'PATCH', `/tenants/${T}/services/${HELPDESK}/settings`, {
      token: alex,
      body: { distribution: { callingTimeoutSec: 47 } },
    });
    assert.equal(settings.status, 200, JSON.stringify(settings.body));

    await server.stop('SIGKILL');
    server = await start();
    const system2 = await devToken(server.url, { system: true });
    const alex2 = await devToken(server.url, { tenantId: T, userId: PEOPLE.ALEX });
    const lost: string[] = [];
    for (const taskId of created) {
      const reply = await api(server.url, 'GET', `/tasks/${taskId}`, { token: system2 });
      if (reply.status !== 200) lost.push(`${taskId}: ${reply.status}`);
    }
    assert.deepEqual(lost, [], `${lost.length} of ${created.length} acknowledged tasks lost`);
    const after = await api(server.url, 'GET', `/tenants/${T}/services/${HELPDESK}`, {
      token: alex2,
    });
    assert.equal(after.body.settings.distribution.callingTimeoutSec, 47);
  });
});
