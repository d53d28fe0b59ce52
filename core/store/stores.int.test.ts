import { strict as assert } from 'node:assert';
// The app's server framework patches Node's HTTP parser when loaded; the contract must
// hold in a process that has it loaded, as the app's has (embedded Azurite runs in a worker).
import 'restify';
import { describeRepositoryContract } from '../../test/repository-contract.js';
import { testStorage } from '../../test/azurite-fixture.js';
import type { DirectoryUser } from '../domain/directory-user.js';
import { asOrgUnitId, asTenantId, asUserId } from '../domain/ids.js';
import { instantOf } from '../domain/instant.js';
import type { LicensePool } from '../domain/license.js';
import { LICENSES } from '../domain/license.js';
import type { OrgUnit } from '../domain/org-unit.js';
import type { Tenant } from '../domain/tenant.js';
import { createStores } from './stores.js';
import { createLicensePoolStore, licensePoolKey } from './table-license-pool-store.js';
import { createOrgUnitStore, orgUnitKey } from './table-org-unit-store.js';
import { createTenantStore, tenantKey } from './table-tenant-store.js';
import { createUserStore, userKey } from './table-user-store.js';

const aTenant = (n: number, tenant: string): Tenant => ({
  id: asTenantId(`${tenant}-${n}`),
  name: `Tenant ${n}`,
  state: 'Trial',
  createdAt: instantOf(1_795_000_000_000 + n),
});

const anOrgUnit = (n: number, tenant: string): OrgUnit => ({
  tenantId: asTenantId(tenant),
  id: asOrgUnitId(`ou-${n}`),
  name: `OU ${n}`,
  parentId: n === 1 ? null : asOrgUnitId('ou-1'),
});

const aUser = (n: number, tenant: string): DirectoryUser => ({
  tenantId: asTenantId(tenant),
  id: asUserId(`user-${n}`),
  displayName: `User ${n}`,
  ouId: asOrgUnitId('ou-1'),
  roles: n % 2 === 0 ? ['OuAdmin'] : [],
});

const aPool = (n: number, tenant: string): LicensePool => ({
  tenantId: asTenantId(tenant),
  license: LICENSES[n % LICENSES.length] ?? 'AdvancedRouting',
  total: 10 + n,
  used: n,
});

describeRepositoryContract<Tenant>({
  name: 'Tenants',
  create: () => createTenantStore(testStorage()),
  aValue: aTenant,
  changed: (t) => ({ ...t, name: `${t.name} (renamed)`, state: 'Suspended' }),
  keyOf: (t) => tenantKey(t.id),
  manyPerPartition: false,
});

describeRepositoryContract<OrgUnit>({
  name: 'OrgUnits',
  create: () => createOrgUnitStore(testStorage()),
  aValue: anOrgUnit,
  changed: (ou) => ({ ...ou, name: `${ou.name} (renamed)`, parentId: asOrgUnitId('ou-9') }),
  keyOf: (ou) => orgUnitKey(ou.tenantId, ou.id),
  manyPerPartition: true,
});

describeRepositoryContract<DirectoryUser>({
  name: 'Users',
  create: () => createUserStore(testStorage()),
  aValue: aUser,
  changed: (u) => ({
    ...u,
    displayName: `${u.displayName} Jr.`,
    roles: ['TenantAdmin', 'OuAdmin'],
  }),
  keyOf: (u) => userKey(u.tenantId, u.id),
  manyPerPartition: true,
});

describeRepositoryContract<LicensePool>({
  name: 'LicensePools',
  create: () => createLicensePoolStore(testStorage()),
  aValue: aPool,
  changed: (p) => ({ ...p, used: p.used + 1 }),
  keyOf: (p) => licensePoolKey(p.tenantId, p.license),
  manyPerPartition: true,
});

describe('table storage', () => {
  it('keeps apps with different table prefixes apart on one account', async () => {
    const a = createStores(testStorage());
    const b = createStores(testStorage());
    await a.tenants.insert(aTenant(1, 'shared'));
    assert.equal(await b.tenants.get(tenantKey(asTenantId('shared-1'))), undefined);
    assert.ok(await a.tenants.get(tenantKey(asTenantId('shared-1'))));
  });

  it('rejects a stored row that does not fit the domain instead of passing it on', async () => {
    const storage = testStorage();
    const client = await storage.client('Tenants');
    await client.createEntity({
      partitionKey: 'broken',
      rowKey: 'tenant',
      name: 'X',
      state: 'Sleeping',
      createdAt: 1,
    });
    await assert.rejects(createTenantStore(storage).get(tenantKey(asTenantId('broken'))));
  });
});
