import type { Membership } from '../core/domain/service.js';
import type { RoutingSnapshot } from '../core/domain/routing/plan-dispatch.js';
import { NO_LICENSES, NO_SKILLS, ServicePools } from '../core/store/service-pools.js';

/**
 * A snapshot with service pools sorted from its own rows, as the routing index keeps them
 * for the app: the planner's tests run on both.
 */
export function withPools(snapshot: RoutingSnapshot): RoutingSnapshot {
  const memberships = new Map<string, Membership>();
  for (const [serviceId, members] of snapshot.members)
    for (const m of members) memberships.set(`${serviceId}:${m.userId}`, m);
  const pools = new ServicePools({
    services: () => snapshot.services.values(),
    members: (serviceId) => snapshot.members.get(serviceId) ?? [],
    membership: (serviceId, userId) => memberships.get(`${serviceId}:${userId}`),
    agent: (userId) => snapshot.agents.get(userId),
    skills: (userId) => snapshot.skills.get(userId) ?? NO_SKILLS,
    licenses: (userId) => snapshot.licenses?.get(userId) ?? NO_LICENSES,
  });
  return { ...snapshot, pools: (serviceId, lane) => pools.pool(serviceId, lane) };
}
