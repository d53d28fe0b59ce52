import type { ExternalRef, QueueState } from '../domain/routing/queue-state.js';
import { createHash } from 'node:crypto';
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
import { instantOf } from '../domain/instant.js';
import { shardOfTask, shardsOf } from '../domain/routing/task-id.js';
import {
  engagementSchema,
  heldChatSchema,
  NO_CHATS,
  type AgentState,
  type Engagement,
} from '../domain/routing/agent-state.js';
import { PRESENCES, type Presence } from '../domain/routing/presence.js';
import {
  MODALITIES,
  TASK_CHANNELS,
  TASK_STATES,
  UNAVAILABILITY_REASONS,
  type DecisionRecord,
  type Modality,
  type QueueExit,
  type Task,
  type TaskState,
} from '../domain/routing/task.js';
import {
  distributionSettings,
  TASK_PRIORITIES,
  type TaskPriority,
} from '../domain/service-settings.js';
import { jsonColumn, sharedJsonColumn, sharedString } from './json-column.js';
import { TableRepository, type EntityMapping, type TableKey } from './table-repository.js';
import type { TableStorage } from './table-storage.js';

/**
 * Open tasks, ended tasks, people's routing states and queue state: in one partition per
 * tenant, or, for a tenant with several routing shards, people's states in the tenant's
 * partition and each service's task rows in its shard's (see serviceShard).
 */
export const ROUTING_TABLE = 'Routing';

/** The partition of a tenant's routing shard: the tenant's own for shard 0, `{tenant}~{k}` else. */
export const routingPartition = (tenantId: TenantId, shard: number): string =>
  shard > 0 ? `${tenantId}~${shard}` : tenantId;

/** Whose routing partition a key names, and which shard of theirs (tenant ids hold no `~`). */
export function partitionOwner(partitionKey: string): { tenantId: TenantId; shard: number } {
  const tilde = partitionKey.indexOf('~');
  if (tilde < 0) return { tenantId: asTenantId(partitionKey), shard: 0 };
  return {
    tenantId: asTenantId(partitionKey.slice(0, tilde)),
    shard: Number(partitionKey.slice(tilde + 1)),
  };
}

/**
 * What a read gives in each of a tenant's routing partitions (its `shards`, see shardsOf),
 * as one list, shard after shard.
 */
export async function fromEveryShard<T>(
  tenantId: TenantId,
  shards: number,
  read: (partitionKey: string) => Promise<readonly T[]>,
): Promise<T[]> {
  const each = await Promise.all(
    shardsOf(shards).map((shard) => read(routingPartition(tenantId, shard))),
  );
  return each.flat();
}

/** The tenant a routing partition belongs to. */
export const tenantOfPartition = (partitionKey: string): TenantId =>
  partitionOwner(partitionKey).tenantId;

const ids = z.array(z.string());
const decisions = z.array(
  z.object({
    at: z.number(),
    offeredTo: ids,
    skipped: z.array(
      z.object({ userId: z.string(), reasons: z.array(z.enum(UNAVAILABILITY_REASONS)) }),
    ),
  }),
);
const routing = distributionSettings.pick({
  type: true,
  callingTimeoutSec: true,
  acw: true,
  rona: true,
});

const taskRow = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  serviceId: z.string(),
  modality: z.enum(MODALITIES),
  subject: z.string(),
  externalId: z.string().nullish(),
  link: z.string().nullish(),
  callbackUrl: z.string().nullish(),
  channel: z.enum(TASK_CHANNELS).nullish().catch(null),
  priority: z.enum(TASK_PRIORITIES),
  state: z.enum(TASK_STATES),
  exit: z.enum(['DirectAvailable', 'InTimeAvailable', 'NoOneAvailable']),
  enqueuedAt: z.number(),
  routing: sharedJsonColumn(routing),
  offeredTo: jsonColumn(ids),
  offerExpiresAt: z.number().nullish(),
  passedBy: jsonColumn(ids),
  acceptedBy: z.string().nullish(),
  acceptedAt: z.number().nullish(),
  endedAt: z.number().nullish(),
  endedBy: z.string().nullish(),
  endReason: z.string().nullish(),
  decisions: jsonColumn(decisions),
});

const nullableInstant = (v: number | null | undefined) => (v == null ? null : instantOf(v));

/** The empty list most waiting tasks hold (offered to nobody yet, no decisions), once for all. */
const NONE: readonly never[] = Object.freeze([]);
const userIds = (raw: readonly string[]): readonly UserId[] =>
  raw.length ? raw.map(asUserId) : NONE;

