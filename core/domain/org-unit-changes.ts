import type { OrgUnitId } from './ids.js';
import type { OrgTree } from './org-tree.js';
import type { OrgUnit } from './org-unit.js';
import { allow, invalid, refuse, type Decision } from './refusal.js';

/** Creating or moving an OU: one root per tenant, a parent that exists, and no cycles. */
export function placeOrgUnit(tree: OrgTree, unit: OrgUnit): Decision<OrgUnit> {
  const root = tree.root();
  if (unit.parentId === null) {
    if (root && root.id !== unit.id)
      return refuse(
        invalid([
          {
            field: 'parentId',
            message: `the tenant already has a root OU (${root.id}); name a parent`,
          },
        ]),
      );
    return allow(unit);
  }
  if (!tree.has(unit.parentId))
    return refuse(
      invalid([{ field: 'parentId', message: `no OU ${unit.parentId} in this tenant` }]),
    );
  if (unit.parentId === unit.id || tree.isWithin(unit.parentId, unit.id)) {
    return refuse(invalid([{ field: 'parentId', message: 'an OU cannot be placed below itself' }]));
  }
  if (root?.id === unit.id)
    return refuse(invalid([{ field: 'parentId', message: 'the root OU stays the root' }]));
  return allow(unit);
}

export interface OuUsage {
  readonly users: number;
  readonly services: number;
}

export interface OuDeletion {
  /** The provisioning default after the deletion (moved one level up when it was this OU). */
  readonly defaultOuId: OrgUnitId | null;
}

/** An OU may go only when empty; if it was the provisioning default, the default moves up one level. */
export function deleteOrgUnit(
  tree: OrgTree,
  id: OrgUnitId,
  usage: OuUsage,
  defaultOuId: OrgUnitId | null,
): Decision<OuDeletion> {
  const unit = tree.get(id);
  const problem = (message: string) => refuse<OuDeletion>(invalid([{ field: 'ouId', message }]));
  if (!unit) return refuse({ code: 'not_found', message: `OU ${id} was not found.` });
  if (unit.parentId === null) return problem('the root OU cannot be deleted');
  if (tree.children(id).length) return problem('move or delete its sub-OUs first');
  if (usage.users) return problem(`move its ${usage.users} user(s) to another OU first`);
  if (usage.services) return problem(`move its ${usage.services} service(s) to another OU first`);
  return allow({ defaultOuId: defaultOuId === id ? unit.parentId : defaultOuId });
}
