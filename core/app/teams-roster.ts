import type { DirectoryUser } from '../domain/directory-user.js';
import { asOrgUnitId, type TenantId, type UserId } from '../domain/ids.js';
import type { Membership } from '../domain/service.js';
import { inactivityReason } from '../domain/tenant.js';
import { membershipKey } from '../store/table-membership-store.js';
import { serviceKey } from '../store/table-service-store.js';
import { tenantKey } from '../store/table-tenant-store.js';
import { MAX_TRANSACTION_OPS, type WriteOp } from '../store/table-transaction.js';
import type { AppDeps } from './app-deps.js';
import { loadTree } from './directory-admin.js';
import { retryOnConflict } from './retry-on-conflict.js';
import { serviceIdForTeam } from './service-provisioning.js';

/** A member of a team as Teams lists them: their Entra object id and name. */
export interface RosterPerson {
  readonly userId: UserId;
  readonly name: string;
}

async function commitInChunks(deps: AppDeps, ops: readonly WriteOp[]) {
  for (let i = 0; i < ops.length; i += MAX_TRANSACTION_OPS)
    await deps.stores.commit(ops.slice(i, i + MAX_TRANSACTION_OPS));
}

/**
 * Puts the people of a team roster the directory does not know yet into it, in the
 * tenant's default OU (or its root), with no role and no license: Teams vouches that they
 * are people of this tenant. Nothing happens for a tenant that is not set up or not running.
 */
export function admitRosterPeople(
  deps: AppDeps,
  tenantId: TenantId,
  people: readonly RosterPerson[],
) {
  return retryOnConflict(async (): Promise<readonly UserId[]> => {
    const tenant = await deps.stores.tenants.get(tenantKey(tenantId));
    if (!tenant || inactivityReason(tenant.value)) return [];
    const known = new Set((await deps.stores.users.list(tenantId)).map((u) => u.value.id));
    const unknown = people.filter((p) => !known.has(p.userId));
    if (!unknown.length) return [];
    const tree = await loadTree(deps, tenantId);
    const ouId = tenant.value.settings.provisioning.defaultOuId ?? tree.root()?.id;
    if (!ouId) return [];
    const users = unknown.map((p): DirectoryUser => ({
      tenantId,
      id: p.userId,
      displayName: p.name,
      ouId: asOrgUnitId(ouId),
      roles: [],
      licenses: [],
      skills: {},
    }));
    await commitInChunks(
      deps,
      users.map((u) => deps.stores.users.insertOp(u)),
    );
    return users.map((u) => u.id);
  });
}

/**
 * Keeps a provisioned team's service in step with the team: people who joined become
 * members (Active as the service's settings say), people who left stop being members.
 * A team that is not a service is left alone.
 */
export function followTeamRoster(
  deps: AppDeps,
  tenantId: TenantId,
  teamId: string,
  change: { readonly joined: readonly UserId[]; readonly left: readonly UserId[] },
) {
  return retryOnConflict(async (): Promise<boolean> => {
    const service = await deps.stores.services.get(serviceKey(tenantId, serviceIdForTeam(teamId)));
    if (!service) return false;
    const serviceId = service.value.id;
    const members = new Map(
      (await deps.stores.memberships.list(tenantId, `${serviceId}:`)).map((m) => [
        m.value.userId,
        m,
      ]),
    );
    const since = deps.clock.now();
    const active = service.value.settings.distribution.newUsersActive;
    const joined = [...new Set(change.joined)].filter((id) => !members.has(id));
    const ops: WriteOp[] = [
      ...joined.map((userId) =>
        deps.stores.memberships.insertOp({
          tenantId,
          serviceId,
          userId,
          role: 'Member',
          active,
          since,
        } satisfies Membership),
      ),
      ...[...new Set(change.left)].flatMap((id) =>
        members.has(id)
          ? [deps.stores.memberships.deleteOp(membershipKey(tenantId, serviceId, id))]
          : [],
      ),
    ];
    await commitInChunks(deps, ops);
    return true;
  });
}
