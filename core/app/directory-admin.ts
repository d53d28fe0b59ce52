import { decideOnTenancyThenDistribute } from './routing/distribution.js';
import { mayAdministerOu } from '../domain/access.js';
import { isAdmin, type Identity } from '../domain/actor.js';
import type { AdminRole, DirectoryUser, Skills } from '../domain/directory-user.js';
import type { OrgUnitId, TenantId, UserId } from '../domain/ids.js';
import { OrgTree } from '../domain/org-tree.js';
import type { OrgUnit } from '../domain/org-unit.js';
import { deleteOrgUnit as decideOuDeletion, placeOrgUnit } from '../domain/org-unit-changes.js';
import { allow, forbidden, invalid, notFound, refuse, type Decision } from '../domain/refusal.js';
import { orgUnitKey } from '../store/table-org-unit-store.js';
import { userKey } from '../store/table-user-store.js';
import type { AppDeps } from './app-deps.js';
import { asTenantAdmin, resolveActor } from './resolve-actor.js';
import { decideOnFreshView } from './retry-on-conflict.js';

export async function loadTree(deps: AppDeps, tenantId: TenantId): Promise<OrgTree> {
  return new OrgTree((await deps.stores.orgUnits.list(tenantId)).map((r) => r.value));
}

/** Creates or renames/moves an OU (tenant admins). */
export function putOrgUnit(deps: AppDeps, identity: Identity, unit: OrgUnit) {
  return decideOnFreshView(
    deps.stores,
    'tenancy',
    unit.tenantId,
    async (): Promise<Decision<OrgUnit>> => {
      const access = await asTenantAdmin(deps, identity, unit.tenantId);
      if (!access.ok) return access;
      const decision = placeOrgUnit(await loadTree(deps, unit.tenantId), unit);
      if (!decision.ok) return decision;
      const current = await deps.stores.orgUnits.get(orgUnitKey(unit.tenantId, unit.id));
      await (current
        ? deps.stores.orgUnits.replace(unit, current.etag)
        : deps.stores.orgUnits.insert(unit));
      return decision;
    },
  );
}

/** Deletes an empty OU; the provisioning default moves up with it in the same transaction. */
export function deleteOrgUnit(
  deps: AppDeps,
  identity: Identity,
  tenantId: TenantId,
  ouId: OrgUnitId,
) {
  return decideOnFreshView(
    deps.stores,
    'tenancy',
    tenantId,
    async (): Promise<Decision<{ defaultOuId: string | null }>> => {
      const access = await asTenantAdmin(deps, identity, tenantId);
      if (!access.ok) return access;
      const [tree, users, services, row] = await Promise.all([
        loadTree(deps, tenantId),
        deps.stores.users.list(tenantId),
        deps.stores.services.list(tenantId),
        deps.stores.orgUnits.get(orgUnitKey(tenantId, ouId)),
      ]);
      const usage = {
        users: users.filter((u) => u.value.ouId === ouId).length,
        services: services.filter((s) => s.value.ouId === ouId).length,
      };
      const { tenant } = access.value;
      const current = tenant.value.settings.provisioning.defaultOuId as OrgUnitId | null;
      const decision = decideOuDeletion(tree, ouId, usage, current);
      if (!decision.ok || !row) return decision.ok ? refuse(notFound(`OU ${ouId}`)) : decision;
      const ops = [deps.stores.orgUnits.deleteOp(orgUnitKey(tenantId, ouId))];
      if (decision.value.defaultOuId !== current) {
        const provisioning = {
          ...tenant.value.settings.provisioning,
          defaultOuId: decision.value.defaultOuId,
        };
        ops.push(
          deps.stores.tenants.replaceOp(
            { ...tenant.value, settings: { ...tenant.value.settings, provisioning } },
            tenant.etag,
          ),
        );
      }
      await deps.stores.commit(ops);
      return allow({ defaultOuId: decision.value.defaultOuId });
    },
  );
}

export interface UserInput {
  readonly tenantId: TenantId;
  readonly id: UserId;
  readonly displayName: string;
  readonly ouId: OrgUnitId;
  readonly roles: readonly AdminRole[];
}

/** Adds or updates a directory user; licenses and skills stay as they are. */
export function putUser(deps: AppDeps, identity: Identity, input: UserInput) {
  return decideOnFreshView(
    deps.stores,
    'tenancy',
    input.tenantId,
    async (): Promise<Decision<{ user: DirectoryUser; created: boolean }>> => {
      const access = await asTenantAdmin(deps, identity, input.tenantId);
      if (!access.ok) return access;
      if (!(await loadTree(deps, input.tenantId)).has(input.ouId))
        return refuse(invalid([{ field: 'ouId', message: `no OU ${input.ouId} in this tenant` }]));
      const current = await deps.stores.users.get(userKey(input.tenantId, input.id));
      const user: DirectoryUser = { licenses: [], skills: {}, ...current?.value, ...input };
      await (current
        ? deps.stores.users.replace(user, current.etag)
        : deps.stores.users.insert(user));
      return allow({ user, created: !current });
    },
  );
}

/** Skills belong to Contact Center agents: the user must hold a ContactCenterUser license. */
export function setUserSkills(
  deps: AppDeps,
  identity: Identity,
  tenantId: TenantId,
  userId: UserId,
  skills: Skills,
) {
  return decideOnTenancyThenDistribute(
    deps,
    tenantId,
    async (): Promise<Decision<DirectoryUser>> => {
      const access = await resolveActor(deps, identity, tenantId);
      if (!access.ok) return access;
      const current = await deps.stores.users.get(userKey(tenantId, userId));
      if (!current) return refuse(notFound(`User ${userId}`));
      const denied = mayAdministerOu(
        access.value.actor,
        current.value.ouId,
        await loadTree(deps, tenantId),
      );
      if (denied) return refuse(denied);
      if (!current.value.licenses.includes('ContactCenterUser')) {
        return refuse({
          code: 'license_required',
          message: `${current.value.displayName} needs a Contact Center user license before skills can be set.`,
          details: { license: 'ContactCenterUser' },
        });
      }
      const user = { ...current.value, skills };
      await deps.stores.users.replace(user, current.etag);
      return allow(user);
    },
  );
}

/** The directory (tenant and OU admins). */
export async function listDirectory(deps: AppDeps, identity: Identity, tenantId: TenantId) {
  const access = await resolveActor(deps, identity, tenantId);
  if (!access.ok) return access;
  if (!isAdmin(access.value.actor)) return refuse(forbidden('Only admins may read the directory.'));
  const [ous, users] = await Promise.all([
    deps.stores.orgUnits.list(tenantId),
    deps.stores.users.list(tenantId),
  ]);
  return allow({ orgUnits: ous.map((r) => r.value), users: users.map((r) => r.value) });
}
