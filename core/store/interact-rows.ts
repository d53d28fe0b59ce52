import { z } from 'zod';
import {
  asServiceId,
  asTaskId,
  asTenantId,
  asUserId,
  type ServiceId,
  type TaskId,
  type TenantId,
  type UserId,
} from '../domain/ids.js';
import { instantOf, type Instant } from '../domain/instant.js';
import { TableRepository, type EntityMapping, type TableKey } from './table-repository.js';
import type { TableStorage } from './table-storage.js';

/** Website chats (Interact): sessions, their messages, and the sessions still open. */
export const INTERACT_TABLE = 'Interact';

/** How a website chat ended for the customer's side. */
export const CHAT_ENDINGS = ['customer', 'timeout'] as const;
export type ChatEnding = (typeof CHAT_ENDINGS)[number];

/** One customer's website chat: the task it made, and how the customer proves it is theirs. */
export interface ChatSession {
  readonly tenantId: TenantId;
  readonly id: string;
  readonly serviceId: ServiceId;
  /** The task the chat entered the queue as (null for a moment while it is made). */
  readonly taskId: TaskId | null;
  readonly customerName: string;
  /** SHA-256 of the secret the customer's page holds (hex). */
  readonly secretHash: string;
  readonly startedAt: Instant;
  /** When the customer left (closed it, or was away past the recovery timeout). */
  readonly leftAt: Instant | null;
  readonly leftHow: ChatEnding | null;
}

export const CHAT_AUTHORS = ['customer', 'agent'] as const;
export type ChatAuthor = (typeof CHAT_AUTHORS)[number];

/** One line of a chat's transcript. */
export interface ChatMessage {
  readonly tenantId: TenantId;
  readonly sessionId: string;
  /** Its place in the chat: sorts in the order the lines were written. */
  readonly key: string;
  readonly from: ChatAuthor;
  /** The agent who wrote it (null for the customer). */
  readonly agentId: UserId | null;
  readonly text: string;
  readonly at: Instant;
}

/** A chat still open, in one partition all instances list: when its customer was last seen. */
export interface LiveChat {
  readonly tenantId: TenantId;
  readonly sessionId: string;
  readonly lastSeenAt: Instant;
  /** How long the customer may be away (the tenant's recovery timeout when it started). */
  readonly timeoutMs: number;
  /** The place of the chat's last line (see the chat's line keys), if it has any. */
  readonly lastPlace?: number;
}

const SESSION = 's:';
const MESSAGE = 'm:';
const LIVE_PARTITION = 'live';

export const chatKey = (tenantId: TenantId, sessionId: string): TableKey => ({
  partitionKey: tenantId,
  rowKey: `${SESSION}${sessionId}`,
});

const sessionRow = z.object({
  partitionKey: z.string(),
  rowKey: z.string().startsWith(SESSION),
  serviceId: z.string(),
  taskId: z.string().nullish(),
  customerName: z.string(),
  secretHash: z.string(),
  startedAt: z.number(),
  leftAt: z.number().nullish(),
  leftHow: z.enum(CHAT_ENDINGS).nullish(),
});

const sessionMapping: EntityMapping<ChatSession> = {
  table: INTERACT_TABLE,
  rowPrefix: SESSION,
  keyOf: (s) => chatKey(s.tenantId, s.id),
  toEntity: (s) => ({
    serviceId: s.serviceId,
    taskId: s.taskId,
    customerName: s.customerName,
    secretHash: s.secretHash,
    startedAt: s.startedAt,
    leftAt: s.leftAt,
    leftHow: s.leftHow,
  }),
  fromEntity: (entity) => {
    const r = sessionRow.parse(entity);
    return {
      tenantId: asTenantId(r.partitionKey),
      id: r.rowKey.slice(SESSION.length),
      serviceId: asServiceId(r.serviceId),
      taskId: r.taskId ? asTaskId(r.taskId) : null,
      customerName: r.customerName,
      secretHash: r.secretHash,
      startedAt: instantOf(r.startedAt),
      leftAt: r.leftAt == null ? null : instantOf(r.leftAt),
      leftHow: r.leftHow ?? null,
    };
  },
};

