import { markNewlyActive } from './reporting/active-users.js';
import { createHash } from 'node:crypto';
import { mayAdministerOu, mayEditService } from '../domain/access.js';
import type { Actor, Identity } from '../domain/actor.js';
import { membershipKey } from '../store/table-membership-store.js';
import {
  asOrgUnitId,
  asServiceId,
  type ServiceId,
  type TenantId,
  type UserId,
} from '../domain/ids.js';
import { decideProvisioning, provisioningOu } from '../domain/provisioning.js';
import { allow, forbidden, invalid, notFound, refuse, type Decision } from '../domain/refusal.js';
import type { AssignmentType, Membership, Service } from '../domain/service.js';
import { DEFAULT_SERVICE_SETTINGS } from '../domain/service-settings.js';
import { licensePoolKey } from '../store/table-license-pool-store.js';
import { serviceKey } from '../store/table-service-store.js';
import { MAX_TRANSACTION_OPS } from '../store/table-transaction.js';
import { userKey } from '../store/table-user-store.js';
import type { AppDeps } from './app-deps.js';
import { loadTree } from './directory-admin.js';
import { commitInChunks } from './commit-in-chunks.js';
import { resolveActor } from './resolve-actor.js';
import { decideOnFreshView } from './retry-on-conflict.js';

/** A team maps to one service id, so two provisioning requests for one team collide in storage. */
export function serviceIdForTeam(teamId: string): ServiceId {
  return asServiceId(`team-${createHash('sha256').update(teamId).digest('hex').slice(0, 32)}`);
}

export interface ProvisionInput {
  readonly teamId: string;
  readonly teamName: string;
  readonly members: readonly UserId[];
}

async function unknownUsers(
  deps: AppDeps,
  tenantId: TenantId,
  ids: readonly UserId[],
): Promise<UserId[]> {
  const found = await Promise.all(
    ids.map(async (id) => [id, await deps.stores.users.get(userKey(tenantId, id))] as const),
  );
  return found.filter(([, row]) => !row).map(([id]) => id);
}

/** Inserts memberships that do not exist yet, in transactions of at most 100 (membership sync is repeatable). */
export async function addMissingMemberships(
  deps: AppDeps,
  memberships: readonly Membership[],
): Promise<void> {
  const first = memberships[0];
  if (!first) return;
  const existing = new Set(
    (await deps.stores.memberships.list(first.tenantId, `${first.serviceId}:`)).map(
      (m) => m.value.userId,
    ),
  );
  const missing = memberships.filter((m) => !existing.has(m.userId));
  await commitInChunks(
    deps.stores,
    missing.map((m) => deps.stores.memberships.insertOp(m)),
  );
  // Those made Active count in this month's statistics (also those the first write made).
  await markNewlyActive(deps.stores, memberships, deps.clock.now());
}

/** Asked again for a provisioned team: its owners and admins bring missing members in; nobody else changes anything. */
async function syncExisting(
  deps: AppDeps,
  actor: Actor,
  service: Service,
  members: readonly UserId[],
): Promise<Service> {
  const own =
    actor.kind === 'user'
      ? await deps.stores.memberships.get(membershipKey(service.tenantId, service.id, actor.userId))
      : undefined;
  const tree = await loadTree(deps, service.tenantId);
  if (mayEditService(actor, service.ouId, tree, own?.value) !== null) return service;
  const since = deps.clock.now();
  const active = service.settings.distribution.newUsersActive;
  await addMissingMemberships(
    deps,
    members.map((userId) => ({
      tenantId: service.tenantId,
      serviceId: service.id,
      userId,
      role: 'Member',
      active,
      since,
      activeSince: since,
    })),
  );
  return service;
}

/**
 * Provisioning from Teams, as the calling user: the service, its Advanced Routing license
 * and the first members commit together; a second request for the same team finds the
 * service and only adds members that are missing (no second license).
 */
