import { localMonth } from '../domain/reporting/local-time.js';
import type { DirectoryUser } from '../domain/directory-user.js';
import { asOrgUnitId, asServiceId, asTenantId, asUserId, type TenantId } from '../domain/ids.js';
import type { Instant } from '../domain/instant.js';
import { auditLicenses } from '../domain/license-audit.js';
import { LICENSES, type License, type LicensePool } from '../domain/license.js';
import type { Membership, Service } from '../domain/service.js';
import { DEFAULT_SERVICE_SETTINGS } from '../domain/service-settings.js';
import { newTenant } from '../domain/tenant-lifecycle.js';
import { newAgentState } from '../domain/routing/agent-state.js';
import { DEFAULT_TENANT_SETTINGS } from '../domain/tenant-settings.js';
import { ConflictError } from '../store/conflict-error.js';
import type { Stores } from '../store/stores.js';
import { DEMO } from './demo-tenant.js';

export interface SeedReport {
  readonly created: number;
}

function demoRows(tenantId: TenantId, now: Instant) {
  const users: DirectoryUser[] = DEMO.users.map((u) => ({
    ...u,
    tenantId,
    id: asUserId(u.id),
    ouId: asOrgUnitId(u.ouId),
  }));
  const services: Service[] = DEMO.services.map((s) => ({
    tenantId,
    id: asServiceId(s.id),
    name: s.name,
    ouId: asOrgUnitId(s.ouId),
    license: s.license,
    assignmentType: s.assignmentType,
    teamId: s.teamId,
    phoneNumber: null,
    createdAt: now,
    settings: DEFAULT_SERVICE_SETTINGS,
  }));
  const memberships: Membership[] = DEMO.services.flatMap((s) =>
    s.members.map(([userId, role]) => ({
      tenantId,
      serviceId: asServiceId(s.id),
      userId: asUserId(userId),
      role,
      active: true,
      since: now,
      activeSince: now,
    })),
  );
  const held = (license: License) =>
    users.filter((u) => u.licenses.some((l) => l === license)).length +
    services.filter((s) => s.license === license).length;
  const pools: LicensePool[] = LICENSES.map((license) => ({
    tenantId,
    license,
    total: DEMO.contingency[license],
    used: held(license),
  }));
  return { users, services, memberships, pools };
}

/**
 * Creates the demo tenant with its OU tree, people, two services and a license
 * contingency whose counters match what is assigned, in ONE transaction: it is there
 * whole or not at all, and running it again (or from two instances at once) changes nothing.
 */
export async function seedDemo(
  stores: Stores,
  now: Instant,
  routingShards = 1,
): Promise<SeedReport> {
  const tenantId = asTenantId(DEMO.tenant.id);
  const tenant = {
    ...newTenant(tenantId, DEMO.tenant.name, 'Active', now),
    ...(routingShards > 1 && { routingShards }),
  };
  const settings = {
    ...DEFAULT_TENANT_SETTINGS,
    provisioning: { ...DEFAULT_TENANT_SETTINGS.provisioning, defaultOuId: DEMO.defaultOuId },
  };
  const { users, services, memberships, pools } = demoRows(tenantId, now);
  if (auditLicenses(pools, users, services).length)
    throw new Error('The demo data is inconsistent');
  const ops = [
    stores.tenants.insertOp({ ...tenant, settings }),
    ...DEMO.orgUnits.map((ou) =>
      stores.orgUnits.insertOp({
        tenantId,
        id: asOrgUnitId(ou.id),
        name: ou.name,
        parentId: ou.parentId === null ? null : asOrgUnitId(ou.parentId),
      }),
    ),
    ...users.map((u) => stores.users.insertOp(u)),
    ...services.map((s) => stores.services.insertOp(s)),
    ...memberships.map((m) => stores.memberships.insertOp(m)),
    // The demo people Active from the start count in this month's statistics.
    ...[...new Set(memberships.filter((m) => m.active).map((m) => m.userId))].map((userId) =>
      stores.activity.markOp({
        tenantId,
        month: localMonth(now, settings.general.timeZone),
        userId,
      }),
    ),
    ...pools.map((p) => stores.licensePools.insertOp(p)),
  ];
  await stores.tenantIndex.add(tenantId);
  await Promise.all(services.map((s) => stores.serviceIndex.add(tenantId, s.id)));
  const created = (await insertAllOrNothing(stores, ops)) ? ops.length : 0;
  // Demo people start Available in Teams (locally there is no presence feed).
  const agents = users.map((u) =>
    stores.routing.agents.insertOp(newAgentState(tenantId, u.id, now, 'Available')),
  );
  await insertAllOrNothing(stores, agents);
  return { created };
}

async function insertAllOrNothing(
  stores: Stores,
  ops: Parameters<Stores['commit']>[0],
): Promise<boolean> {
  try {
    await stores.commit(ops);
    return true;
  } catch (error) {
    if (error instanceof ConflictError) return false;
    throw error;
  }
}
