import {
  CARD_NOTES,
  type CardNote,
  type CardOutboxEntry,
  type TaskCard,
} from '../domain/routing/cards.js';
import { z } from 'zod';
import { asTaskId, asUserId, type TaskId, type TenantId, type UserId } from '../domain/ids.js';
import { instantOf, type Instant } from '../domain/instant.js';
import {
  fromEveryShard,
  partitionOwner,
  ROUTING_TABLE,
  routingPartition,
  tenantOfPartition,
} from './routing-rows.js';
import { shardOfTask } from '../domain/routing/task-id.js';
import {
  TableRepository,
  type EntityMapping,
  type TableKey,
  type Versioned,
} from './table-repository.js';
import type { TableStorage } from './table-storage.js';
import type { WriteOp } from './table-transaction.js';
import { historySeq } from './history-rows.js';

const cardRowKey = (prefix: string, taskId: TaskId, userId: UserId) =>
  `${prefix}${taskId}:${userId}`;

function parseKey(rowKey: string, prefix: string) {
  const [taskId = '', userId = '', mark = ''] = rowKey.slice(prefix.length).split(':');
  return { taskId: asTaskId(taskId), userId: asUserId(userId), mark };
}

/** Where marks of cards to draw live: `due:{task}:{person}:{when}-{seq}`, one row per mark. */
const MARK_PREFIX = 'due:';
/** The outbox rows of versions before marks had rows of their own: one per card, kept drawn. */
const LEGACY_PREFIX = 'out:';

/** Where one person's card about a task is kept once sent: in the task's shard. */
export const taskCardKey = (tenantId: TenantId, taskId: TaskId, userId: UserId): TableKey => ({
  partitionKey: routingPartition(tenantId, shardOfTask(taskId)),
  rowKey: cardRowKey('card:', taskId, userId),
});

/**
 * A note this version does not know (written by a newer one, during a rolling upgrade)
 * reads as none: the card falls back to what the task says, where failing to parse would
 * stop the tenant's whole card outbox from draining.
 */
const note = z.enum(CARD_NOTES).nullish().catch(null);
const maybeInstant = (v: number | null | undefined) => (v == null ? null : instantOf(v));

/** One step's mark on a card: written once, in the step's transaction; deleted once drawn. */
interface CardMark extends CardOutboxEntry {
  /** When it was marked, and a sequence that keeps marks of one moment apart. */
  readonly mark: string;
  /** The routing shard of the transaction that wrote it (a person's step: 0; a task's: its shard). */
  readonly shard: number;
}

/** An outbox row of an earlier version: one per card, marked drawn (not due) instead of deleted. */
interface LegacyEntry extends CardOutboxEntry {
  readonly due: boolean;
}

const outboxColumns = {
  partitionKey: z.string(),
  rowKey: z.string(),
  markedAt: z.number(),
  note,
  attempts: z.number().nullish(),
  notBefore: z.number().nullish(),
};
// Made once: zod compiles a schema on its first use, so one made per row is compiled per row.
const markRow = z.object(outboxColumns);
const legacyRow = z.object({ ...outboxColumns, due: z.boolean().nullish() });

const entryColumns = (e: CardOutboxEntry) => ({
  markedAt: e.markedAt,
  note: e.note,
  attempts: e.attempts,
  notBefore: e.notBefore,
});

function entryOf(r: z.infer<z.ZodObject<typeof outboxColumns>>, prefix: string) {
  const { mark, ...key } = parseKey(r.rowKey, prefix);
  const entry: CardOutboxEntry = {
    tenantId: tenantOfPartition(r.partitionKey),
    ...key,
    markedAt: instantOf(r.markedAt),
    note: r.note ?? null,
    attempts: r.attempts ?? 0,
    notBefore: maybeInstant(r.notBefore),
  };
  return { entry, mark };
}

const markKey = (e: CardMark): TableKey => ({
  partitionKey: routingPartition(e.tenantId, e.shard),
  rowKey: `${cardRowKey(MARK_PREFIX, e.taskId, e.userId)}:${e.mark}`,
});

const markMapping: EntityMapping<CardMark> = {
  table: ROUTING_TABLE,
  rowPrefix: MARK_PREFIX,
  keyOf: markKey,
  toEntity: entryColumns,
  fromEntity: (entity) => {
    const r = markRow.parse(entity);
    const { entry, mark } = entryOf(r, MARK_PREFIX);
    return { ...entry, mark, shard: partitionOwner(r.partitionKey).shard };
  },
};

