import { strict as assert } from 'node:assert';
import {
  aMembership,
  anOrgTree,
  anOuAdmin,
  aPerson,
  aTenantAdmin,
  system,
} from '../../test/builders.js';
import {
  mayAdministerOu,
  mayAdministerTenant,
  mayChangeDistributionPolicy,
  mayEditService,
  mayManageServiceLicenses,
  mayManageUserLicense,
  mayReadService,
} from './access.js';
import type { Actor } from './actor.js';
import { asOrgUnitId } from './ids.js';
import { OrgTree } from './org-tree.js';
import type { Membership } from './service.js';

const tree = new OrgTree(anOrgTree());
const ou = asOrgUnitId;
const owner = aMembership('s', 'person', { role: 'Owner' });
const limited = aMembership('s', 'person', { role: 'OwnerLimited' });
const member = aMembership('s', 'person');

describe('access rules', () => {
  const cases: [string, () => unknown, boolean][] = [
    ['system administers the tenant', () => mayAdministerTenant(system), true],
    ['a tenant admin administers the tenant', () => mayAdministerTenant(aTenantAdmin()), true],
    [
      'an OU admin does not administer the tenant',
      () => mayAdministerTenant(anOuAdmin('sales')),
      false,
    ],
    [
      'an OU admin administers its own OU',
      () => mayAdministerOu(anOuAdmin('sales'), ou('sales'), tree),
      true,
    ],
    [
      'an OU admin administers OUs below its OU',
      () => mayAdministerOu(anOuAdmin('sales'), ou('emea'), tree),
      true,
    ],
    [
      'an OU admin does not administer a sibling OU',
      () => mayAdministerOu(anOuAdmin('sales'), ou('support'), tree),
      false,
    ],
    [
      'an OU admin does not administer the OU above',
      () => mayAdministerOu(anOuAdmin('sales'), ou('root'), tree),
      false,
    ],
    ['a person administers no OU', () => mayAdministerOu(aPerson(), ou('sales'), tree), false],
    [
      'a tenant admin manages service licenses',
      () => mayManageServiceLicenses(aTenantAdmin()),
      true,
    ],
    [
      'an OU admin never manages service licenses',
      () => mayManageServiceLicenses(anOuAdmin('root')),
      false,
    ],
    [
      'an OU admin manages user licenses in its subtree',
      () => mayManageUserLicense(anOuAdmin('sales'), ou('emea'), tree),
      true,
    ],
    [
      'an OU admin does not manage user licenses elsewhere',
      () => mayManageUserLicense(anOuAdmin('sales'), ou('support'), tree),
      false,
    ],
    [
      'an owner edits its service',
      () => mayEditService(aPerson(), ou('support'), tree, owner),
      true,
    ],
    [
      'a limited owner edits its service',
      () => mayEditService(aPerson(), ou('support'), tree, limited),
      true,
    ],
    [
      'a member does not edit the service',
      () => mayEditService(aPerson(), ou('support'), tree, member),
      false,
    ],
    [
      'a stranger does not edit the service',
      () => mayEditService(aPerson(), ou('support'), tree, undefined),
      false,
    ],
    [
      'an OU admin edits services in scope',
      () => mayEditService(anOuAdmin('sales'), ou('emea'), tree, undefined),
      true,
    ],
    [
      'an owner changes the distribution policy',
      () => mayChangeDistributionPolicy(aPerson(), ou('sales'), tree, owner),
      true,
    ],
    [
      'a limited owner may not change the distribution policy',
      () => mayChangeDistributionPolicy(aPerson(), ou('sales'), tree, limited),
      false,
    ],
    [
      'a member reads its service',
      () => mayReadService(aPerson(), ou('sales'), tree, member),
      true,
    ],
    [
      'a stranger does not read the service',
      () => mayReadService(aPerson(), ou('sales'), tree, undefined),
      false,
    ],
  ];
  for (const [name, check, allowed] of cases) {
    it(name, () => {
      const result = check() as { code: string } | null;
      if (allowed) assert.equal(result, null);
      else assert.equal(result?.code, 'forbidden');
    });
  }

  it('survives a cycle in stored OU data', () => {
    const cyclic = new OrgTree([
      { tenantId: 't' as never, id: ou('a'), name: 'a', parentId: ou('b') },
      { tenantId: 't' as never, id: ou('b'), name: 'b', parentId: ou('a') },
    ]);
    const admin: Actor = anOuAdmin('x');
    assert.equal(mayAdministerOu(admin, ou('a'), cyclic)?.code, 'forbidden');
    const m: Membership | undefined = undefined;
    assert.equal(mayReadService(admin, ou('a'), cyclic, m)?.code, 'forbidden');
  });
});
