import { isTenantAdmin, type Identity } from '../../domain/actor.js';
import type { ServiceId, TenantId, UserId } from '../../domain/ids.js';
import {
  changePresence,
  endAcw,
  extendAcw,
  resetRona,
} from '../../domain/routing/agent-actions.js';
import { stateOrOffline, type AgentState } from '../../domain/routing/agent-state.js';
import { availability, type Availability } from '../../domain/routing/availability.js';
import type { Presence } from '../../domain/routing/presence.js';
import { licenseGaps, type LicenseGap } from '../../domain/routing/task-licenses.js';
import { allow, anotherTenant, forbidden, refuse, type Decision } from '../../domain/refusal.js';
import type { Membership, Service } from '../../domain/service.js';
import { agentKey } from '../../store/routing-rows.js';
import { membershipKey } from '../../store/table-membership-store.js';
import { serviceKey } from '../../store/table-service-store.js';
import type { AppDeps } from '../app-deps.js';
import { putMember } from '../membership-admin.js';
import { resolveActor } from '../resolve-actor.js';
import { routingStep } from './routing-unit.js';

export interface MyService {
  readonly service: Service;
  readonly membership: Membership;
  readonly availability: Availability;
}

export interface MyState {
  readonly agent: AgentState;
  readonly services: readonly MyService[];
  /** The kinds of tasks I get none of, in any service, for want of a license. */
  readonly licenseGaps: readonly LicenseGap[];
  /** The tenant's data privacy setting: is time in state shown? */
  readonly showTimeInState: boolean;
}

const selfOnly = (identity: Identity) =>
  identity.kind === 'user' ? null : forbidden('This is for a signed-in user.');

async function myAgent(deps: AppDeps, tenantId: TenantId, userId: UserId) {
  const row = await deps.stores.routing.agents.get(agentKey(tenantId, userId));
  return { row, agent: stateOrOffline(row?.value, tenantId, userId, deps.clock.now()) };
}

/** Each of my services with my Active switch, whether I can get a task now, and every reason why not. */
export async function myServices(deps: AppDeps, identity: Identity): Promise<Decision<MyState>> {
  if (identity.kind !== 'user') return refuse(forbidden('This is for a signed-in user.'));
  const access = await resolveActor(deps, identity, identity.tenantId);
  if (!access.ok) return access;
  const tenantId = identity.tenantId;
  const [memberships, { agent }] = await Promise.all([
    deps.stores.memberships.list(tenantId),
    myAgent(deps, tenantId, identity.userId),
  ]);
  const mine = memberships.map((m) => m.value).filter((m) => m.userId === identity.userId);
  const services = await Promise.all(
    mine.map((m) => deps.stores.services.get(serviceKey(tenantId, m.serviceId))),
  );
  const now = deps.clock.now();
  const tenant = access.value.tenant.value;
  return allow({
    agent,
    showTimeInState: tenant.settings.dataPrivacy.showTimeInState,
    licenseGaps: licenseGaps(access.value.user?.value.licenses ?? [], {
      websiteChats:
        tenant.settings.interact.enabled &&
        services.some((s) => s?.value.settings.extensions.interact === true),
    }),
    services: mine.flatMap((membership, i) => {
      const service = services[i]?.value;
      return service
        ? [
            {
              service,
              membership,
              availability: availability({ tenant, service, membership, agent, now }),
            },
          ]
        : [];
    }),
  });
}

/** My Active switch in one service; switching on starts my idle clock if I never had a task. */
export async function setMyActive(
  deps: AppDeps,
  identity: Identity,
  serviceId: ServiceId,
  active: boolean,
) {
  if (identity.kind !== 'user')
    return refuse<Membership>(forbidden('This is for a signed-in user.'));
  const before = await deps.stores.memberships.get(
    membershipKey(identity.tenantId, serviceId, identity.userId),
  );
  const result = await putMember(
    deps,
    identity,
    identity.tenantId,
    serviceId,
    identity.userId,
    active,
  );
  if (!result.ok && result.refusal.code === 'not_found') {
    // Not in the caller's tenant: someone else's service, or none at all.
    const owner = await deps.stores.serviceIndex.tenantOf(serviceId);
    if (owner !== undefined && owner !== identity.tenantId)
      return refuse<Membership>(anotherTenant());
  }
  if (!result.ok) return result;
  if (active && before?.value.active === false) {
    await changeAgent(deps, identity.tenantId, identity.userId, (a) =>
      allow({ ...a, availableSince: deps.clock.now() }),
    );
  } else await deps.distribution.run(identity.tenantId);
  return result;
}

type AgentChange = (agent: AgentState) => Decision<AgentState>;

/** Changes one person's routing state under its ETag, then distributes again. */
function changeAgent(deps: AppDeps, tenantId: TenantId, userId: UserId, change: AgentChange) {
  // A refusal, or nothing to write, as this instance sees it: the unit of work makes sure
  // no other instance changed the person meanwhile.
  return routingStep(deps.stores, tenantId, async (unit): Promise<Decision<AgentState>> => {
    const rows = await unit.agents([userId]);
    const agent = stateOrOffline(rows.get(userId)?.value, tenantId, userId, deps.clock.now());
    const next = change(agent);
    if (!next.ok) return next;
    if (next.value !== agent)
      await unit.commit(unit.agentWrites(next.value, rows, deps.clock.now()));
    else await unit.settle();
    await deps.distribution.run(tenantId);
    return next;
  });
}

async function asSelf(
  deps: AppDeps,
  identity: Identity,
): Promise<Decision<{ tenantId: TenantId; userId: UserId }>> {
  const denied = selfOnly(identity);
  if (denied || identity.kind !== 'user')
    return refuse(denied ?? forbidden('This is for a signed-in user.'));
  const access = await resolveActor(deps, identity, identity.tenantId);
  return access.ok ? allow({ tenantId: identity.tenantId, userId: identity.userId }) : access;
}

export async function endMyAcw(deps: AppDeps, identity: Identity) {
  const me = await asSelf(deps, identity);
  return me.ok
    ? changeAgent(deps, me.value.tenantId, me.value.userId, (a) =>
        endAcw(a, deps.clock.now(), true),
      )
    : me;
}

export async function extendMyAcw(deps: AppDeps, identity: Identity, seconds: number | undefined) {
  const me = await asSelf(deps, identity);
  return me.ok
    ? changeAgent(deps, me.value.tenantId, me.value.userId, (a) =>
        extendAcw(a, seconds, deps.clock.now()),
      )
    : me;
}

export async function resetMyRona(deps: AppDeps, identity: Identity) {
  const me = await asSelf(deps, identity);
  return me.ok
    ? changeAgent(deps, me.value.tenantId, me.value.userId, (a) => allow(resetRona(a)))
    : me;
}

/** A Teams presence change (from the presence feed, an admin, or the person). */
export async function setPresence(
  deps: AppDeps,
  identity: Identity,
  tenantId: TenantId,
  userId: UserId,
  presence: Presence,
) {
  const access = await resolveActor(deps, identity, tenantId);
  if (!access.ok) return access;
  const self = identity.kind === 'user' && identity.userId === userId;
  if (!self && !isTenantAdmin(access.value.actor))
    return refuse<AgentState>(
      forbidden('Only the person, a tenant admin or the presence feed may set a presence.'),
    );
  return changeAgent(deps, tenantId, userId, (a) =>
    allow(changePresence(a, presence, deps.clock.now())),
  );
}
