import { strict as assert } from 'node:assert';
import { DEMO } from '../../core/app/demo-tenant.js';
import { startTestApp, type TestApp } from '../../test/app-harness.js';
import { PEOPLE } from '../../test/demo-people.js';

const T = DEMO.tenant.id;
const { ALEX, NESTOR } = PEOPLE;

/** Website chat's tenant settings and keys (issue #22): saved with the settings, keys apart. */
describe('website chat (Interact) settings and keys', () => {
  let app: TestApp;
  const call = async (who: string, method: string, path: string, body?: unknown) =>
    app.call(method, path, { token: await app.token({ tenantId: T, userId: who }), body });

  before(async () => {
    app = await startTestApp({ SEED: 'demo' });
  });
  after(() => app.stop());

  it('saves the section with the settings; a bad field changes nothing', async () => {
    const before = await call(ALEX, 'GET', `/tenants/${T}/settings`);
    assert.deepEqual(before.body.interact, {
      enabled: false,
      recoveryTimeoutSec: 20,
      authorization: 'None',
    });
    const on = await call(ALEX, 'PATCH', `/tenants/${T}/settings`, {
      interact: { enabled: true, recoveryTimeoutSec: 30, authorization: 'VerifyToken' },
    });
    assert.equal(on.status, 200, JSON.stringify(on.body));
    assert.deepEqual(on.body.interact, {
      enabled: true,
      recoveryTimeoutSec: 30,
      authorization: 'VerifyToken',
    });
    const snapshot = await app.snapshot(T);
    const bad = await call(ALEX, 'PATCH', `/tenants/${T}/settings`, {
      interact: { recoveryTimeoutSec: 90 },
      contact: { name: 'Ops' },
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.details[0].field, 'interact.recoveryTimeoutSec');
    assert.deepEqual(await app.snapshot(T), snapshot);
  });

  it('gives tenant admins the widget key and token secret; a refresh replaces only the one', async () => {
    const keys = await call(ALEX, 'GET', `/tenants/${T}/interact/keys`);
    assert.equal(keys.status, 200, JSON.stringify(keys.body));
    assert.match(keys.body.widgetKey, new RegExp(`^wk~${T}~[A-Za-z0-9_-]{24}$`));
    assert.ok(keys.body.tokenSecret.length >= 40);
    const again = await call(ALEX, 'GET', `/tenants/${T}/interact/keys`);
    assert.deepEqual(again.body, keys.body, 'the same until refreshed');
    const refreshed = await call(ALEX, 'POST', `/tenants/${T}/interact/keys`, {
      refresh: 'widgetKey',
    });
    assert.equal(refreshed.status, 200);
    assert.notEqual(refreshed.body.widgetKey, keys.body.widgetKey);
    assert.equal(refreshed.body.tokenSecret, keys.body.tokenSecret);
    const bad = await call(ALEX, 'POST', `/tenants/${T}/interact/keys`, { refresh: 'all' });
    assert.equal(bad.status, 400);
    assert.equal((await call(NESTOR, 'GET', `/tenants/${T}/interact/keys`)).status, 403);
  });
});
