import { strict as assert } from 'node:assert';
import { anOrgTree, anOrgUnit } from '../../test/builders.js';
import { asOrgUnitId } from './ids.js';
import { OrgTree } from './org-tree.js';

const idsOf = (tree: OrgTree, id: string) => tree.path(asOrgUnitId(id)).map((ou) => ou.id);

describe('OrgTree.path', () => {
  const tree = new OrgTree(anOrgTree()); // root -> (sales -> emea, support)

  it('runs from the root down to the unit', () => {
    assert.deepEqual(idsOf(tree, 'emea'), ['root', 'sales', 'emea']);
    assert.deepEqual(idsOf(tree, 'support'), ['root', 'support']);
    assert.deepEqual(idsOf(tree, 'root'), ['root']);
  });

  it('is empty for a unit the tree does not hold', () => {
    assert.deepEqual(idsOf(tree, 'nowhere'), []);
  });

  it('stops at a cycle in stored data instead of looping', () => {
    const cyclic = new OrgTree([anOrgUnit('a', 'b'), anOrgUnit('b', 'a')]);
    assert.deepEqual(idsOf(cyclic, 'a'), ['b', 'a']);
  });

  it('stops where a parent is missing', () => {
    const broken = new OrgTree([anOrgUnit('child', 'gone')]);
    assert.deepEqual(idsOf(broken, 'child'), ['child']);
  });
});
