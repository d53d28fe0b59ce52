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
/** Names only this network resolves. */
const LOCAL_NAMES = /(^|\.)(internal|local|localhost)$/i;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/**
 * Whether an IP address (v4, or v6 without brackets) is this network's own rather than the
 * internet's: unspecified, loopback, private, shared (CGNAT), link-local, multicast or
 * broadcast, unique-local or link-local IPv6, and v4 addresses mapped into v6. The service
 * must not be made to call inside its own network.
 */
export function isPrivateAddress(ip: string): boolean {
  const v4 = IPV4.exec(ip);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      a >= 224 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 198 && (b === 18 || b === 19))
    );
  }
  const v6 = ip.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(v6);
  if (mapped) return isPrivateAddress(mapped[1]!);
  // The same, as a URL writes it (::ffff:a00:1 is 10.0.0.1).
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(v6);
  if (hex) {
    const [hi, lo] = [parseInt(hex[1]!, 16), parseInt(hex[2]!, 16)];
    return isPrivateAddress(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
  }
  return v6 === '::' || v6 === '::1' || /^f[cd]/.test(v6) || /^fe[89ab]/.test(v6) || /^ff/.test(v6);
}

/** A URL's host as an IP address (v6 without its brackets), or null for a name. */
const ipOf = (host: string): string | null =>
  IPV4.test(host) ? host : host.startsWith('[') ? host.slice(1, -1) : null;

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
  const ip = ipOf(host);
  if (LOCAL_NAMES.test(host) || (ip !== null && isPrivateAddress(ip)))
    return 'must be reachable on the internet, not a private or local address';
  return null;
}
