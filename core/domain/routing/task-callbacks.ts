import type { Instant } from '../instant.js';
import type { Task } from './task.js';

/** What a task's caller is told: the outcomes of its task (issue #22). */
export const CALLBACK_EVENTS = [
  'task.accepted',
  'task.completed',
  'task.canceled',
  'task.abandoned',
] as const;
export type CallbackEventType = (typeof CALLBACK_EVENTS)[number];

/** One event for a task's callback address, as it is sent (its body never changes). */
export interface CallbackEvent {
  readonly type: CallbackEventType;
  readonly at: Instant;
}

/**
 * The events a step makes for a task with a callback address: accepted when someone
 * takes it; completed; canceled (after someone took it) or abandoned (before anyone did).
 */
export function callbackEvents(before: Task | null, after: Task, now: Instant): CallbackEvent[] {
  if (after.callbackUrl === null) return [];
  const events: CallbackEvent[] = [];
  if (after.acceptedBy !== null && before?.acceptedBy !== after.acceptedBy)
    events.push({ type: 'task.accepted', at: after.acceptedAt ?? now });
  if (before?.state !== after.state) {
    const at = after.endedAt ?? now;
    if (after.state === 'Completed') events.push({ type: 'task.completed', at });
    if (after.state === 'Canceled')
      events.push({ type: after.acceptedAt === null ? 'task.abandoned' : 'task.canceled', at });
  }
  return events;
}

/** The JSON body of an event: what a flow reads (Power Automate's "When an HTTP request is received"). */
export function callbackBody(id: string, event: CallbackEvent, task: Task): string {
  return JSON.stringify({
    id,
    type: event.type,
    occurredAt: new Date(event.at).toISOString(),
    tenantId: task.tenantId,
    serviceId: task.serviceId,
    taskId: task.id,
    externalId: task.externalId,
    modality: task.modality,
    acceptedBy: task.acceptedBy,
  });
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/i;
/** Addresses a callback must not reach from the service: this network's own, not the caller's. */
const PRIVATE = [
  /^10\./,
  /^192\.168\./,
  /^172\.(1[6-9]|2\d|3[01])\./,
  /^169\.254\./,
  /^0\./,
  /^100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\./,
  /^\[(f[cd]|fe8|fe9|fea|feb)/i,
  /^\[::(ffff:)?/i,
  /\.(internal|local|localhost)$/i,
];

/**
 * Why a callback address cannot be used, in words (null: it can). An https address with a
 * name or public IP; never credentials in it, never this machine or its private network
 * (the service must not be made to call inside its own network). Dev mode allows plain
 * http to this machine, for local receivers.
 */
export function callbackUrlProblem(raw: string, devMode: boolean): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute address (https://…)';
  }
  if (raw.length > 2000) return 'must be at most 2000 characters';
  if (url.username || url.password) return 'must not hold a user name or password';
  const host = url.hostname;
  if (devMode && LOOPBACK.test(host) && (url.protocol === 'http:' || url.protocol === 'https:'))
    return null;
  if (url.protocol !== 'https:') return 'must be https';
  if (LOOPBACK.test(host) || PRIVATE.some((p) => p.test(host)))
    return 'must be reachable on the internet, not a private or local address';
  return null;
}