function taskMapping(prefix: 'open:' | 'done:'): EntityMapping<Task> {
  return {
    table: ROUTING_TABLE,
    rowPrefix: prefix,
    // Ended tasks pile up until retention purges them: only open ones live in memory.
    cached: prefix === 'open:',
    keyOf: (t) => ({
      partitionKey: routingPartition(t.tenantId, shardOfTask(t.id)),
      rowKey: `${prefix}${t.id}`,
    }),
    toEntity: (t) => ({
      serviceId: t.serviceId,
      modality: t.modality,
      subject: t.subject,
      externalId: t.externalId,
      link: t.link,
      callbackUrl: t.callbackUrl,
      channel: t.channel,
      priority: t.priority,
      state: t.state,
      exit: t.exit,
      enqueuedAt: t.enqueuedAt,
      routing: JSON.stringify(t.routing),
      offeredTo: JSON.stringify(t.offeredTo),
      offerExpiresAt: t.offerExpiresAt,
      passedBy: JSON.stringify(t.passedBy),
      acceptedBy: t.acceptedBy,
      acceptedAt: t.acceptedAt,
      endedAt: t.endedAt,
      // An ending by the system operator has a reason and no person.
      endedBy: t.ending ? (t.ending.by ?? '') : null,
      endReason: t.ending?.reason ?? null,
      decisions: JSON.stringify(t.decisions),
    }),
    fromEntity: (entity) => {
      const r = taskRow.parse(entity);
      // A tenant holds many tasks: what they repeat is kept once (see sharedString).
      return {
        tenantId: asTenantId(sharedString(tenantOfPartition(r.partitionKey))),
        id: asTaskId(r.rowKey.slice(prefix.length)),
        serviceId: asServiceId(sharedString(r.serviceId)),
        modality: sharedString(r.modality) as Modality,
        subject: r.subject,
        externalId: r.externalId ?? null,
        link: r.link ?? null,
        callbackUrl: r.callbackUrl ?? null,
        channel: r.channel ?? null,
        priority: sharedString(r.priority) as TaskPriority,
        state: sharedString(r.state) as TaskState,
        exit: sharedString(r.exit) as QueueExit,
        enqueuedAt: instantOf(r.enqueuedAt),
        routing: r.routing,
        offeredTo: userIds(r.offeredTo),
        offerExpiresAt: nullableInstant(r.offerExpiresAt),
        passedBy: userIds(r.passedBy),
        acceptedBy: r.acceptedBy ? asUserId(r.acceptedBy) : null,
        acceptedAt: nullableInstant(r.acceptedAt),
        endedAt: nullableInstant(r.endedAt),
        ending:
          r.endReason != null
            ? { by: r.endedBy ? asUserId(r.endedBy) : null, reason: r.endReason }
            : null,
        decisions: r.decisions.length
          ? r.decisions.map((d): DecisionRecord => ({
              at: instantOf(d.at),
              offeredTo: userIds(d.offeredTo),
              skipped: d.skipped.map((s) => ({ userId: asUserId(s.userId), reasons: s.reasons })),
            }))
          : NONE,
      };
    },
  };
}

const engagement = engagementSchema(z.number());

const agentRow = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  presence: z.enum(PRESENCES),
  engagement: jsonColumn(engagement),
  /** Rows written before chats at once hold none. */
  chats: jsonColumn(z.array(heldChatSchema)).nullish(),
  ronaUntil: z.number().nullish(),
  lastTaskEndedAt: z.number().nullish(),
  availableSince: z.number(),
  changedAt: z.number().nullish(),
});

function toEngagement(e: z.infer<typeof engagement>): Engagement | null {
  if (!e) return null;
  const base = { taskId: asTaskId(e.taskId), serviceId: asServiceId(e.serviceId) };
  return e.kind === 'acw' ? { ...e, ...base, until: instantOf(e.until) } : { ...e, ...base };
}

