// What the app relies on from its stores over a table account: every repository's contract,
// transactions across aggregates, and rows that do not fit. Run against Azurite
// (stores.int.test.ts) and the in-memory tables (memory-tables.test.ts).
import { strict as assert } from 'node:assert';
import { describeRepositoryContract } from '../../test/repository-contract.js';
import { uniquePrefix, type TestAccount } from '../../test/table-accounts.js';
import type { DirectoryUser } from '../domain/directory-user.js';
import { asOrgUnitId, asServiceId, asTaskId, asTenantId, asUserId } from '../domain/ids.js';
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
import { createServiceStore, serviceKey } from './table-service-store.js';
import { createMembershipStore, membershipKey } from './table-membership-store.js';
import { TENANCY_TABLE } from './json-column.js';
import { ROUTING_TABLE } from './routing-rows.js';
import { markCardOp } from './card-rows.js';
import { ConflictError } from './conflict-error.js';
import { newTenant } from '../domain/tenant-lifecycle.js';
import type { Membership, Service } from '../domain/service.js';
import { applyServicePatch, DEFAULT_SERVICE_SETTINGS } from '../domain/service-settings.js';

const aTenant = (n: number, tenant: string): Tenant =>
  newTenant(asTenantId(`${tenant}-${n}`), `Tenant ${n}`, 'Trial', instantOf(1_795_000_000_000 + n));

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
  licenses: n % 2 === 0 ? ['ContactCenterUser', 'Email'] : [],
  skills: n % 2 === 0 ? { english: 80 } : {},
});

const aService = (n: number, tenant: string): Service => ({
  tenantId: asTenantId(tenant),
  id: asServiceId(`svc-${n}`),
  name: `Service ${n}`,
  ouId: asOrgUnitId('ou-1'),
  license: 'EnterpriseRouting',
  assignmentType: n % 2 === 0 ? 'SkillBased' : 'TeamsBased',
  teamId: n % 2 === 0 ? null : `19:team-${n}@thread.tacv2`,
  phoneNumber: n % 2 === 0 ? '+41445550100' : null,
  createdAt: instantOf(1_795_000_000_000),
  settings: DEFAULT_SERVICE_SETTINGS,
});

const aMembership = (n: number, tenant: string): Membership => ({
  tenantId: asTenantId(tenant),
  serviceId: asServiceId('svc-1'),
  userId: asUserId(`user-${n}`),
  role: n === 1 ? 'Owner' : 'Member',
  active: n % 2 === 0,
  since: instantOf(1_795_000_000_000),
  activeSince: instantOf(1_795_000_000_000),
});

const aPool = (n: number, tenant: string): LicensePool => ({
  tenantId: asTenantId(tenant),
  license: LICENSES[n % LICENSES.length] ?? 'AdvancedRouting',
  total: 10 + n,
  used: n,
});

