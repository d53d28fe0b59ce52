import {
  CARD_NOTES,
  type CardNote,
  type CardOutboxEntry,
  type TaskCard,
} from '../domain/routing/cards.js';
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
import { ROUTING_TABLE } from './routing-rows.js';
import { TableRepository, type EntityMapping, type TableKey } from './table-repository.js';
import type { TableStorage } from './table-storage.js';
import type { WriteOp } from './table-transaction.js';

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