const messageRow = z.object({
  partitionKey: z.string(),
  rowKey: z.string().startsWith(MESSAGE),
  from: z.enum(CHAT_AUTHORS),
  agentId: z.string().nullish(),
  text: z.string(),
  at: z.number(),
});

/** `m:{session}:{key}`: a chat's lines together, in order. */
const messageKey = (tenantId: TenantId, sessionId: string, key: string): TableKey => ({
  partitionKey: tenantId,
  rowKey: `${MESSAGE}${sessionId}:${key}`,
});

const messageMapping: EntityMapping<ChatMessage> = {
  table: INTERACT_TABLE,
  rowPrefix: MESSAGE,
  keyOf: (m) => messageKey(m.tenantId, m.sessionId, m.key),
  toEntity: (m) => ({ from: m.from, agentId: m.agentId, text: m.text, at: m.at }),
  fromEntity: (entity) => {
    const r = messageRow.parse(entity);
    const rest = r.rowKey.slice(MESSAGE.length);
    const colon = rest.indexOf(':');
    return {
      tenantId: asTenantId(r.partitionKey),
      sessionId: rest.slice(0, colon),
      key: rest.slice(colon + 1),
      from: r.from,
      agentId: r.agentId ? asUserId(r.agentId) : null,
      text: r.text,
      at: instantOf(r.at),
    };
  },
};

const liveRow = z.object({
  partitionKey: z.literal(LIVE_PARTITION),
  rowKey: z.string(),
  lastSeenAt: z.number(),
  timeoutMs: z.number(),
  lastPlace: z.number().nullish(),
});

const liveKey = (tenantId: TenantId, sessionId: string): TableKey => ({
  partitionKey: LIVE_PARTITION,
  rowKey: `${tenantId}~${sessionId}`,
});

const liveMapping: EntityMapping<LiveChat> = {
  table: INTERACT_TABLE,
  rowPrefix: '',
  keyOf: (l) => liveKey(l.tenantId, l.sessionId),
  toEntity: (l) => ({
    lastSeenAt: l.lastSeenAt,
    timeoutMs: l.timeoutMs,
    lastPlace: l.lastPlace ?? null,
  }),
  fromEntity: (entity) => {
    const r = liveRow.parse(entity);
    const [tenantId = '', sessionId = ''] = r.rowKey.split('~');
    return {
      tenantId: asTenantId(tenantId),
      sessionId,
      lastSeenAt: instantOf(r.lastSeenAt),
      timeoutMs: r.timeoutMs,
      ...(r.lastPlace != null && { lastPlace: r.lastPlace }),
    };
  },
};

/** The website chats' rows (see INTERACT_TABLE). */
export function createInteractStore(storage: TableStorage) {
  const sessions = new TableRepository(storage, sessionMapping);
  const messages = new TableRepository(storage, messageMapping);
  const live = new TableRepository(storage, liveMapping);
  return {
    sessions,
    messages,
    live,
    /** A chat's lines after one (by key), or all of them, in order. */
    async transcript(tenantId: TenantId, sessionId: string, after?: string) {
      const rows = await messages.list(tenantId, `${sessionId}:`);
      const lines = rows.map((r) => r.value).sort((a, b) => (a.key < b.key ? -1 : 1));
      return after === undefined ? lines : lines.filter((m) => m.key > after);
    },
    /** Every chat still open, in all tenants (one partition: a sweep's one read). */
    openChats: async () => (await live.list(LIVE_PARTITION)).map((r) => r),
    liveKey,
    messageKey,
  };
}

export type InteractStore = ReturnType<typeof createInteractStore>;
