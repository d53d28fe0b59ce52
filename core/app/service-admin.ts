import { decideOnTenancyThenDistribute } from './routing/distribution.js';
import { changeAssignmentType as decideAssignmentType } from '../domain/assignment-type.js';
import {
  mayAdministerOu,
  mayChangeDistributionPolicy,
  mayEditService,
  mayReadService,
} from '../domain/access.js';
import { isAdmin, type Actor, type Identity } from '../domain/actor.js';
import { licenseRequiredFor } from '../domain/feature-gating.js';
import { asOrgUnitId, type ServiceId, type TenantId } from '../domain/ids.js';
import type { OrgTree } from '../domain/org-tree.js';
import {
  allow,
  invalid,
  notFound,
  refuse,
  type Decision,
  type FieldProblem,
} from '../domain/refusal.js';
import type { AssignmentType, Membership, Service } from '../domain/service.js';
import { applyServicePatch, type ServiceSettingsPatch } from '../domain/service-settings.js';
import type { Tenant } from '../domain/tenant.js';
import { membershipKey } from '../store/table-membership-store.js';
import type { Versioned } from '../store/table-repository.js';
import { serviceKey } from '../store/table-service-store.js';
import { MAX_TRANSACTION_OPS } from '../store/table-transaction.js';
import type { AppDeps } from './app-deps.js';
import { loadTree } from './directory-admin.js';
import { resolveActor } from './resolve-actor.js';

export interface ServiceContext {
  readonly actor: Actor;
  readonly tenant: Versioned<Tenant>;
  readonly service: Versioned<Service>;
  readonly tree: OrgTree;
  /** The caller's own membership in the service, if any. */
  readonly own: Membership | undefined;
}

/** Loads a service with the caller's rights around it. */
export async function loadService(
  deps: AppDeps,
  identity: Identity,
  tenantId: TenantId,
  serviceId: ServiceId,
): Promise<Decision<ServiceContext>> {
  const access = await resolveActor(deps, identity, tenantId);
  if (!access.ok) return access;
  const { actor, tenant } = access.value;
  const [service, tree, own] = await Promise.all([
    deps.stores.services.get(serviceKey(tenantId, serviceId)),
    loadTree(deps, tenantId),
    actor.kind === 'user'
      ? deps.stores.memberships.get(membershipKey(tenantId, serviceId, actor.userId))
      : Promise.resolve(undefined),
  ]);
  if (!service) return refuse(notFound(`Service ${serviceId}`));
  return allow({ actor, tenant, service, tree, own: own?.value });
}

/** Loads a service the caller may read (its owners and members, admins of its unit), or says why not. */
export async function loadReadableService(
  deps: AppDeps,
  identity: Identity,
  tenantId: TenantId,
  serviceId: ServiceId,
): Promise<Decision<ServiceContext>> {
  const context = await loadService(deps, identity, tenantId, serviceId);
  if (!context.ok) return context;
  const { actor, service, tree, own } = context.value;
  const denied = mayReadService(actor, service.value.ouId, tree, own);
  return denied ? refuse(denied) : context;
}

export async function readService(
  deps: AppDeps,
  identity: Identity,
  tenantId: TenantId,
  serviceId: ServiceId,
) {
  const context = await loadReadableService(deps, identity, tenantId, serviceId);
  if (!context.ok) return context;
  const { service, tree, tenant } = context.value;
  const members = (await deps.stores.memberships.list(tenantId, `${serviceId}:`)).map(
    (m) => m.value,
  );
  return allow({
    service: service.value,
    members,
    ouPath: tree.path(service.value.ouId),
    pendingDeletion: tenant.value.deletionRequestedAt !== null,
  });
}

/** Admins see the services of their scope; everybody else the services they belong to. */
export async function listServices(deps: AppDeps, identity: Identity, tenantId: TenantId) {
  const access = await resolveActor(deps, identity, tenantId);
  if (!access.ok) return access;
  const { actor, tenant } = access.value;
  const [services, tree, memberships, index] = await Promise.all([
    deps.stores.services.list(tenantId),
    loadTree(deps, tenantId),
    deps.stores.memberships.list(tenantId),
    deps.stores.routingIndex(tenantId),
  ]);
  const mine = new Set(
    memberships
      .filter((m) => actor.kind === 'user' && m.value.userId === actor.userId)
      .map((m) => m.value.serviceId),
  );
  const visible = (s: Service) =>
    mine.has(s.id) || (isAdmin(actor) && mayAdministerOu(actor, s.ouId, tree) === null);
  // Per service: members, members switched Active, and tasks waiting or ringing.
  const counts = new Map<ServiceId, { members: number; active: number; waiting: number }>();
  const of = (id: ServiceId) => {
    let c = counts.get(id);
    if (!c) counts.set(id, (c = { members: 0, active: 0, waiting: 0 }));
    return c;
  };
  for (const { value: m } of memberships) {
    of(m.serviceId).members++;
    if (m.active) of(m.serviceId).active++;
  }
  // Waiting from the index's counts (not a pass over every open task), and those ringing.
  for (const { value: s } of services) {
    const waiting = index.waitingIn(s.id);
    if (waiting) of(s.id).waiting += waiting;
  }
  for (const t of index.offered()) of(t.serviceId).waiting++;
  return allow({
    services: services
      .map((s) => s.value)
      .filter(visible)
      .map((service) => ({
        service,
        ouPath: tree.path(service.ouId),
        counts: counts.get(service.id) ?? { members: 0, active: 0, waiting: 0 },
      })),
    // As readService says it: the list agrees with each service's own view.
    pendingDeletion: tenant.value.deletionRequestedAt !== null,
  });
}

