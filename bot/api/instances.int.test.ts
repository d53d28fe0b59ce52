import { strict as assert } from 'node:assert';
import { DEMO } from '../../core/app/demo-tenant.js';
import { asServiceId, asTenantId, asUserId } from '../../core/domain/ids.js';
import { createStores } from '../../core/store/stores.js';
import { membershipKey } from '../../core/store/table-membership-store.js';
import { startTestApp, type TestApp } from '../../test/app-harness.js';
import { testStorage } from '../../test/azurite-fixture.js';
import { PEOPLE } from '../../test/demo-people.js';

const T = DEMO.tenant.id;
const { ALEX, MEGAN, ADELE, ISAIAH } = PEOPLE;
const HELPDESK = 'svc-it-helpdesk'; // members: Megan (owner), Adele, Isaiah

/**
 * Two instances on one set of tables, each keeping the tenant in memory, over HTTP. (The
 * routing use cases' other multi-instance cases run in the unit tier, in
 * core/app/routing/instances.test.ts and routing-unit.contract.ts.) Their reads may
 * be a minute old (CACHE_MAX_STALENESS_MS), so anything that works here works because the
 * stamps are checked where it matters, not because a read happened to be fresh.
 */
describe('two instances keeping the tenant in memory', () => {
  let first: TestApp;
  let second: TestApp;
  const call = async (app: TestApp, who: string, method: string, path: string, body?: unknown) =>
    app.call(method, path, { token: await app.token({ tenantId: T, userId: who }), body });
  const presence = async (app: TestApp, userId: string, value: string) =>
    app.call('PUT', `/tenants/${T}/users/${userId}/presence`, {
      token: await app.token({ system: true }),
      body: { presence: value },
    });

  beforeEach(async () => {
    first = await startTestApp({ SEED: 'demo', CACHE_MAX_STALENESS_MS: '60000' });
    second = await startTestApp({
      SEED: 'none',
      TABLE_PREFIX: first.prefix,
      CACHE_MAX_STALENESS_MS: '60000',
    });
    // Both have read the tenant's routing rows before anything below happens.
    for (const app of [first, second])
      assert.equal(
        (await call(app, ALEX, 'GET', `/tenants/${T}/services/${HELPDESK}/queue`)).status,
        200,
      );
  });
  afterEach(async () => {
    await second.stop();
    await first.stop();
  });

  it('switches someone Active on one instance right after the other switched them off', async () => {
    const path = `/tenants/${T}/services/${HELPDESK}/members/${ADELE}`;
    assert.equal((await call(first, ALEX, 'PUT', path, { active: false })).status, 200);
    const back = await call(second, ALEX, 'PUT', path, { active: true });
    assert.equal(back.status, 200, JSON.stringify(back.body));
    const stored = await createStores(testStorage(first.prefix)).memberships.get(
      membershipKey(asTenantId(T), asServiceId(HELPDESK), asUserId(ADELE)),
    );
    assert.equal(stored?.value.active, true, 'the second instance did not take it for a no-op');
  });

  /** A task the second instance last saw waiting, offered to Adele by the first since. */
  async function offeredSinceSecondLooked(): Promise<string> {
    for (const userId of [MEGAN, ADELE, ISAIAH]) await presence(first, userId, 'Offline');
    const queued = await call(first, MEGAN, 'POST', `/tenants/${T}/services/${HELPDESK}/tasks`, {
      modality: 'Call',
      subject: 'waiting',
    });
    const taskId = queued.body.taskId as string;
    assert.equal((await call(second, ALEX, 'GET', `/tasks/${taskId}`)).body.state, 'Queued');
    await presence(first, ADELE, 'Available');
    assert.deepEqual((await call(first, ALEX, 'GET', `/tasks/${taskId}`)).body.offeredTo, [ADELE]);
    return taskId;
  }

  it('lets Adele accept on one instance what the other offered her since it last looked', async () => {
    const taskId = await offeredSinceSecondLooked();
    const accepted = await call(second, ADELE, 'POST', `/tasks/${taskId}/accept`);
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
    assert.equal(accepted.body.acceptedBy, ADELE);
  });

  it('gives a license, on one instance, to a person the other added since it last looked', async () => {
    const system = async (app: TestApp) => app.token({ system: true });
    const added = await first.call('PUT', `/tenants/${T}/users/newcomer`, {
      token: await system(first),
      body: { displayName: 'New Comer', ouId: 'ou-support', roles: [] },
    });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    const given = await call(second, ALEX, 'POST', `/tenants/${T}/licenses/changes`, {
      changes: [{ op: 'assign', license: 'Interact', userId: 'newcomer' }],
    });
    assert.equal(given.status, 200, JSON.stringify(given.body));
  });
});
