import { z } from 'zod';
import { CALLBACK_EVENTS } from '../../core/domain/routing/task-callbacks.js';
import type { OutgoingCall } from '../http/route.js';

/** What the request body says of `callbackUrl`. */
export const CALLBACK_DOC =
  'An https address told what becomes of the task: accepted, completed, canceled, abandoned, each POSTed there as JSON, signed (see this operation’s callbacks).';

/** The body of a callback, as a receiver (a Power Automate flow's trigger schema) reads it. */
const callbackEvent = z.object({
  id: z.string().describe('The event’s id; the same on a repeat: drop it'),
  type: z.enum(CALLBACK_EVENTS),
  occurredAt: z.iso.datetime(),
  tenantId: z.string(),
  serviceId: z.string(),
  taskId: z.string(),
  externalId: z.string().nullable().describe('The externalId the task was made with'),
  modality: z.string(),
  acceptedBy: z.string().nullable().describe('Who accepted it (their Entra object id)'),
});

/**
 * The task outcome callback, for the OpenAPI document: enough to build a receiver, a Power
 * Automate flow ("When an HTTP request is received": paste the body's schema) included.
 */
export const TASK_OUTCOME_CALLBACK: OutgoingCall = {
  expression: '{$request.body#/callbackUrl}',
  summary:
    'What became of the task: task.accepted, task.completed, task.canceled (after someone took it) or task.abandoned (before anyone did); a task’s events in order',
  body: callbackEvent,
  example: {
    id: '1764750000000-000000012ab3f',
    type: 'task.accepted',
    occurredAt: '2026-12-03T08:20:00.000Z',
    tenantId: '0d3e0000-0000-4000-8000-000000000001',
    serviceId: 'svc-it-helpdesk',
    taskId: '0d3e0000-0000-4000-8000-000000000001.mi8x2k0g00-0001-9f1c2a7b3d4e',
    externalId: 'INC-4711',
    modality: 'ExternalTask',
    acceptedBy: '0d3e0000-0000-4000-8000-0000000000c1',
  },
  headers: {
    'x-callback-id': 'The event’s id (the same on a repeat)',
    'x-callback-event': 'The event’s type',
    'x-callback-timestamp': 'When it was signed, Unix seconds',
    'x-callback-signature':
      'sha256= and the hex HMAC-SHA256 of "{timestamp}.{body}" under the tenant’s callback secret (GET /tenants/{t}/callback-secret)',
  },
  answers: {
    '2XX': 'Taken: not sent again',
    '408':
      'Sent again later (also 429, 5xx, or no answer): backoff from 1 s doubling to 10 min, for 24 hours',
    default: 'Any other answer, a redirect included: given up at once',
  },
};
