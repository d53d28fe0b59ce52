import type { Tenant } from '../domain/tenant.js';
import { activityMarkOp } from './reporting/active-users.js';
import { decideOnTenancyThenDistribute } from './routing/distribution.js';
import { mayEditService } from '../domain/access.js';
import { isAdmin, type Identity } from '../domain/actor.js';
import type { ServiceId, TenantId, UserId } from '../domain/ids.js';
import {
  allow,
  forbidden,
  invalid,
  notFound,
  refuse,
  type Decision,
  type Refusal,
} from '../domain/refusal.js';
import type { MemberRole, Membership, Service } from '../domain/service.js';
import { membershipKey } from '../store/table-membership-store.js';
import { userKey } from '../store/table-user-store.js';
import type { AppDeps } from './app-deps.js';
import { decideAgainIfStale } from './retry-on-conflict.js';
import { TENANCY_TABLE } from '../store/json-column.js';
import { loadService, type ServiceContext } from './service-admin.js';

/** Members switch their own Active state; owners and admins may switch anyone's and add people. */
function mayChangeMember(context: ServiceContext, userId: UserId): Refusal | null {
  const { actor, service, tree, own } = context;
  if (actor.kind === 'user' && actor.userId === userId && own) return null;
  return mayEditService(actor, service.value.ouId, tree, own);
}

function membershipProblem(
  service: Service,
  active: boolean,
  holdsContactCenter: boolean,
): Refusal | null {
  if (service.assignmentType === 'None')
    return invalid([
      { field: 'userId', message: `service ${service.name} has no users (assignment type None)` },
    ]);
  if (service.assignmentType !== 'SkillBased') return null;
  if (!active)
    return invalid([
      {
        field: 'active',
        message:
          'skill-based services have no Active switch: agents are chosen by skills and policy',
      },
    ]);
  if (!holdsContactCenter) {
    return {
      code: 'license_required',
      message: 'Agents of skill-based services need a Contact Center user license.',
      details: { license: 'ContactCenterUser' },
    };
  }
  return null;
}

/**
 * A change to one service's members, decided on a fresh view of the tenancy partition (and
 * decided again if another instance changed it), then distributed.
 */
function onService<T>(
  deps: AppDeps,
  identity: Identity,
  tenantId: TenantId,
  serviceId: ServiceId,
  decide: (
    context: ServiceContext,
    view: ReturnType<AppDeps['stores']['view']>,
  ) => Promise<Decision<T>>,
) {
  return decideOnTenancyThenDistribute(deps, tenantId, async (): Promise<Decision<T>> => {
    const view = deps.stores.view('tenancy', tenantId);
    const context = await loadService(deps, identity, tenantId, serviceId);
    if (!context.ok) return context;
    return decide(context.value, view);
  });
}

/** Adds a member or sets their Active state (Active per request; new members get role Member). */
export function putMember(
  deps: AppDeps,
  identity: Identity,
  tenantId: TenantId,
  serviceId: ServiceId,
  userId: UserId,
  active: boolean,
) {
  return onService(deps, identity, tenantId, serviceId, async (context, view) => {
    const denied = mayChangeMember(context, userId);
    if (denied) return refuse(denied);
    const user = await deps.stores.users.get(userKey(tenantId, userId));
    if (!user)
      return refuse(
        invalid([{ field: 'userId', message: `${userId} is not a user of this tenant` }]),
      );
    const problem = membershipProblem(
      context.service.value,
      active,
      user.value.licenses.includes('ContactCenterUser'),
    );
    if (problem) return refuse(problem);
    const current = await deps.stores.memberships.get(membershipKey(tenantId, serviceId, userId));
    const now = deps.clock.now();
    const tenant = context.tenant.value;
    // A switch either way marks the month as one the person was Active in (until now), and
    // is kept among the person's states when the tenant persists them.
    const step = { kind: 'active', at: now, serviceId, active } as const;
    const switched = [
      activityMarkOp(deps.stores, tenant, userId, now),
      ...(persistsUserStates(tenant)
        ? [deps.stores.userStates.insertOp(deps.stores.userStates.recordOf(tenantId, userId, step))]
        : []),
    ];
    if (current) {
      const next = { ...current.value, active, activeSince: now };
      if (current.value.active === active) {
        // Nothing to write, as this instance sees it: make sure no other one switched it.
        await decideAgainIfStale(TENANCY_TABLE, view);
        return allow(current.value);
      }
      await deps.stores.commit([
        deps.stores.memberships.replaceOp(next, current.etag),
        ...switched,
      ]);
      return allow(next);
    }
    const membership: Membership = {
      tenantId,
      serviceId,
      userId,
      role: 'Member',
      active,
      since: now,
      activeSince: now,
    };
    await deps.stores.commit([
      deps.stores.memberships.insertOp(membership),
      ...(active ? switched : []),
    ]);
    await deps.newcomers?.joined(tenantId, [userId]);
    return allow(membership);
  });
}

