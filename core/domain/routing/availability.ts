import type { Membership, Service } from '../service.js';
import { inactivityReason, type Tenant } from '../tenant.js';
import type { Instant } from '../instant.js';
import { isInRona, type AgentState } from './agent-state.js';
import { presenceAdmitted } from './presence.js';
import type { UnavailabilityReason } from './task.js';

export interface AvailabilityInput {
  readonly tenant: Tenant;
  readonly service: Service;
  readonly membership: Membership | undefined;
  readonly agent: AgentState;
  /** The service has reached its concurrency limit for the modality in question (not asked: no). */
  readonly atLimit?: boolean;
  readonly now: Instant;
}

export interface Availability {
  readonly available: boolean;
  readonly reasons: readonly UnavailabilityReason[];
}

/**
 * Whether a person may receive a task of a service now, and every reason why not:
 * member and Active (skill-based services have no switch), presence admitted by the
 * service, no offered, accepted or ACW task in any service, not in RONA, the service
 * below its concurrency limit, and a tenant that accepts tasks.
 */
export function availability(input: AvailabilityInput): Availability {
  const { tenant, service, membership, agent, now } = input;
  const reasons: UnavailabilityReason[] = [];
  if (inactivityReason(tenant) !== null) reasons.push('tenant');
  const skillBased = service.assignmentType === 'SkillBased';
  if (!membership || (!skillBased && !membership.active)) reasons.push('inactive');
  if (!presenceAdmitted(agent.presence, service.settings.distribution.presence))
    reasons.push('presence');
  const engagement = agent.engagement;
  if (engagement?.kind === 'offered' || engagement?.kind === 'accepted')
    reasons.push('busyElsewhere');
  if (engagement?.kind === 'acw' && engagement.until > now) reasons.push('acw');
  if (isInRona(agent, now)) reasons.push('rona');
  if (input.atLimit) reasons.push('limit');
  return { available: reasons.length === 0, reasons };
}