export interface GeneralPatch {
  readonly name?: string;
  readonly ouId?: string;
  readonly phoneNumber?: string | null;
}

function settingsProblems(service: Service, patch: ServiceSettingsPatch): FieldProblem[] {
  const d = service.settings.distribution;
  const problems: FieldProblem[] = [];
  if (patch.distribution?.policy && service.assignmentType !== 'SkillBased') {
    problems.push({
      field: 'distribution.policy',
      message: 'distribution policies apply to skill-based services only',
    });
  }
  if (d.outboundServiceCall && service.assignmentType === 'None') {
    problems.push({
      field: 'distribution.outboundServiceCall',
      message: 'services without users (assignment type None) cannot call out',
    });
  }
  return problems;
}

function checkRights(context: ServiceContext, patch: ServiceSettingsPatch, general: GeneralPatch) {
  const { actor, service, tree, own } = context;
  const denied = mayEditService(actor, service.value.ouId, tree, own);
  if (denied) return denied;
  if (patch.distribution?.policy !== undefined) {
    const policyDenied = mayChangeDistributionPolicy(actor, service.value.ouId, tree, own);
    if (policyDenied) return policyDenied;
  }
  if (general.ouId !== undefined && general.ouId !== service.value.ouId) {
    if (!tree.has(asOrgUnitId(general.ouId)))
      return invalid([{ field: 'general.ouId', message: `no OU ${general.ouId} in this tenant` }]);
    return (
      mayAdministerOu(actor, service.value.ouId, tree) ??
      mayAdministerOu(actor, asOrgUnitId(general.ouId), tree)
    );
  }
  return null;
}

/**
 * Saves a service's settings whole or not at all. Settings its license does not include
 * are refused naming the license; Team Owner Limited may not touch the distribution policy.
 */
export function patchServiceSettings(
  deps: AppDeps,
  identity: Identity,
  tenantId: TenantId,
  serviceId: ServiceId,
  patch: ServiceSettingsPatch,
  general: GeneralPatch = {},
) {
  return decideOnTenancyThenDistribute(deps, tenantId, async (): Promise<Decision<Service>> => {
    const context = await loadService(deps, identity, tenantId, serviceId);
    if (!context.ok) return context;
    const denied = checkRights(context.value, patch, general);
    if (denied) return refuse(denied);
    const current = context.value.service;
    const next: Service = {
      ...current.value,
      ...(general.name !== undefined && { name: general.name }),
      ...(general.ouId !== undefined && { ouId: asOrgUnitId(general.ouId) }),
      ...(general.phoneNumber !== undefined && { phoneNumber: general.phoneNumber }),
      settings: applyServicePatch(current.value.settings, patch),
    };
    const problems = settingsProblems(next, patch);
    if (problems.length) return refuse(invalid(problems));
    const gated = licenseRequiredFor(next);
    if (gated) return refuse(gated);
    await deps.stores.services.replace(next, current.etag);
    return allow(next);
  });
}

/** Skill-based <-> None only; a service that becomes None loses its users in the same transaction. */
export function changeAssignmentType(
  deps: AppDeps,
  identity: Identity,
  tenantId: TenantId,
  serviceId: ServiceId,
  to: AssignmentType,
) {
  return decideOnTenancyThenDistribute(deps, tenantId, async (): Promise<Decision<Service>> => {
    const context = await loadService(deps, identity, tenantId, serviceId);
    if (!context.ok) return context;
    const { actor, service, tree } = context.value;
    const denied = mayAdministerOu(actor, service.value.ouId, tree);
    if (denied) return refuse(denied);
    const decision = decideAssignmentType(service.value, to);
    if (!decision.ok) return decision;
    const members = decision.value.removeAllMembers
      ? await deps.stores.memberships.list(tenantId, `${serviceId}:`)
      : [];
    if (members.length >= MAX_TRANSACTION_OPS)
      return refuse(
        invalid([
          {
            field: 'assignmentType',
            message: `remove some of its ${members.length} agents first (at most ${MAX_TRANSACTION_OPS - 1} at once)`,
          },
        ]),
      );
    await deps.stores.commit([
      deps.stores.services.replaceOp(decision.value.service, service.etag),
      ...members.map((m) =>
        deps.stores.memberships.deleteOp(membershipKey(tenantId, serviceId, m.value.userId)),
      ),
    ]);
    return allow(decision.value.service);
  });
}