const legacyMapping: EntityMapping<LegacyEntry> = {
  table: ROUTING_TABLE,
  rowPrefix: LEGACY_PREFIX,
  keyOf: (e) => ({
    partitionKey: e.tenantId,
    rowKey: cardRowKey(LEGACY_PREFIX, e.taskId, e.userId),
  }),
  toEntity: (e) => ({ ...entryColumns(e), due: e.due }),
  fromEntity: (entity) => {
    const r = legacyRow.parse(entity);
    // Rows from before `due` existed lack it, and count as due.
    return { ...entryOf(r, LEGACY_PREFIX).entry, due: r.due ?? true };
  },
};

/** One outbox row behind a card to draw, with the version it was read at. */
export type OutboxRow =
  | { readonly kind: 'mark'; readonly row: Versioned<CardMark> }
  | { readonly kind: 'legacy'; readonly row: Versioned<LegacyEntry> };

const keyOfRow = (r: OutboxRow): TableKey =>
  r.kind === 'mark' ? markKey(r.row.value) : legacyMapping.keyOf(r.row.value);

/** A card waiting to be drawn, with every outbox row that asks for it. */
export interface DueCard extends CardOutboxEntry {
  readonly rows: readonly OutboxRow[];
}

/**
 * The outbox rows of each card, as one: marked when its newest mark was, with the newest
 * note, and the backoff of its failed sends (a newer mark keeps it: it has none of its own).
 */
function dueCards(rows: readonly OutboxRow[]): DueCard[] {
  const cards = new Map<string, OutboxRow[]>();
  for (const r of rows) {
    const id = `${r.row.value.taskId}:${r.row.value.userId}`;
    const of = cards.get(id);
    if (of) of.push(r);
    else cards.set(id, [r]);
  }
  return [...cards.values()].map((of) => {
    const values = of.map((r) => r.row.value).sort((a, b) => a.markedAt - b.markedAt);
    const newest = values[values.length - 1] as CardOutboxEntry;
    const noted = values.filter((v) => v.note !== null);
    const waits = values.flatMap((v) => (v.notBefore === null ? [] : [v.notBefore]));
    return {
      tenantId: newest.tenantId,
      taskId: newest.taskId,
      userId: newest.userId,
      markedAt: newest.markedAt,
      note: noted[noted.length - 1]?.note ?? null,
      attempts: Math.max(...values.map((v) => v.attempts)),
      notBefore: waits.length ? (Math.max(...waits) as Instant) : null,
      rows: of,
    };
  });
}

/**
 * The card outbox's rows. Each step that changes a card inserts a mark of its own (a new
 * row key, never written over), so the drawer deletes what it drew without any condition:
 * a step marking the card meanwhile wrote another row, which stays due. Only due marks
 * exist, so listing them never reads a drawn one, however long a tenant's history. Rows
 * of earlier versions (`out:`, one per card, kept drawn) are still drawn and marked.
 */
export class CardOutboxRows {
  private readonly marks: TableRepository<CardMark>;
  private readonly legacy: TableRepository<LegacyEntry>;

  constructor(storage: TableStorage) {
    this.marks = new TableRepository(storage, markMapping);
    this.legacy = new TableRepository(storage, legacyMapping);
  }

  /**
   * The cards waiting in a tenant's outbox (in each of its `shards`): its marks, and with
   * `legacy` the due rows of earlier versions too (`'all'` reads every such row, those
   * from before `due` existed; they are only ever in shard 0).
   */
  async due(tenantId: TenantId, legacy: boolean | 'all' = false, shards = 1): Promise<DueCard[]> {
    const [marks, old] = await Promise.all([
      fromEveryShard(tenantId, shards, (p) => this.marks.list(p)),
      legacy ? this.legacy.list(tenantId, '', legacy === 'all' ? undefined : 'due eq true') : [],
    ]);
    return dueCards([
      ...marks.map((row) => ({ kind: 'mark' as const, row })),
      ...old.filter((row) => row.value.due).map((row) => ({ kind: 'legacy' as const, row })),
    ]);
  }

