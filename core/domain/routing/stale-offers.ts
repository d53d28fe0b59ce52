import type { ServiceId, UserId } from '../ids.js';
import { inactivityReason, type Tenant } from '../tenant.js';
import type { AgentState } from './agent-state.js';
import { neverAdmitted } from './presence.js';
import { withdrawOffers, type Step } from './task-lifecycle.js';
import type { Task } from './task.js';
import type { License } from '../license.js';
import { holdsAll, licensesFor } from './task-licenses.js';

/**
 * Why an invitation was withdrawn before anyone answered: its person left the service, went
 * Offline or Do not disturb (never admitted by any service), lost a license the task needs,
 * or the tenant stopped.
 */
export const WITHDRAWAL_CAUSES = ['left', 'presence', 'paused', 'license'] as const;
export type WithdrawalCause = (typeof WITHDRAWAL_CAUSES)[number];

export interface Withdrawal {
  readonly step: Step;
  /** Why, for each person in `step.withdrawn`. */
  readonly causes: ReadonlyMap<UserId, WithdrawalCause>;
}

/**
 * The invitations to withdraw before a distribution iteration (see withdrawOffers): each
 * one ringing for someone who is no longer a member of its service, or who went Offline or
 * Do not disturb, or who no longer holds a license the task needs, and, while the tenant takes no tasks (suspended, expired, canceled or
 * being deleted), every one, since nobody could accept it. Presences a service may admit
 * (Busy, Away...) do not withdraw: Teams itself may show them while a call rings. An
 * accepted task stays with its person either way.
 */
export function staleOffers(
  tenant: Tenant,
  isMember: (serviceId: ServiceId, userId: UserId) => boolean,
  tasks: readonly Task[],
  agents: ReadonlyMap<UserId, AgentState>,
  licensesOf: (userId: UserId) => readonly License[] = () => [],
): Withdrawal[] {
  const paused = inactivityReason(tenant) !== null;
  return tasks.flatMap((task) => {
    if (task.state !== 'Offered') return [];
    const causes = new Map<UserId, WithdrawalCause>();
    for (const id of task.offeredTo) {
      const presence = agents.get(id)?.presence;
      if (paused) causes.set(id, 'paused');
      else if (!isMember(task.serviceId, id)) causes.set(id, 'left');
      else if (presence && neverAdmitted(presence)) causes.set(id, 'presence');
      else if (!holdsAll(licensesOf(id), licensesFor(task))) causes.set(id, 'license');
    }
    const step = causes.size ? withdrawOffers(task, agents, (id) => causes.has(id)) : null;
    return step ? [{ step, causes }] : [];
  });
}