export function provisionService(
  deps: AppDeps,
  identity: Identity,
  tenantId: TenantId,
  input: ProvisionInput,
) {
  return decideOnFreshView(
    deps.stores,
    'tenancy',
    tenantId,
    async (): Promise<Decision<{ service: Service; created: boolean }>> => {
      if (identity.kind !== 'user')
        return refuse(forbidden('Services are provisioned from Teams by a user of the tenant.'));
      const access = await resolveActor(deps, identity, tenantId);
      if (!access.ok) return access;
      const unknown = await unknownUsers(deps, tenantId, input.members);
      if (unknown.length)
        return refuse(
          invalid(
            unknown.map((id) => ({
              field: 'members',
              message: `${id} is not a user of this tenant`,
            })),
          ),
        );
      const serviceId = serviceIdForTeam(input.teamId);
      const { tenant, actor } = access.value;
      const existing = await deps.stores.services.get(serviceKey(tenantId, serviceId));
      if (existing)
        return allow({
          service: await syncExisting(deps, actor, existing.value, input.members),
          created: false,
        });
      const [pool, tree] = await Promise.all([
        deps.stores.licensePools.get(licensePoolKey(tenantId, 'AdvancedRouting')),
        loadTree(deps, tenantId),
      ]);
      const defaultOuId = provisioningOu(tenant.value, tree);
      if (!defaultOuId)
        return refuse(
          invalid([
            {
              field: 'ouId',
              message: 'this tenant has no organization unit yet; an admin must create one first',
            },
          ]),
        );
      const request = {
        serviceId,
        teamId: input.teamId,
        teamName: input.teamName,
        members: input.members,
      };
      const decision = decideProvisioning(
        { tenant: tenant.value, actor, pool: pool?.value, defaultOuId, request },
        deps.clock.now(),
      );
      if (!decision.ok || !pool)
        return decision.ok ? refuse(notFound('The Advanced Routing pool')) : decision;
      const { service, memberships } = decision.value;
      const first = memberships.slice(0, MAX_TRANSACTION_OPS - 2);
      await deps.stores.serviceIndex.add(tenantId, service.id);
      await deps.stores.commit([
        deps.stores.services.insertOp(service),
        deps.stores.licensePools.replaceOp(decision.value.pool, pool.etag),
        ...first.map((m) => deps.stores.memberships.insertOp(m)),
      ]);
      await addMissingMemberships(deps, memberships);
      return allow({ service, created: true });
    },
  );
}

export interface CreateServiceInput {
  readonly name: string;
  readonly assignmentType: Exclude<AssignmentType, 'TeamsBased'>;
  readonly ouId: string;
}

/**
 * Admin-backend services (Skill-based or None), allowed whatever the provisioning policy.
 * Skill-based services need a Contact Center license, None an Advanced Routing one.
 */
export function createService(
  deps: AppDeps,
  identity: Identity,
  tenantId: TenantId,
  input: CreateServiceInput,
) {
  return decideOnFreshView(
    deps.stores,
    'tenancy',
    tenantId,
    async (): Promise<Decision<Service>> => {
      const access = await resolveActor(deps, identity, tenantId);
      if (!access.ok) return access;
      const ouId = asOrgUnitId(input.ouId);
      const tree = await loadTree(deps, tenantId);
      if (!tree.has(ouId))
        return refuse(invalid([{ field: 'ouId', message: `no OU ${input.ouId} in this tenant` }]));
      const denied = mayAdministerOu(access.value.actor, ouId, tree);
      if (denied) return refuse(denied);
      const license = input.assignmentType === 'SkillBased' ? 'ContactCenter' : 'AdvancedRouting';
      const pool = await deps.stores.licensePools.get(licensePoolKey(tenantId, license));
      const total = pool?.value.total ?? 0;
      const used = pool?.value.used ?? 0;
      if (!pool || used >= total) {
        return refuse({
          code: 'license_exhausted',
          message: `No ${license} license left: ${used} of ${total} in use.`,
          details: { license, total, used },
        });
      }
      const service: Service = {
        tenantId,
        id: asServiceId(deps.newId()),
        name: input.name,
        ouId,
        license,
        assignmentType: input.assignmentType,
        teamId: null,
        phoneNumber: null,
        createdAt: deps.clock.now(),
        settings: DEFAULT_SERVICE_SETTINGS,
      };
      await deps.stores.serviceIndex.add(tenantId, service.id);
      await deps.stores.commit([
        deps.stores.services.insertOp(service),
        deps.stores.licensePools.replaceOp({ ...pool.value, used: used + 1 }, pool.etag),
      ]);
      return allow(service);
    },
  );
}
