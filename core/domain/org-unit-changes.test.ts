import { strict as assert } from 'node:assert';
import { anOrgTree, anOrgUnit } from '../../test/builders.js';
import { asOrgUnitId } from './ids.js';
import { deleteOrgUnit, placeOrgUnit } from './org-unit-changes.js';
import { OrgTree } from './org-tree.js';

const tree = new OrgTree(anOrgTree()); // root -> (sales -> emea, support)
const ou = asOrgUnitId;
const empty = { users: 0, services: 0 };

describe('placeOrgUnit', () => {
  const cases: [string, ReturnType<typeof anOrgUnit>, boolean, RegExp?][] = [
    ['a new OU under an existing one', anOrgUnit('apac', 'sales'), true],
    ['renaming the root', anOrgUnit('root', null, 'Contoso Ltd'), true],
    ['moving an OU to another parent', anOrgUnit('emea', 'support'), true],
    ['a second root', anOrgUnit('other', null), false, /already has a root/],
    ['a missing parent', anOrgUnit('x', 'nowhere'), false, /no OU nowhere/],
    ['an OU below itself', anOrgUnit('sales', 'sales'), false, /below itself/],
    ['an OU below its own child (a cycle)', anOrgUnit('sales', 'emea'), false, /below itself/],
    ['the root under another OU', anOrgUnit('root', 'sales'), false, /below itself/],
  ];
  for (const [name, unit, ok, message] of cases) {
    it(`${ok ? 'allows' : 'refuses'} ${name}`, () => {
      const d = placeOrgUnit(tree, unit);
      assert.equal(d.ok, ok);
      if (!d.ok) {
        assert.equal(d.refusal.code, 'validation_failed');
        assert.match(d.refusal.message, message ?? /./);
      }
    });
  }
  it('allows the very first OU as root of an empty tenant', () =>
    assert.ok(placeOrgUnit(new OrgTree([]), anOrgUnit('root', null)).ok));
});

describe('deleteOrgUnit', () => {
  it('moves the provisioning default one level up when its OU goes', () => {
    const d = deleteOrgUnit(tree, ou('emea'), empty, ou('emea'));
    assert.ok(d.ok);
    assert.equal(d.value.defaultOuId, 'sales');
  });

  it('leaves another default alone', () => {
    const d = deleteOrgUnit(tree, ou('support'), empty, ou('emea'));
    assert.ok(d.ok);
    assert.equal(d.value.defaultOuId, 'emea');
  });

  const refusals: [string, string, { users: number; services: number }, RegExp][] = [
    ['the root', 'root', empty, /root OU cannot be deleted/],
    ['an OU with sub-OUs', 'sales', empty, /sub-OUs/],
    ['an OU with users', 'emea', { users: 2, services: 0 }, /2 user/],
    ['an OU with services', 'emea', { users: 0, services: 1 }, /1 service/],
  ];
  for (const [name, id, usage, message] of refusals) {
    it(`refuses ${name}`, () => {
      const d = deleteOrgUnit(tree, ou(id), usage, null);
      assert.ok(!d.ok);
      assert.match(d.refusal.message, message);
    });
  }

  it('answers not_found for an unknown OU', () => {
    const d = deleteOrgUnit(tree, ou('ghost'), empty, null);
    assert.ok(!d.ok && d.refusal.code === 'not_found');
  });
});
