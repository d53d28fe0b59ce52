import { z } from 'zod';
import { asTaskId, type TaskId, type TenantId } from '../domain/ids.js';
import { instantOf, type Instant } from '../domain/instant.js';
import { ROUTING_TABLE, routingPartition, tenantOfPartition } from './routing-rows.js';
import { shardOfTask } from '../domain/routing/task-id.js';
import { TableRepository, type EntityMapping, type TableKey } from './table-repository.js';
import type { TableStorage } from './table-storage.js';
import { TenantSignal } from './tenant-signal.js';

/**
 * An event on its way to a task's callback address: written in the step's transaction,
 * deleted once the address took it (or it was given up).
 */
export interface CallbackEntry {
  readonly tenantId: TenantId;
  readonly taskId: TaskId;
  /** The event's id, unique; also its place among the task's events (time, then order). */
  readonly id: string;
  readonly url: string;
  /** The JSON sent, the same at every attempt. */
  readonly body: string;
  readonly eventType: string;
  readonly attempts: number;
  /** Not before this time (a retry's backoff); null: at once. */
  readonly notBefore: Instant | null;
  readonly createdAt: Instant;
}

const PREFIX = 'cbo:';

const row = z.object({
  partitionKey: z.string(),
  rowKey: z.string().startsWith(PREFIX),
  url: z.string(),
  body: z.string(),
  eventType: z.string(),
  attempts: z.number().int(),
  notBefore: z.number().nullish(),
  createdAt: z.number(),
});

/**
 * `cbo:{task}:{event id}`: a task's events together, in the order they happened, in the
 * task's shard (they ride in its steps' transactions).
 */
export const callbackKey = (e: Pick<CallbackEntry, 'tenantId' | 'taskId' | 'id'>): TableKey => ({
  partitionKey: routingPartition(e.tenantId, shardOfTask(e.taskId)),
  rowKey: `${PREFIX}${e.taskId}:${e.id}`,
});

const mapping: EntityMapping<CallbackEntry> = {
  table: ROUTING_TABLE,
  rowPrefix: PREFIX,
  keyOf: callbackKey,
  toEntity: (e) => ({
    url: e.url,
    body: e.body,
    eventType: e.eventType,
    attempts: e.attempts,
    notBefore: e.notBefore,
    createdAt: e.createdAt,
  }),
  fromEntity: (entity) => {
    const r = row.parse(entity);
    const rest = r.rowKey.slice(PREFIX.length);
    const split = rest.indexOf(':');
    return {
      tenantId: tenantOfPartition(r.partitionKey),
      taskId: asTaskId(rest.slice(0, split)),
      id: rest.slice(split + 1),
      url: r.url,
      body: r.body,
      eventType: r.eventType,
      attempts: r.attempts,
      notBefore: r.notBefore == null ? null : instantOf(r.notBefore),
      createdAt: instantOf(r.createdAt),
    };
  },
};

/** The callback outbox, beside the routing rows, so an event commits with its step. */
export const createCallbackOutbox = (storage: TableStorage) =>
  new TableRepository(storage, mapping);

export type CallbackOutboxStore = ReturnType<typeof createCallbackOutbox>;

/** Tells whoever listens (the outbox) that this instance committed events for a tenant. */
export class CallbackWrites extends TenantSignal {}
