import type { ServiceId, UserId } from '../ids.js';
import type { Membership } from '../service.js';
import { inactivityReason, type Tenant } from '../tenant.js';
import type { AgentState } from './agent-state.js';
import { withdrawOffers, type Step } from './task-lifecycle.js';
import type { Task } from './task.js';

/** Why an invitation was withdrawn before anyone answered: its person left, or the tenant stopped. */
export type WithdrawalCause = 'left' | 'paused';

export interface Withdrawal {
  readonly step: Step;
  readonly cause: WithdrawalCause;
}

/**
 * The invitations to withdraw before a distribution iteration (see withdrawOffers): each
 * one ringing for someone who is no longer a member of its service, and, while the tenant
 * takes no tasks (suspended, expired, canceled or being deleted), every one, since nobody
 * could accept it. An accepted task stays with its person either way.
 */
export function staleOffers(
  tenant: Tenant,
  members: ReadonlyMap<ServiceId, readonly Membership[]>,
  tasks: readonly Task[],
  agents: ReadonlyMap<UserId, AgentState>,
): Withdrawal[] {
  const paused = inactivityReason(tenant) !== null;
  const memberIds = new Map<ServiceId, ReadonlySet<UserId>>();
  const membersOf = (serviceId: ServiceId) => {
    let ids = memberIds.get(serviceId);
    if (!ids)
      memberIds.set(
        serviceId,
        (ids = new Set((members.get(serviceId) ?? []).map((m) => m.userId))),
      );
    return ids;
  };
  return tasks.flatMap((task) => {
    if (task.state !== 'Offered') return [];
    const step = paused
      ? withdrawOffers(task, agents, () => true)
      : withdrawOffers(task, agents, (id) => !membersOf(task.serviceId).has(id));
    return step ? [{ step, cause: paused ? ('paused' as const) : ('left' as const) }] : [];
  });
}