const agentMapping: EntityMapping<AgentState> = {
  table: ROUTING_TABLE,
  rowPrefix: 'agent:',
  cached: true,
  keyOf: (a) => agentKey(a.tenantId, a.userId),
  toEntity: (a) => ({
    presence: a.presence,
    engagement: JSON.stringify(a.engagement),
    // Written only while some are held (a replace drops it after): most rows hold none.
    ...(a.chats.length > 0 && { chats: JSON.stringify(a.chats) }),
    ronaUntil: a.ronaUntil,
    lastTaskEndedAt: a.lastTaskEndedAt,
    availableSince: a.availableSince,
    changedAt: a.changedAt,
  }),
  fromEntity: (entity) => {
    const r = agentRow.parse(entity);
    return {
      tenantId: asTenantId(sharedString(r.partitionKey)),
      userId: asUserId(r.rowKey.slice('agent:'.length)),
      presence: sharedString(r.presence) as Presence,
      engagement: toEngagement(r.engagement),
      chats: r.chats?.length
        ? r.chats.map((c) => ({ taskId: asTaskId(c.taskId), serviceId: asServiceId(c.serviceId) }))
        : NO_CHATS,
      ronaUntil: nullableInstant(r.ronaUntil),
      lastTaskEndedAt: nullableInstant(r.lastTaskEndedAt),
      availableSince: instantOf(r.availableSince),
      // Rows written before `changedAt` existed start their time in state when the person did.
      changedAt: instantOf(r.changedAt ?? r.availableSince),
    };
  },
};

const queueRow = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  roundRobin: jsonColumn(z.record(z.string(), z.number())),
});

const queueMapping: EntityMapping<QueueState> = {
  table: ROUTING_TABLE,
  rowPrefix: 'queue:',
  cached: true,
  keyOf: (q) => queueKey(q.tenantId, q.serviceId, q.shard ?? 0),
  toEntity: (q) => ({ roundRobin: JSON.stringify(q.roundRobin) }),
  fromEntity: (entity) => {
    const r = queueRow.parse(entity);
    const { tenantId, shard } = partitionOwner(r.partitionKey);
    return {
      tenantId,
      serviceId: asServiceId(r.rowKey.slice('queue:'.length)),
      roundRobin: r.roundRobin,
      ...(shard > 0 && { shard }),
    };
  },
};

const externalRow = z.object({
  partitionKey: z.string(),
  serviceId: z.string(),
  externalId: z.string(),
  taskId: z.string(),
});

const externalMapping: EntityMapping<ExternalRef> = {
  table: ROUTING_TABLE,
  rowPrefix: 'ext:',
  keyOf: (e) => externalKey(e.tenantId, e.serviceId, e.externalId, shardOfTask(e.taskId)),
  toEntity: (e) => ({ serviceId: e.serviceId, externalId: e.externalId, taskId: e.taskId }),
  fromEntity: (entity) => {
    const r = externalRow.parse(entity);
    return {
      tenantId: tenantOfPartition(r.partitionKey),
      serviceId: asServiceId(r.serviceId),
      externalId: r.externalId,
      taskId: asTaskId(r.taskId),
    };
  },
};

/** A task's rows live in its shard (its id names it). */
export const openTaskKey = (tenantId: TenantId, id: TaskId): TableKey => ({
  partitionKey: routingPartition(tenantId, shardOfTask(id)),
  rowKey: `open:${id}`,
});
export const doneTaskKey = (tenantId: TenantId, id: TaskId): TableKey => ({
  partitionKey: routingPartition(tenantId, shardOfTask(id)),
  rowKey: `done:${id}`,
});
export const agentKey = (tenantId: TenantId, userId: UserId): TableKey => ({
  partitionKey: tenantId,
  rowKey: `agent:${userId}`,
});
/** A service's queue row lives in the service's shard. */
export const queueKey = (tenantId: TenantId, serviceId: ServiceId, shard: number): TableKey => ({
  partitionKey: routingPartition(tenantId, shard),
  rowKey: `queue:${serviceId}`,
});
/** External ids may hold any characters (and any length): the key carries their SHA-256. */
export const externalKey = (
  tenantId: TenantId,
  serviceId: ServiceId,
  externalId: string,
  shard: number,
): TableKey => ({
  partitionKey: routingPartition(tenantId, shard),
  rowKey: `ext:${serviceId}:${createHash('sha256').update(externalId).digest('hex')}`,
});

export function createRoutingStores(storage: TableStorage) {
  return {
    openTasks: new TableRepository(storage, taskMapping('open:')),
    doneTasks: new TableRepository(storage, taskMapping('done:')),
    agents: new TableRepository(storage, agentMapping),
    queues: new TableRepository(storage, queueMapping),
    externalRefs: new TableRepository(storage, externalMapping),
  };
}

export type RoutingStores = ReturnType<typeof createRoutingStores>;
