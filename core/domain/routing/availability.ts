import type { Membership, Service } from '../service.js';
import { inactivityReason, type Tenant } from '../tenant.js';
import type { Instant } from '../instant.js';
import type { Skills } from '../directory-user.js';
import { isInRona, type AgentState } from './agent-state.js';
import { qualifies } from './agent-choice.js';
import { presenceAdmitted } from './presence.js';
import type { UnavailabilityReason } from './task.js';
import type { License } from '../license.js';
import { holdsAll } from './task-licenses.js';

export interface AvailabilityInput {
  readonly tenant: Tenant;
  readonly service: Service;
  readonly membership: Membership | undefined;
  readonly agent: AgentState;
  /** The service has reached its concurrency limit for the modality in question (not asked: no). */
  readonly atLimit?: boolean;
  /** The licenses a task needs (see licensesFor); not asked: none. */
  readonly needs?: readonly License[];
  /** The licenses the person holds (asked only when `needs` names some). */
  readonly licenses?: readonly License[];
  /**
   * Is the task a chat (see chats at once)? Not asked: what the person may get now, so
   * someone holding chats is answered for further chats.
   */
  readonly chat?: boolean;
  readonly now: Instant;
}

export interface Availability {
  readonly available: boolean;
  readonly reasons: readonly UnavailabilityReason[];
}

/**
 * Whether a person may receive a task of a service now, and every reason why not:
 * member and Active (skill-based services have no switch), presence admitted by the
 * service, no offered, accepted or ACW task in any service (except, for a chat, fewer
 * chats held than the service's *chats at once*), not in RONA, the service
 * below its concurrency limit, a tenant that accepts tasks, and the licenses the task
 * needs (its modality's, Interact for a website chat).
 */
export function availability(input: AvailabilityInput): Availability {
  const { tenant, service, membership, agent, now } = input;
  const reasons: UnavailabilityReason[] = [];
  if (inactivityReason(tenant) !== null) reasons.push('tenant');
  personReasons(reasons, service, membership, agent, now, input.chat ?? agent.chats.length > 0);
  if (input.atLimit) reasons.push('limit');
  if (input.needs?.length && !holdsAll(input.licenses ?? [], input.needs)) reasons.push('license');
  return { available: reasons.length === 0, reasons };
}

/**
 * What of a person's own rows keeps them from a service's tasks (its chats, or its other
 * tasks) now, added to `reasons`.
 */
function personReasons(
  reasons: UnavailabilityReason[],
  service: Service,
  membership: Membership | undefined,
  agent: AgentState,
  now: Instant,
  chat: boolean,
): void {
  const skillBased = service.assignmentType === 'SkillBased';
  if (!membership || (!skillBased && !membership.active)) reasons.push('inactive');
  if (!presenceAdmitted(agent.presence, service.settings.distribution.presence))
    reasons.push('presence');
  const engagement = agent.engagement;
  const held = agent.chats.length;
  const limit = service.settings.distribution.chatsAtOnce;
  if (engagement?.kind === 'offered' || engagement?.kind === 'accepted')
    reasons.push('busyElsewhere');
  else if (held > 0 && (!chat || limit === 1)) reasons.push('busyElsewhere');
  else if (held >= limit) reasons.push('chats');
  if (engagement?.kind === 'acw' && engagement.until > now) reasons.push('acw');
  if (isInRona(agent, now)) reasons.push('rona');
}

/**
 * Where a member stands for a service's tasks of one lane by their own rows alone (the tenant and the
 * service's limits aside), whatever the time: `ready` (available and qualified), held
 * only until an instant (an ACW or a RONA ending then; available from then on while the
 * rows stay), or `held` by something no clock ends. So for an active tenant below its
 * limits, `availability(…).available && qualifies(…)` at any `now` equals `ready`, or an
 * instant at or before `now`. A person without the licenses a lane of tasks needs is
 * `held` for it; `chat` says the lane's tasks are chats (chats at once). The routing
 * index keeps members sorted by it, per lane.
 */
export type Readiness = 'ready' | 'held' | Instant;

/** A time after every ACW and RONA (weighed at it, only what no clock ends still holds). */
const AFTER_EVERY_TIMER = Number.MAX_SAFE_INTEGER as Instant;

export function readiness(
  service: Service,
  membership: Membership | undefined,
  agent: AgentState | undefined,
  skills: Skills,
  licenses: readonly License[] = [],
  needs: readonly License[] = [],
  chat = false,
): Readiness {
  if (!agent || !qualifies(skills, service.settings.distribution.policy)) return 'held';
  if (!holdsAll(licenses, needs)) return 'held';
  const holds: UnavailabilityReason[] = [];
  personReasons(holds, service, membership, agent, AFTER_EVERY_TIMER, chat);
  if (holds.length) return 'held';
  const acwUntil = agent.engagement?.kind === 'acw' ? agent.engagement.until : null;
  if (acwUntil === null && agent.ronaUntil === null) return 'ready';
  return Math.max(acwUntil ?? -Infinity, agent.ronaUntil ?? -Infinity) as Instant;
}
