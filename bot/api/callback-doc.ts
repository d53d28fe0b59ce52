/**
 * What the OpenAPI document says of task callbacks: enough to build a receiver, a Power
 * Automate flow ("When an HTTP request is received") included.
 */
export const CALLBACK_DOC = [
  'An https address told what becomes of the task: each outcome event is POSTed there as JSON,',
  '{"id", "type": "task.accepted|task.completed|task.canceled|task.abandoned", "occurredAt",',
  '"tenantId", "serviceId", "taskId", "externalId", "modality", "acceptedBy" (the person’s id or null)},',
  'for example {"id":"1764750000000-000000012ab3f","type":"task.accepted","occurredAt":"2026-12-03T08:20:00.000Z",',
  '"tenantId":"0d3e…0001","serviceId":"svc-it-helpdesk","taskId":"0d3e…0001.mi3…","externalId":"INC-4711",',
  '"modality":"ExternalTask","acceptedBy":"0d3e…00c1"}.',
  'Headers: x-callback-id (the same on a repeat: drop it), x-callback-event, x-callback-timestamp (Unix seconds),',
  'x-callback-signature: sha256= and the hex HMAC-SHA256 of "{timestamp}.{body}" under the tenant’s callback secret',
  '(GET /tenants/{t}/callback-secret). Answer 2xx to take it; 408, 429, 5xx or no answer are retried with backoff',
  '(1 s doubling to 10 min) for 24 hours, other 4xx give up at once. A task’s events arrive in order.',
  'In Power Automate, the trigger’s JSON schema takes the body as above; check the signature in a step before acting.',
].join(' ');
