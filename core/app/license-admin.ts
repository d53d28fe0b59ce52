import { decideOnTenancyThenDistribute } from './routing/distribution.js';
import { mayManageServiceLicenses, mayManageUserLicense } from '../domain/access.js';
import { isAdmin, isTenantAdmin, type Actor, type Identity } from '../domain/actor.js';
import type { DirectoryUser } from '../domain/directory-user.js';
import type { ServiceId, TenantId, UserId } from '../domain/ids.js';
import {
  applyLicenseChanges,
  type LicenseChange,
  type LicenseOutcome,
} from '../domain/license-changes.js';
import { LICENSES, licenseKind, licenseWords, type License } from '../domain/license.js';
import type { OrgTree } from '../domain/org-tree.js';
import {
  allow,
  forbidden,
  invalid,
  refuse,
  type Decision,
  type Refusal,
} from '../domain/refusal.js';
import type { Service } from '../domain/service.js';
import { membershipKey } from '../store/table-membership-store.js';
import type { Versioned } from '../store/table-repository.js';
import { MAX_TRANSACTION_OPS, type WriteOp } from '../store/table-transaction.js';
import { userKey } from '../store/table-user-store.js';
import type { AppDeps } from './app-deps.js';
import { loadTree } from './directory-admin.js';
import { resolveActor } from './resolve-actor.js';

/** Pools as used/total, plus who holds what, within what the caller administers. */
export async function readLicenses(deps: AppDeps, identity: Identity, tenantId: TenantId) {
  const access = await resolveActor(deps, identity, tenantId);
  if (!access.ok) return access;
  const { actor, tenant } = access.value;
  if (!isAdmin(actor))
    return refuse(forbidden('Only tenant admins and OU admins may see licenses.'));
  const [pools, users, services, tree] = await Promise.all([
    deps.stores.licensePools.list(tenantId),
    deps.stores.users.list(tenantId),
    deps.stores.services.list(tenantId),
    loadTree(deps, tenantId),
  ]);
  const byLicense = new Map(pools.map((p) => [p.value.license, p.value]));
  return allow({
    state: tenant.value.state,
    pools: LICENSES.map((license) => ({
      license,
      kind: licenseKind(license),
      total: byLicense.get(license)?.total ?? 0,
      used: byLicense.get(license)?.used ?? 0,
    })),
    users: users
      .map((u) => u.value)
      .filter((u) => mayManageUserLicense(actor, u.ouId, tree) === null),
    services: isTenantAdmin(actor) ? services.map((s) => s.value) : [],
  });
}

function roleCheck(actor: Actor, tree: OrgTree, users: ReadonlyMap<UserId, DirectoryUser>) {
  return (change: LicenseChange): Refusal | null => {
    if (change.target.kind === 'service' || licenseKind(change.license) === 'service')
      return mayManageServiceLicenses(actor);
    const user = users.get(change.target.id);
    return user ? mayManageUserLicense(actor, user.ouId, tree) : null;
  };
}

async function loadTargets<K extends string, T>(
  ids: readonly K[],
  get: (id: K) => Promise<Versioned<T> | undefined>,
) {
  const rows = await Promise.all([...new Set(ids)].map(async (id) => [id, await get(id)] as const));
  return new Map(rows.filter((r): r is readonly [K, Versioned<T>] => r[1] !== undefined));
}

function writesFor(
  deps: AppDeps,
  outcome: LicenseOutcome,
  etags: {
    pools: Map<License, string>;
    users: Map<UserId, string>;
    services: Map<ServiceId, string>;
  },
): WriteOp[] {
  const { stores } = deps;
  const etagOf = <K>(map: Map<K, string>, key: K) => map.get(key) ?? '';
  return [
    ...outcome.pools.map((p) =>
      etags.pools.has(p.license)
        ? stores.licensePools.replaceOp(p, etagOf(etags.pools, p.license))
        : stores.licensePools.insertOp(p),
    ),
    ...outcome.users.map((u) => stores.users.replaceOp(u, etagOf(etags.users, u.id))),
    ...outcome.services.map((s) => stores.services.replaceOp(s, etagOf(etags.services, s.id))),
    ...outcome.removedMemberships.map((m) =>
      stores.memberships.deleteOp(membershipKey(m.tenantId, m.serviceId, m.userId)),
    ),
  ];
}

/**
 * Staged license changes, saved all or nothing in one transaction that also guards every
 * pool by its ETag: two servers assigning from the same pool cannot both take its last license.
 */
export function changeLicenses(
  deps: AppDeps,
  identity: Identity,
  tenantId: TenantId,
  changes: readonly LicenseChange[],
  confirmIrreversible: boolean,
) {
  // A refusal ("not a user of this tenant", "already holds it") may rest on this
  // instance's view of rows another instance changed a moment ago: decided again if so.
  return decideOnTenancyThenDistribute(
    deps,
    tenantId,
    async (): Promise<Decision<LicenseOutcome>> => {
      const access = await resolveActor(deps, identity, tenantId);
      if (!access.ok) return access;
      const userIds = changes.flatMap((c) => (c.target.kind === 'user' ? [c.target.id] : []));
      // All services: a Contact Center removal must know which of the user's services are skill-based.
      const [pools, users, services, tree, memberships] = await Promise.all([
        deps.stores.licensePools.list(tenantId),
        loadTargets(userIds, (id) => deps.stores.users.get(userKey(tenantId, id))),
        deps.stores.services.list(tenantId),
        loadTree(deps, tenantId),
        deps.stores.memberships.list(tenantId),
      ]);
      const ledger = {
        pools: new Map(pools.map((p) => [p.value.license, p.value])),
        users: new Map([...users].map(([id, r]) => [id, r.value])),
        services: new Map(services.map((s) => [s.value.id, s.value])),
        memberships: memberships.map((m) => m.value).filter((m) => userIds.includes(m.userId)),
      };
      const decision = applyLicenseChanges(ledger, changes, {
        confirmIrreversible,
        mayChange: roleCheck(access.value.actor, tree, ledger.users),
      });
      if (!decision.ok) return decision;
      const ops = writesFor(deps, decision.value, {
        pools: new Map(pools.map((p) => [p.value.license, p.etag])),
        users: new Map([...users].map(([id, r]) => [id, r.etag])),
        services: new Map(services.map((s) => [s.value.id, s.etag])),
      });
      if (ops.length > MAX_TRANSACTION_OPS) {
        return refuse(
          invalid([
            {
              field: 'changes',
              message: `these changes need ${ops.length} writes; save at most ${MAX_TRANSACTION_OPS} at once (split them)`,
            },
          ]),
        );
      }
      await deps.stores.commit(ops);
      return decision;
    },
  );
}

/** Upgrade or downgrade one service's license (tenant admins), with the same rules as bulk changes. */
export async function changeServiceLicense(
  deps: AppDeps,
  identity: Identity,
  tenantId: TenantId,
  serviceId: ServiceId,
  license: License,
): Promise<Decision<Service>> {
  if (licenseKind(license) !== 'service')
    return refuse(
      invalid([{ field: 'license', message: `${licenseWords(license)} is not a service license` }]),
    );
  const decision = await changeLicenses(
    deps,
    identity,
    tenantId,
    [{ op: 'assign', license, target: { kind: 'service', id: serviceId } }],
    false,
  );
  if (!decision.ok) return decision;
  const service = decision.value.services[0];
  return service
    ? allow(service)
    : refuse(invalid([{ field: 'serviceId', message: 'nothing changed' }]));
}
