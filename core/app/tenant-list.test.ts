// The operator's tenant list, in the unit tier (in-memory tables with the Azurite contracts).
import { strict as assert } from 'node:assert';
import { inMemoryDemo } from '../../test/demo-deps.js';
import { PEOPLE } from '../../test/demo-people.js';
import type { Identity } from '../domain/actor.js';
import { asTenantId, asUserId, type TenantId } from '../domain/ids.js';
import type { AppDeps } from './app-deps.js';
import { DEMO } from './demo-tenant.js';
import { listTenants, putContingency, putTenant } from './tenant-admin.js';

const SYSTEM: Identity = { kind: 'system' };

describe('the operator’s tenant list', () => {
  let deps: AppDeps;
  beforeEach(async () => {
    deps = await inMemoryDemo();
    for (const id of ['t-c', 't-a', 't-b'])
      await putTenant(deps, SYSTEM, { id: asTenantId(id), name: `Tenant ${id}`, state: 'Trial' });
    await putContingency(deps, SYSTEM, asTenantId('t-a'), { ContactCenter: 3 });
  });

  it('pages through every tenant by id, each with its state and pools, and nothing twice', async () => {
    const seen: string[] = [];
    let after: TenantId | null = null;
    let pages = 0;
    do {
      const page = await listTenants(deps, SYSTEM, { top: 2, after });
      assert.ok(page.ok);
      seen.push(...page.value.tenants.map((t) => t.tenant.id));
      after = page.value.next;
      pages++;
    } while (after !== null);
    assert.deepEqual(seen, [DEMO.tenant.id, 't-a', 't-b', 't-c'].sort());
    assert.equal(pages, 2);
    const first = await listTenants(deps, SYSTEM, { top: 50, after: null });
    assert.ok(first.ok);
    const a = first.value.tenants.find((t) => t.tenant.id === 't-a');
    assert.equal(a?.tenant.state, 'Trial');
    assert.deepEqual(
      a?.pools.map((p) => [p.license, p.total, p.used]),
      [['ContactCenter', 3, 0]],
    );
    assert.equal(first.value.next, null);
  });

  it('is the operator’s only: a tenant admin is refused', async () => {
    const admin: Identity = {
      kind: 'user',
      tenantId: asTenantId(DEMO.tenant.id),
      userId: asUserId(PEOPLE.ALEX),
      groups: [],
    };
    const refused = await listTenants(deps, admin, { top: 10, after: null });
    assert.equal(refused.ok ? 'allowed' : refused.refusal.code, 'forbidden');
  });
});
