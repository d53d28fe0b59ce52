import type { ServiceId, TaskId, TenantId, UserId } from '../ids.js';
import type { Instant } from '../instant.js';
import type { Presence } from './presence.js';

/** What occupies a person across all services: at most one thing at a time. */
export type Engagement =
  | { readonly kind: 'offered'; readonly taskId: TaskId; readonly serviceId: ServiceId }
  | { readonly kind: 'accepted'; readonly taskId: TaskId; readonly serviceId: ServiceId }
  | {
      readonly kind: 'acw';
      readonly taskId: TaskId;
      readonly serviceId: ServiceId;
      readonly until: Instant;
      readonly allowEarlyEnd: boolean;
      readonly allowExtension: boolean;
      readonly maxExtensionSec: number;
    };

/** A person's routing state, shared by all their services (busy in one = busy in all). */
export interface AgentState {
  readonly tenantId: TenantId;
  readonly userId: UserId;
  readonly presence: Presence;
  readonly engagement: Engagement | null;
  /** Persistent RONA: not selectable until this time (or a reset). */
  readonly ronaUntil: Instant | null;
  /** End of the last task (after its ACW); null if the person never had one. */
  readonly lastTaskEndedAt: Instant | null;
  /** When the person last became available (presence or Active switch). */
  readonly availableSince: Instant;
}

export function newAgentState(
  tenantId: TenantId,
  userId: UserId,
  now: Instant,
  presence: Presence = 'Available',
): AgentState {
  return {
    tenantId,
    userId,
    presence,
    engagement: null,
    ronaUntil: null,
    lastTaskEndedAt: null,
    availableSince: now,
  };
}

/** Idle since the end of the last task, or since becoming available for someone who never had one. */
export function idleSince(agent: AgentState): Instant {
  return agent.lastTaskEndedAt ?? agent.availableSince;
}

export function isInRona(agent: AgentState, now: Instant): boolean {
  return agent.ronaUntil !== null && agent.ronaUntil > now;
}
