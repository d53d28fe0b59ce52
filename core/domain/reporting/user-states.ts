import type { ServiceId } from '../ids.js';
import type { Instant } from '../instant.js';
import { occupation, type AgentState } from '../routing/agent-state.js';
import type { Presence } from '../routing/presence.js';

/**
 * A person's own routing state, as the user-state history keeps it (issue #21, "persist
 * user states"): presence, what they are doing, and whether a missed task holds them back.
 */
export interface PersonState {
  readonly presence: Presence;
  /** Ringing (`offered`), on a task (`accepted`), in after-call work (`acw`), or none. */
  readonly engagement: 'offered' | 'accepted' | 'acw' | null;
  /** The service of that task. */
  readonly serviceId: ServiceId | null;
  /** Held back after a missed task (RONA) until a reset or its time. */
  readonly rona: boolean;
}

/** One change of a person's state, with its time. */
export type UserStateStep =
  /** Presence, engagement or RONA changed (`before` null: the person's first state). */
  | {
      readonly kind: 'state';
      readonly at: Instant;
      readonly before: PersonState | null;
      readonly after: PersonState;
    }
  /** Switched Active in a service, or away from it (leaving the service included). */
  | {
      readonly kind: 'active';
      readonly at: Instant;
      readonly serviceId: ServiceId;
      readonly active: boolean;
    };

/** A person's state as reports keep it: someone holding chats is on a task (of their first chat's service). */
export function personStateOf(agent: AgentState): PersonState {
  const engagement = occupation(agent);
  return {
    presence: agent.presence,
    engagement: engagement?.kind ?? null,
    serviceId: engagement?.serviceId ?? null,
    rona: agent.ronaUntil !== null,
  };
}

const sameState = (a: PersonState, b: PersonState) =>
  a.presence === b.presence &&
  a.engagement === b.engagement &&
  a.serviceId === b.serviceId &&
  a.rona === b.rona;

/** The change a new routing state makes to the person's state, if any. */
export function stateChange(
  before: AgentState | undefined,
  after: AgentState,
  now: Instant,
): UserStateStep | null {
  const was = before ? personStateOf(before) : null;
  const is = personStateOf(after);
  if (was && sameState(was, is)) return null;
  return { kind: 'state', at: now, before: was, after: is };
}
