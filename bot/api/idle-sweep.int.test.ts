import { strict as assert } from 'node:assert';
import { DEMO } from '../../core/app/demo-tenant.js';
import { asServiceId, asTenantId, asUserId } from '../../core/domain/ids.js';
import { agentKey } from '../../core/store/routing-rows.js';
import { createStores } from '../../core/store/stores.js';
import { membershipKey } from '../../core/store/table-membership-store.js';
import { startTestApp, type TestApp } from '../../test/app-harness.js';
import { cachedTestStorage } from '../../test/azurite-fixture.js';
import { PEOPLE } from '../../test/demo-people.js';
import { until } from '../../test/until.js';

const T = DEMO.tenant.id;
const { ALEX, MEGAN, ADELE, ISAIAH } = PEOPLE;
const HELPDESK = 'svc-it-helpdesk'; // members: Megan (owner), Adele, Isaiah

/**
 * The timer sweep runs every second for every tenant. When nothing fired and nothing
 * changed since the last distribution run, it asks storage only whether another instance
 * wrote; whatever another instance left undistributed still goes at the next sweep.
 */
describe('the timer sweep of an idle tenant (CLOCK=manual)', () => {
  let app: TestApp;
  const requests: string[] = [];
  const call = async (who: string, method: string, path: string, body?: unknown) =>
    app.call(method, path, { token: await app.token({ tenantId: T, userId: who }), body });
  const advance = (ms: number) => app.call('POST', '/dev/clock', { body: { advanceMs: ms } });
  const presence = async (userId: string, value: string) =>
    app.call('PUT', `/tenants/${T}/users/${userId}/presence`, {
      token: await app.token({ system: true }),
      body: { presence: value },
    });

  const start = async (env: NodeJS.ProcessEnv = {}) => {
    requests.length = 0;
    app = await startTestApp(
      { SEED: 'demo', CLOCK: 'manual', ...env },
      {
        onStorageRequest: (method, url) => {
          const { pathname, search } = new URL(url);
          requests.push(`${method} ${decodeURIComponent(pathname + search)}`);
        },
      },
    );
  };
  beforeEach(() => start());
  afterEach(() => app.stop());

  it('asks storage nothing per tenant: one read of the change feed, for all', async () => {
    const task = await call(MEGAN, 'POST', `/tenants/${T}/services/${HELPDESK}/tasks`, {
      modality: 'Call',
      subject: 'ringing while nothing else happens',
    });
    assert.equal(task.body.state, 'Offered');
    await advance(1000); // the sweep after the change runs and drains
    requests.length = 0;
    await advance(1000);
    assert.deepEqual(
      requests.map((r) => r.replace(/\/devstoreaccount1\/[a-z0-9]*Changes/, '/Changes')),
      ["GET /Changes()?$filter=PartitionKey eq 'feed'"],
      'the change feed, once for all: nobody else wrote the tenant (or added one to the ' +
        'tenant list, held in memory), so no stamps are read',
    );
  });

  /**
   * A task waits while nobody can take it, and the sweeps settle; then another instance
   * commits `change` (which lets Adele take it) and stops before it distributes. Checks
   * that the next sweep offered the task to Adele; with `fullLook`, a sweep of the
   * following ones (a change of the tenancy rows shows only at a sweep's full look, once
   * SWEEP_FULL_LOOK_MS has passed and the instance's cached view is checked again).
   */
  async function offeredAfterStoppedInstance(
    change: (stopped: ReturnType<typeof createStores>) => Promise<void>,
    fullLook = false,
  ) {
    const queued = await call(MEGAN, 'POST', `/tenants/${T}/services/${HELPDESK}/tasks`, {
      modality: 'Call',
      subject: 'waiting',
    });
    assert.equal(queued.body.state, 'Queued');
    await advance(1000);
    await advance(1000);
    await change(createStores(cachedTestStorage(app.prefix)));
    await offeredToAdele(queued.body.taskId, fullLook);
  }

  /**
   * Sweeps once (the clock one second on) and checks the task rings for Adele; with
   * `fullLook`, sweeps again at that time until it does (the clock standing still, so no
   * offer times out meanwhile).
   */
  async function offeredToAdele(taskId: string, fullLook: boolean) {
    await advance(1000);
    const seen = async () => (await call(ALEX, 'GET', `/tasks/${taskId}`)).body;
    if (fullLook)
      await until('a sweep looked at the tenancy rows again', async () => {
        await advance(0);
        return (await seen()).offeredTo?.[0] === ADELE;
      });
    const now = await seen();
    assert.deepEqual([now.state, now.offeredTo], ['Offered', [ADELE]]);
  }

  it('still distributes what another instance committed and left undistributed', async () => {
    for (const userId of [MEGAN, ADELE, ISAIAH]) await presence(userId, 'Offline');
    await offeredAfterStoppedInstance(async (stopped) => {
      const adele = await stopped.routing.agents.get(agentKey(asTenantId(T), asUserId(ADELE)));
      assert.ok(adele);
      await stopped.routing.agents.replace({ ...adele.value, presence: 'Available' }, adele.etag);
    });
  });

  it('looks at the tenancy rows too every while: a member another instance switched on gets the waiting task', async () => {
    await app.stop();
    await start({ SWEEP_FULL_LOOK_MS: '300' });
    for (const userId of [MEGAN, ISAIAH]) await presence(userId, 'Offline');
    const member = `/tenants/${T}/services/${HELPDESK}/members/${ADELE}`;
    assert.equal((await call(ALEX, 'PUT', member, { active: false })).status, 200);
    await offeredAfterStoppedInstance(async (stopped) => {
      const key = membershipKey(asTenantId(T), asServiceId(HELPDESK), asUserId(ADELE));
      const row = await stopped.memberships.get(key);
      assert.ok(row);
      await stopped.memberships.replace({ ...row.value, active: true }, row.etag);
    }, true);
  });

  it('withdraws the invitation of someone another instance took out of the service and stopped', async () => {
    await app.stop();
    await start({ SWEEP_FULL_LOOK_MS: '300' });
    const task = await call(MEGAN, 'POST', `/tenants/${T}/services/${HELPDESK}/tasks`, {
      modality: 'Call',
      subject: 'ringing for Megan',
    });
    assert.deepEqual(task.body.offeredTo, [MEGAN]);
    await advance(1000);
    const stopped = createStores(cachedTestStorage(app.prefix));
    const key = membershipKey(asTenantId(T), asServiceId(HELPDESK), asUserId(MEGAN));
    const row = await stopped.memberships.get(key);
    assert.ok(row);
    await stopped.memberships.delete(key, row.etag);
    await offeredToAdele(task.body.taskId, true); // far from the 30 s calling timeout
  });
});
