import { strict as assert } from 'node:assert';
import { auditLicenses } from '../../core/domain/license-audit.js';
import { asTenantId } from '../../core/domain/ids.js';
import { createStores } from '../../core/store/stores.js';
import { testConnectionString, testStorage, uniquePrefix } from '../../test/azurite-fixture.js';
import { api, devToken } from '../../e2e/support/app-under-test.js';
import { startServerProcess, type Spawned } from '../../test/processes.js';

const T = 'race-tenant';
const USERS = Array.from({ length: 40 }, (_, i) => `agent-${String(i).padStart(2, '0')}`);

const startServer = (prefix: string) =>
  startServerProcess({
    TABLES_CONNECTION_STRING: testConnectionString(),
    TABLE_PREFIX: prefix,
    SEED: 'none',
  });

describe('two server processes racing for one license pool', function () {
  this.timeout(120_000);
  const prefix = uniquePrefix();
  let servers: (Spawned & { url: string })[] = [];

  before(async () => {
    servers = await Promise.all([startServer(prefix), startServer(prefix)]);
    const [a] = servers;
    if (!a) throw new Error('no server');
    const system = await devToken(a.url, { system: true });
    await api(a.url, 'PUT', `/tenants/${T}`, {
      token: system,
      body: { name: 'Race Ltd', state: 'Active' },
    });
    await api(a.url, 'PUT', `/tenants/${T}/ous/root`, {
      token: system,
      body: { name: 'Root', parentId: null },
    });
    for (const userId of ['admin', ...USERS]) {
      const roles = userId === 'admin' ? ['TenantAdmin'] : [];
      await api(a.url, 'PUT', `/tenants/${T}/users/${userId}`, {
        token: system,
        body: { displayName: userId, ouId: 'root', roles },
      });
    }
    await api(a.url, 'PUT', `/tenants/${T}/contingency`, { token: system, body: { Interact: 10 } });
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });

  it('given 40 concurrent assignments to a pool of 10, exactly 10 succeed and the rest are license_exhausted', async () => {
    const tokens = await Promise.all(
      servers.map((s) => devToken(s.url, { tenantId: T, userId: 'admin' })),
    );
    const replies = await Promise.all(
      USERS.map((userId, i) => {
        const server = servers[i % 2];
        if (!server) throw new Error('no server');
        return api(server.url, 'POST', `/tenants/${T}/licenses/changes`, {
          token: tokens[i % 2],
          body: { changes: [{ op: 'assign', license: 'Interact', userId }] },
        });
      }),
    );
    const statuses = replies.map((r) => (r.status === 200 ? 'ok' : r.body.error.code));
    assert.equal(statuses.filter((s) => s === 'ok').length, 10, statuses.join(','));
    assert.equal(statuses.filter((s) => s === 'license_exhausted').length, 30, statuses.join(','));

    const stores = createStores(testStorage(prefix));
    const tenantId = asTenantId(T);
    const [pools, users, services] = await Promise.all([
      stores.licensePools.list(tenantId),
      stores.users.list(tenantId),
      stores.services.list(tenantId),
    ]);
    assert.equal(pools.find((p) => p.value.license === 'Interact')?.value.used, 10);
    assert.equal(users.filter((u) => u.value.licenses.includes('Interact')).length, 10);
    assert.deepEqual(
      auditLicenses(
        pools.map((p) => p.value),
        users.map((u) => u.value),
        services.map((s) => s.value),
      ),
      [],
    );
  });
});