  /**
   * One person's card about a task, if it waits to be drawn: marked by a step of the task
   * (in its shard) or of the person (in shard 0).
   */
  async pending(tenantId: TenantId, taskId: TaskId, userId: UserId): Promise<DueCard | undefined> {
    const within = `${taskId}:${userId}:`;
    const shard = shardOfTask(taskId);
    const [marks, personMarks, old] = await Promise.all([
      this.marks.list(routingPartition(tenantId, shard), within),
      shard > 0 ? this.marks.list(tenantId, within) : [],
      this.legacy.get({
        partitionKey: tenantId,
        rowKey: cardRowKey(LEGACY_PREFIX, taskId, userId),
      }),
    ]);
    return dueCards([
      ...[...marks, ...personMarks].map((row) => ({ kind: 'mark' as const, row })),
      ...(old?.value.due ? [{ kind: 'legacy' as const, row: old }] : []),
    ])[0];
  }

  /** Every outbox row of a tenant (in each of its `shards`), due or not (for retention). */
  async all(tenantId: TenantId, shards = 1): Promise<OutboxRow[]> {
    const [marks, old] = await Promise.all([
      fromEveryShard(tenantId, shards, (p) => this.marks.list(p)),
      this.legacy.list(tenantId),
    ]);
    return [
      ...marks.map((row) => ({ kind: 'mark' as const, row })),
      ...old.map((row) => ({ kind: 'legacy' as const, row })),
    ];
  }

  /** The writes that take a drawn row out: a mark goes; an older row is marked drawn under its ETag. */
  drawnOp(r: OutboxRow): WriteOp {
    if (r.kind === 'mark') return this.marks.deleteOp(markKey(r.row.value));
    const drawn = { ...r.row.value, due: false, attempts: 0, notBefore: null };
    return this.legacy.replaceOp(drawn, r.row.etag);
  }

  /** A row's key and version as read: the same string until the row is written again. */
  versionOf(r: OutboxRow): string {
    return `${keyOfRow(r).rowKey} ${r.row.etag}`;
  }

  /** The write that deletes a row whatever it holds (retention). */
  deleteOp(r: OutboxRow): WriteOp {
    return (r.kind === 'mark' ? this.marks : this.legacy).deleteOp(keyOfRow(r));
  }

  /** The writes that keep a card's backoff on each of its rows, under their ETags. */
  retryOps(card: DueCard, retry: Pick<CardOutboxEntry, 'attempts' | 'notBefore'>): WriteOp[] {
    return card.rows.map((r) =>
      r.kind === 'mark'
        ? this.marks.replaceOp({ ...r.row.value, ...retry }, r.row.etag)
        : this.legacy.replaceOp({ ...r.row.value, ...retry }, r.row.etag),
    );
  }
}

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
    const { taskId, userId } = parseKey(r.rowKey, 'card:');
    return {
      tenantId: tenantOfPartition(r.partitionKey),
      taskId,
      userId,
      conversationId: r.conversationId,
      activityId: r.activityId,
      note: r.note ?? null,
    };
  },
};

/**
 * The outbox write for one person's card, for the transaction of a task step: a mark of
 * its own (see CardOutboxRows), so a card marked again while it waits stays one card to
 * draw (its backoff kept), and a note is only ever added, never cleared, by a later mark.
 * It goes in the partition of the step's transaction: a task's step, the task's shard (the
 * default); a person's step, shard 0.
 */
export function markCardOp(
  tenantId: TenantId,
  taskId: TaskId,
  userId: UserId,
  now: Instant,
  cardNote: CardNote | null = null,
  shard = shardOfTask(taskId),
): WriteOp {
  const mark: CardMark = {
    shard,
    tenantId,
    taskId,
    userId,
    mark: `${String(now).padStart(13, '0')}-${historySeq()}`,
    markedAt: now,
    note: cardNote,
    attempts: 0,
    notBefore: null,
  };
  return {
    kind: 'insert',
    table: ROUTING_TABLE,
    entity: { ...markKey(mark), ...entryColumns(mark) },
  };
}

export function createCardStores(storage: TableStorage) {
  return {
    outbox: new CardOutboxRows(storage),
    cards: new TableRepository(storage, cardMapping),
  };
}

export type CardStores = ReturnType<typeof createCardStores>;
