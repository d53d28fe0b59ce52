import type { TaskId, TenantId, UserId } from '../ids.js';
import type { Instant } from '../instant.js';
import { WITHDRAWAL_CAUSES } from './stale-offers.js';

/**
 * What a person's task card cannot learn from the task itself: that they declined it, let
 * it ring out, or had it withdrawn because they left its service, went Offline or Do not
 * disturb (presence), or the tenant stopped taking tasks (paused). Everything else
 * (offered, taken, accepted, after-call work) the card reads from the task and the
 * person's routing state when it is drawn.
 */
export const CARD_NOTES = ['declined', 'missed', ...WITHDRAWAL_CAUSES] as const;
export type CardNote = (typeof CARD_NOTES)[number];

/**
 * A card that must be drawn (again) in a person's chat: the transactional outbox. Routing
 * marks it in the same transaction as the task step, so no step goes untold; the sender
 * holding the tenant's lease draws the card from the current state and then takes out the
 * marks it drew (a transaction for all it drew), so a step marking it meanwhile, whose
 * mark it did not read, has it drawn again.
 */
export interface CardOutboxEntry {
  readonly tenantId: TenantId;
  readonly taskId: TaskId;
  readonly userId: UserId;
  readonly markedAt: Instant;
  readonly note: CardNote | null;
  /** Failed sends so far, and when to try again (backoff or the channel's Retry-After). */
  readonly attempts: number;
  readonly notBefore: Instant | null;
}

/** A card already in a person's chat, to be updated in place. */
export interface TaskCard {
  readonly tenantId: TenantId;
  readonly taskId: TaskId;
  readonly userId: UserId;
  readonly conversationId: string;
  readonly activityId: string;
  readonly note: CardNote | null;
}

/** Where a sent card lives in the chat, to update it later. */
export interface SentCard {
  readonly conversationId: string;
  readonly activityId: string;
}
