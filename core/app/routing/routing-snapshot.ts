import type { ServiceId, TenantId, UserId } from '../../domain/ids.js';
import type { AgentState } from '../../domain/routing/agent-state.js';
import type { RoutingSnapshot } from '../../domain/routing/plan-dispatch.js';
import type { Task } from '../../domain/routing/task.js';
import type { Membership } from '../../domain/service.js';
import type { Tenant } from '../../domain/tenant.js';
import { type QueueState } from '../../domain/routing/queue-state.js';
import type { Versioned } from '../../store/table-repository.js';
import type { Stores } from '../../store/stores.js';

/** A tenant's routing state as read, with the ETags its writes must match. */
export interface LoadedRouting {
  readonly snapshot: RoutingSnapshot;
  readonly openTasks: readonly Versioned<Task>[];
  readonly agents: ReadonlyMap<UserId, Versioned<AgentState>>;
  readonly queues: ReadonlyMap<ServiceId, Versioned<QueueState>>;
}

export async function loadRouting(stores: Stores, tenant: Tenant): Promise<LoadedRouting> {
  const id: TenantId = tenant.id;
  const [services, memberships, users, openTasks, agents, queues] = await Promise.all([
    stores.services.list(id),
    stores.memberships.list(id),
    stores.users.list(id),
    stores.routing.openTasks.list(id),
    stores.routing.agents.list(id),
    stores.routing.queues.list(id),
  ]);
  const members = new Map<ServiceId, Membership[]>();
  for (const { value: m } of memberships)
    members.set(m.serviceId, [...(members.get(m.serviceId) ?? []), m]);
  const agentRows = new Map(agents.map((a) => [a.value.userId, a]));
  const queueRows = new Map(queues.map((q) => [q.value.serviceId, q]));
  return {
    snapshot: {
      tenant,
      services: new Map(services.map((s) => [s.value.id, s.value])),
      members,
      agents: new Map(agents.map((a) => [a.value.userId, a.value])),
      skills: new Map(users.map((u) => [u.value.id, u.value.skills])),
      queued: openTasks.map((t) => t.value).filter((t) => t.state === 'Queued'),
      roundRobin: new Map(queues.map((q) => [q.value.serviceId, q.value.roundRobin])),
    },
    openTasks,
    agents: agentRows,
    queues: queueRows,
  };
}