const persistsUserStates = (tenant: Tenant) => tenant.settings.dataPrivacy.persistUserStates;

/** Takes a person out of a service (owners and admins). */
export function removeMember(
  deps: AppDeps,
  identity: Identity,
  tenantId: TenantId,
  serviceId: ServiceId,
  userId: UserId,
) {
  return onService(
    deps,
    identity,
    tenantId,
    serviceId,
    async (context): Promise<Decision<null>> => {
      const { actor, service, tree, own } = context;
      const denied = mayEditService(actor, service.value.ouId, tree, own);
      if (denied)
        return refuse(
          denied.code === 'forbidden'
            ? forbidden('Only owners of this service and admins may remove members.')
            : denied,
        );
      let current = await deps.stores.memberships.get(membershipKey(tenantId, serviceId, userId));
      if (!current) return refuse(notFound(`Member ${userId} of service ${service.value.name}`));
      if (current.value.active && persistsUserStates(context.tenant.value)) {
        // Kept as a switch away from Active first, with its history row: a removal cut
        // short leaves an inactive member, told as such, to remove again.
        const now = deps.clock.now();
        const inactive = { ...current.value, active: false, activeSince: now };
        const step = { kind: 'active', at: now, serviceId, active: false } as const;
        const written = await deps.stores.commit([
          deps.stores.memberships.replaceOp(inactive, current.etag),
          deps.stores.userStates.insertOp(deps.stores.userStates.recordOf(tenantId, userId, step)),
        ]);
        const key = membershipKey(tenantId, serviceId, userId);
        current = { value: inactive, etag: written.get(key.rowKey) ?? '' };
      }
      await deps.stores.memberships.delete(
        membershipKey(tenantId, serviceId, userId),
        current.etag,
      );
      return allow(null);
    },
  );
}

const OWNER_ROLES: readonly MemberRole[] = ['Owner', 'OwnerLimited'];
const ROLE_WORDS: Record<MemberRole, string> = {
  Owner: 'an owner',
  OwnerLimited: 'an owner with limited rights',
  Member: 'a member',
};

/**
 * Makes a member an owner (full or with limited rights) or a member again (owners and
 * admins). Only full owners and admins make full owners; the last owner of a service stays
 * one until someone else is made owner.
 */
export function setMemberRole(
  deps: AppDeps,
  identity: Identity,
  tenantId: TenantId,
  serviceId: ServiceId,
  userId: UserId,
  role: MemberRole,
) {
  return onService(deps, identity, tenantId, serviceId, async (context, view) => {
    const { actor, service, tree, own } = context;
    const denied = mayEditService(actor, service.value.ouId, tree, own);
    if (denied)
      return refuse(
        denied.code === 'forbidden'
          ? forbidden('Only owners of this service and admins may change who owns it.')
          : denied,
      );
    if (role === 'Owner' && !isAdmin(actor) && own?.role !== 'Owner')
      return refuse(forbidden('Only full owners of this service and admins may make full owners.'));
    const members = await deps.stores.memberships.list(tenantId, `${serviceId}:`);
    const current = members.find((m) => m.value.userId === userId);
    if (!current) return refuse(notFound(`Member ${userId} of service ${service.value.name}`));
    if (current.value.role === role) {
      await decideAgainIfStale(TENANCY_TABLE, view);
      return allow(current.value);
    }
    const owners = members.filter((m) => OWNER_ROLES.includes(m.value.role));
    if (!OWNER_ROLES.includes(role) && owners.length === 1 && owners[0]?.value.userId === userId)
      return refuse(
        invalid([
          {
            field: 'role',
            message: `this is the last owner of ${service.value.name}: make someone else ${ROLE_WORDS.Owner} first`,
          },
        ]),
      );
    const next = { ...current.value, role };
    await deps.stores.memberships.replace(next, current.etag);
    return allow(next);
  });
}
