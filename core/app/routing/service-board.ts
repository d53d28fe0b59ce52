import { mayReadService } from '../../domain/access.js';
import type { Identity } from '../../domain/actor.js';
import type { DirectoryUser } from '../../domain/directory-user.js';
import type { ServiceId, TenantId } from '../../domain/ids.js';
import { stateOrOffline, type AgentState } from '../../domain/routing/agent-state.js';
import { availability, type Availability } from '../../domain/routing/availability.js';
import { allow, refuse, type Decision } from '../../domain/refusal.js';
import type { Membership, Service } from '../../domain/service.js';
import { userKey } from '../../store/table-user-store.js';
import { agentKey } from '../../store/routing-rows.js';
import { serviceKey } from '../../store/table-service-store.js';
import type { AppDeps } from '../app-deps.js';
import { loadService } from '../service-admin.js';

export interface BoardMember {
  readonly membership: Membership;
  readonly user: DirectoryUser | undefined;
  readonly agent: AgentState;
  readonly availability: Availability;
  /** The name of the service whose task occupies them ("Busy in Sales Line"), if any. */
  readonly engagedIn: string | null;
}

export interface ServiceBoard {
  readonly service: Service;
  readonly members: readonly BoardMember[];
  /** The tenant's data privacy setting: may people see how long others have been in a state? */
  readonly showTimeInState: boolean;
}

/** A service's members as its page shows them: who they are, Active, and free for a task now or why not. */
export async function serviceBoard(
  deps: AppDeps,
  identity: Identity,
  tenantId: TenantId,
  serviceId: ServiceId,
): Promise<Decision<ServiceBoard>> {
  const context = await loadService(deps, identity, tenantId, serviceId);
  if (!context.ok) return context;
  const { actor, service, tree, own, tenant } = context.value;
  const denied = mayReadService(actor, service.value.ouId, tree, own);
  if (denied) return refuse(denied);
  const memberships = await deps.stores.memberships.list(tenantId, `${serviceId}:`);
  const now = deps.clock.now();
  const members = await Promise.all(
    memberships.map(async ({ value: membership }) => {
      const [user, agentRow] = await Promise.all([
        deps.stores.users.get(userKey(tenantId, membership.userId)),
        deps.stores.routing.agents.get(agentKey(tenantId, membership.userId)),
      ]);
      const agent = stateOrOffline(agentRow?.value, tenantId, membership.userId, now);
      const free = availability({
        tenant: tenant.value,
        service: service.value,
        membership,
        agent,
        atLimit: false,
        now,
      });
      return { membership, user: user?.value, agent, availability: free };
    }),
  );
  const names = await serviceNames(deps, service.value, members);
  return allow({
    service: service.value,
    showTimeInState: tenant.value.settings.dataPrivacy.showTimeInState,
    members: members.map((m) => ({
      ...m,
      engagedIn: m.agent.engagement ? (names.get(m.agent.engagement.serviceId) ?? null) : null,
    })),
  });
}

/** Names of the services the members are busy in: this one, and any other read once. */
async function serviceNames(
  deps: AppDeps,
  service: Service,
  members: readonly { readonly agent: AgentState }[],
): Promise<Map<ServiceId, string>> {
  const others = [
    ...new Set(members.flatMap((m) => (m.agent.engagement ? [m.agent.engagement.serviceId] : []))),
  ].filter((id) => id !== service.id);
  const rows = await Promise.all(
    others.map((id) => deps.stores.services.get(serviceKey(service.tenantId, id))),
  );
  return new Map([
    [service.id, service.name],
    ...rows.flatMap((row) => (row ? [[row.value.id, row.value.name] as const] : [])),
  ]);
}
