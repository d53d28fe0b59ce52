import { asOrgUnitId, asTenantId, asUserId } from '../domain/ids.js';
import type { Instant } from '../domain/instant.js';
import { LICENSES } from '../domain/license.js';
import { ConflictError } from '../store/conflict-error.js';
import type { Stores } from '../store/stores.js';
import { DEMO } from './demo-tenant.js';

export interface SeedReport {
  readonly created: number;
  readonly existing: number;
}

/**
 * Creates the demo tenant, its OU tree, people and license contingency. Each row is
 * inserted only if absent, so running it again (or from two instances at once) neither
 * duplicates nor overwrites anything an admin changed since.
 */
export async function seedDemo(stores: Stores, now: Instant): Promise<SeedReport> {
  const tenantId = asTenantId(DEMO.tenant.id);
  const inserts: (() => Promise<unknown>)[] = [
    () =>
      stores.tenants.insert({
        id: tenantId,
        name: DEMO.tenant.name,
        state: 'Active',
        createdAt: now,
      }),
    ...DEMO.orgUnits.map(
      (ou) => () =>
        stores.orgUnits.insert({
          tenantId,
          id: asOrgUnitId(ou.id),
          name: ou.name,
          parentId: ou.parentId === null ? null : asOrgUnitId(ou.parentId),
        }),
    ),
    ...DEMO.users.map(
      (u) => () =>
        stores.users.insert({
          tenantId,
          id: asUserId(u.id),
          displayName: u.displayName,
          ouId: asOrgUnitId(u.ouId),
          roles: u.roles,
        }),
    ),
    ...LICENSES.map(
      (license) => () =>
        stores.licensePools.insert({
          tenantId,
          license,
          total: DEMO.contingency[license],
          used: 0,
        }),
    ),
  ];
  let created = 0;
  for (const insert of inserts) {
    if (await insertIfAbsent(insert)) created++;
  }
  return { created, existing: inserts.length - created };
}

async function insertIfAbsent(insert: () => Promise<unknown>): Promise<boolean> {
  try {
    await insert();
    return true;
  } catch (error) {
    if (error instanceof ConflictError) return false;
    throw error;
  }
}
