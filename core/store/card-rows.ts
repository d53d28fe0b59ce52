import { z } from 'zod';
import {
  asTaskId,
  asTenantId,
  asUserId,
  type TaskId,
  type TenantId,
  type UserId,
} from '../domain/ids.js';
import { instantOf, type Instant } from '../domain/instant.js';
import { WITHDRAWAL_CAUSES } from '../domain/routing/stale-offers.js';
import { ROUTING_TABLE } from './routing-rows.js';
import { TableRepository, type EntityMapping, type TableKey } from './table-repository.js';
import type { TableStorage } from './table-storage.js';
import type { WriteOp } from './table-transaction.js';

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
 * writes it in the same transaction as the task step, so no step goes untold; the sender
 * holding the tenant's lease draws the card from the current state and marks the entry
 * drawn under its ETag (a transaction for all it drew), so a step marking it meanwhile wins.
 */
export interface CardOutboxEntry {
  readonly tenantId: TenantId;
  readonly taskId: TaskId;
  readonly userId: UserId;
  readonly markedAt: Instant;
  readonly note: CardNote | null;
  /** Waiting to be drawn; a drawn entry stays (not due) until retention purges its task. */
  readonly due: boolean;
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

const cardRowKey = (prefix: string, taskId: TaskId, userId: UserId) =>
  `${prefix}${taskId}:${userId}`;

function parseKey(rowKey: string, prefix: string) {
  const [taskId = '', userId = ''] = rowKey.slice(prefix.length).split(':');
  return { taskId: asTaskId(taskId), userId: asUserId(userId) };
}

export const outboxKey = (tenantId: TenantId, taskId: TaskId, userId: UserId): TableKey => ({
  partitionKey: tenantId,
  rowKey: cardRowKey('out:', taskId, userId),
});

export const taskCardKey = (tenantId: TenantId, taskId: TaskId, userId: UserId): TableKey => ({
  partitionKey: tenantId,
  rowKey: cardRowKey('card:', taskId, userId),
});

/**
 * A note this version does not know (written by a newer one, during a rolling upgrade)
 * reads as none: the card falls back to what the task says, where failing to parse would
 * stop the tenant's whole card outbox from draining.
 */
const note = z.enum(CARD_NOTES).nullish().catch(null);
const maybeInstant = (v: number | null | undefined) => (v == null ? null : instantOf(v));

const outboxRow = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  markedAt: z.number(),
  note,
  due: z.boolean().nullish(),
  attempts: z.number().nullish(),
  notBefore: z.number().nullish(),
});

const outboxMapping: EntityMapping<CardOutboxEntry> = {
  table: ROUTING_TABLE,
  rowPrefix: 'out:',
  keyOf: (e) => outboxKey(e.tenantId, e.taskId, e.userId),
  toEntity: (e) => ({
    markedAt: e.markedAt,
    note: e.note,
    due: e.due,
    attempts: e.attempts,
    notBefore: e.notBefore,
  }),
  fromEntity: (entity) => {
    const r = outboxRow.parse(entity);
    return {
      tenantId: asTenantId(r.partitionKey),
      ...parseKey(r.rowKey, 'out:'),
      markedAt: instantOf(r.markedAt),
      note: r.note ?? null,
      due: r.due ?? true,
      attempts: r.attempts ?? 0,
      notBefore: maybeInstant(r.notBefore),
    };
  },
};

const cardRow = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  conversationId: z.string(),
  activityId: z.string(),
  note,
});

const cardMapping: EntityMapping<TaskCard> = {
  table: ROUTING_TABLE,
  rowPrefix: 'card:',
  keyOf: (c) => taskCardKey(c.tenantId, c.taskId, c.userId),
  toEntity: (c) => ({
    conversationId: c.conversationId,
    activityId: c.activityId,
    note: c.note,
  }),
  fromEntity: (entity) => {
    const r = cardRow.parse(entity);
    return {
      tenantId: asTenantId(r.partitionKey),
      ...parseKey(r.rowKey, 'card:'),
      conversationId: r.conversationId,
      activityId: r.activityId,
      note: r.note ?? null,
    };
  },
};

/**
 * The outbox write for one person's card, for the transaction of a task step. It merges:
 * a card already waiting stays one entry (its backoff kept), and a note is only
 * ever added, never cleared, by a later step.
 */
export function markCardOp(
  tenantId: TenantId,
  taskId: TaskId,
  userId: UserId,
  now: Instant,
  cardNote: CardNote | null = null,
): WriteOp {
  return {
    kind: 'merge',
    table: ROUTING_TABLE,
    entity: {
      ...outboxKey(tenantId, taskId, userId),
      markedAt: now,
      due: true,
      ...(cardNote && { note: cardNote }),
    },
  };
}

export function createCardStores(storage: TableStorage) {
  return {
    outbox: new TableRepository(storage, outboxMapping),
    cards: new TableRepository(storage, cardMapping),
  };
}

export type CardStores = ReturnType<typeof createCardStores>;