export function describeStoresContract(account: TestAccount): void {
  describeRepositoryContract<Tenant>(
    {
      name: 'Tenants',
      create: (storage) => createTenantStore(storage),
      aValue: aTenant,
      changed: (t) => ({ ...t, name: `${t.name} (renamed)`, state: 'Suspended' }),
      keyOf: (t) => tenantKey(t.id),
      manyPerPartition: false,
    },
    account,
  );

  describeRepositoryContract<OrgUnit>(
    {
      name: 'OrgUnits',
      create: (storage) => createOrgUnitStore(storage),
      aValue: anOrgUnit,
      changed: (ou) => ({ ...ou, name: `${ou.name} (renamed)`, parentId: asOrgUnitId('ou-9') }),
      keyOf: (ou) => orgUnitKey(ou.tenantId, ou.id),
      manyPerPartition: true,
    },
    account,
  );

  describeRepositoryContract<DirectoryUser>(
    {
      name: 'Users',
      create: (storage) => createUserStore(storage),
      aValue: aUser,
      changed: (u) => ({
        ...u,
        displayName: `${u.displayName} Jr.`,
        roles: ['TenantAdmin', 'OuAdmin'],
      }),
      keyOf: (u) => userKey(u.tenantId, u.id),
      manyPerPartition: true,
    },
    account,
  );

  describeRepositoryContract<LicensePool>(
    {
      name: 'LicensePools',
      create: (storage) => createLicensePoolStore(storage),
      aValue: aPool,
      changed: (p) => ({ ...p, used: p.used + 1 }),
      keyOf: (p) => licensePoolKey(p.tenantId, p.license),
      manyPerPartition: true,
    },
    account,
  );

  describeRepositoryContract<Service>(
    {
      name: 'Services',
      create: (storage) => createServiceStore(storage),
      aValue: aService,
      changed: (sv) => ({
        ...sv,
        license: 'ContactCenter',
        teamState: 'Archived',
        teamGroupId: '02bd9fd6-8f93-4758-87c3-1fb73740a315',
        deletingSince: instantOf(1_795_000_123_000),
        settings: applyServicePatch(sv.settings, {
          distribution: { acw: { enabled: true, seconds: 90 }, priority: 'High' },
        }),
      }),
      keyOf: (sv) => serviceKey(sv.tenantId, sv.id),
      manyPerPartition: true,
    },
    account,
  );

  describeRepositoryContract<Membership>(
    {
      name: 'Memberships',
      create: (storage) => createMembershipStore(storage),
      aValue: aMembership,
      changed: (m) => ({ ...m, active: !m.active, role: 'OwnerLimited' }),
      keyOf: (m) => membershipKey(m.tenantId, m.serviceId, m.userId),
      manyPerPartition: true,
    },
    account,
  );

  describe('transactions', () => {
    it('commit writes to several aggregates of one tenant together', async () => {
      const stores = createStores(account.storage(uniquePrefix()));
      const pool = await stores.licensePools.insert(aPool(0, 'tx'));
      await stores.commit([
        stores.services.insertOp(aService(1, 'tx')),
        stores.licensePools.replaceOp({ ...pool.value, used: pool.value.used + 1 }, pool.etag),
      ]);
      assert.ok(await stores.services.get(serviceKey(asTenantId('tx'), asServiceId('svc-1'))));
      assert.equal(
        (await stores.licensePools.get(licensePoolKey(asTenantId('tx'), pool.value.license)))?.value
          .used,
        pool.value.used + 1,
      );
    });

    it('given one stale ETag, then nothing of the transaction is written', async () => {
      const stores = createStores(account.storage(uniquePrefix()));
      const pool = await stores.licensePools.insert(aPool(0, 'tx'));
      await stores.licensePools.replace({ ...pool.value, total: 99 }, pool.etag);
      await assert.rejects(
        stores.commit([
          stores.services.insertOp(aService(1, 'tx')),
          stores.licensePools.replaceOp({ ...pool.value, used: 5 }, pool.etag),
        ]),
        ConflictError,
      );
      assert.equal(
        await stores.services.get(serviceKey(asTenantId('tx'), asServiceId('svc-1'))),
        undefined,
      );
      assert.equal(
        (await stores.licensePools.get(licensePoolKey(asTenantId('tx'), pool.value.license)))?.value
          .total,
        99,
      );
    });

    it('refuses writes to two tenants in one transaction', async () => {
      const stores = createStores(account.storage(uniquePrefix()));
      await assert.rejects(
        stores.commit([
          stores.services.insertOp(aService(1, 'a')),
          stores.services.insertOp(aService(2, 'b')),
        ]),
        RangeError,
      );
    });
  });

  describe('table storage', () => {
    it('keeps apps with different table prefixes apart on one account', async () => {
      const a = createStores(account.storage(uniquePrefix()));
      const b = createStores(account.storage(uniquePrefix()));
      await a.tenants.insert(aTenant(1, 'shared'));
      assert.equal(await b.tenants.get(tenantKey(asTenantId('shared-1'))), undefined);
      assert.ok(await a.tenants.get(tenantKey(asTenantId('shared-1'))));
    });

    it('rejects a stored row that does not fit the domain instead of passing it on', async () => {
      const storage = account.storage(uniquePrefix());
      const client = await storage.client(TENANCY_TABLE);
      await client.createEntity({
        partitionKey: 'broken',
        rowKey: 'tenant',
        name: 'X',
        state: 'Sleeping',
        createdAt: 1,
        settings: '{}',
      });
      await assert.rejects(createTenantStore(storage).get(tenantKey(asTenantId('broken'))));
    });

    it('reads a card note only a newer version knows as no note, so its card still draws', async () => {
      const storage = account.storage(uniquePrefix());
      const client = await storage.client(ROUTING_TABLE);
      await client.createEntity({
        partitionKey: 'tenant-1',
        rowKey: 'out:task-1:user-1',
        markedAt: 1,
        note: 'aNoteFromTheFuture',
        due: true,
        attempts: 0,
      });
      const stores = createStores(storage);
      const [tenant, task, user] = [asTenantId('tenant-1'), asTaskId('task-1'), asUserId('user-1')];
      assert.equal((await stores.cards.outbox.pending(tenant, task, user))?.note, null);
      assert.equal((await stores.cards.outbox.due(tenant, 'all')).length, 1);
    });
  });

  describe('the card outbox', () => {
    const T = asTenantId('tenant-cards');
    const [TASK, OTHER, ADA] = [asTaskId('task-1'), asTaskId('task-2'), asUserId('ada')];

    it('reads a card marked again while it waits as one card: its newest mark, its newest note, its backoff kept', async () => {
      const stores = createStores(account.storage(uniquePrefix()));
      const { outbox } = stores.cards;
      await stores.commit([markCardOp(T, TASK, ADA, instantOf(10), 'declined')]);
      const [failed] = await outbox.due(T);
      assert.ok(failed);
      await stores.commit(outbox.retryOps(failed, { attempts: 2, notBefore: instantOf(500) }));
      await stores.commit([
        markCardOp(T, TASK, ADA, instantOf(20)),
        markCardOp(T, OTHER, ADA, instantOf(15)),
      ]);
      const cards = await outbox.due(T);
      assert.deepEqual(
        cards.map(({ taskId, markedAt, note, attempts, notBefore, rows }) => ({
          taskId,
          markedAt,
          note,
          attempts,
          notBefore,
          rows: rows.length,
        })),
        [
          { taskId: TASK, markedAt: 20, note: 'declined', attempts: 2, notBefore: 500, rows: 2 },
          { taskId: OTHER, markedAt: 15, note: null, attempts: 0, notBefore: null, rows: 1 },
        ],
      );
      assert.equal((await outbox.pending(T, TASK, ADA))?.note, 'declined');
      assert.equal(await outbox.pending(T, TASK, asUserId('bea')), undefined);
    });

    it('takes out exactly the marks a drawer read: one made meanwhile stays due, and nothing drawn is left behind', async () => {
      const stores = createStores(account.storage(uniquePrefix()));
      const { outbox } = stores.cards;
      await stores.commit([markCardOp(T, TASK, ADA, instantOf(10))]);
      const [read] = await outbox.due(T);
      assert.ok(read);
      // A step marks the card again while it is being drawn.
      await stores.commit([markCardOp(T, TASK, ADA, instantOf(11), 'missed')]);
      await stores.commit(read.rows.map((r) => outbox.drawnOp(r)));
      const [again, ...none] = await outbox.due(T);
      assert.deepEqual(none, []);
      assert.deepEqual([again?.markedAt, again?.note], [11, 'missed'], 'drawn again');
      assert.ok(again);
      await stores.commit(again.rows.map((r) => outbox.drawnOp(r)));
      assert.deepEqual(await outbox.due(T, 'all'), []);
      assert.deepEqual(await outbox.all(T), [], 'no row of a drawn card is kept');
      // Taking out a mark that went meanwhile (retention) fails as a whole, changing nothing.
      await stores.commit([markCardOp(T, OTHER, ADA, instantOf(12))]);
      const rows = [...read.rows, ...((await outbox.due(T))[0]?.rows ?? [])];
      await assert.rejects(stores.commit(rows.map((r) => outbox.drawnOp(r))), ConflictError);
      assert.equal((await outbox.due(T)).length, 1);
    });

    it('draws a row of an earlier version and keeps it marked drawn, under its ETag', async () => {
      const storage = account.storage(uniquePrefix());
      const stores = createStores(storage);
      const { outbox } = stores.cards;
      const client = await storage.client(ROUTING_TABLE);
      const row = { partitionKey: T, rowKey: `out:${TASK}:${ADA}`, markedAt: 5, due: true };
      await client.createEntity(row);
      assert.deepEqual(await outbox.due(T), [], 'not read unless asked for');
      const [card] = await outbox.due(T, true);
      assert.deepEqual([card?.taskId, card?.userId, card?.markedAt], [TASK, ADA, 5]);
      assert.ok(card);
      await client.upsertEntity({ ...row, markedAt: 6 }, 'Merge'); // an earlier version marks it again
      await assert.rejects(stores.commit(card.rows.map((r) => outbox.drawnOp(r))), ConflictError);
      const [again] = await outbox.due(T, true);
      assert.ok(again);
      await stores.commit(again.rows.map((r) => outbox.drawnOp(r)));
      assert.deepEqual(await outbox.due(T, 'all'), []);
      assert.equal((await outbox.all(T)).length, 1, 'kept, drawn, until retention purges it');
    });
  });
}
