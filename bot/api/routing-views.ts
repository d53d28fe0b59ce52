import { toIso, type Instant } from '../../core/domain/instant.js';
import type { MyService, MyState } from '../../core/app/routing/me-actions.js';
import type { AgentState } from '../../core/domain/routing/agent-state.js';
import type { Task } from '../../core/domain/routing/task.js';

const iso = (at: Instant | null) => (at === null ? null : toIso(at));

export const taskView = (t: Task) => ({
  taskId: t.id,
  serviceId: t.serviceId,
  modality: t.modality,
  subject: t.subject,
  externalId: t.externalId,
  state: t.state,
  priority: t.priority,
  exit: t.exit,
  enqueuedAt: iso(t.enqueuedAt),
  offeredTo: t.offeredTo,
  offerExpiresAt: iso(t.offerExpiresAt),
  acceptedBy: t.acceptedBy,
  endedAt: iso(t.endedAt),
  decisions: t.decisions.map((d) => ({
    at: iso(d.at),
    offeredTo: d.offeredTo,
    skipped: d.skipped,
  })),
});

export const agentView = (a: AgentState) => ({
  presence: a.presence,
  engagement: a.engagement && {
    ...a.engagement,
    ...(a.engagement.kind === 'acw' && { until: iso(a.engagement.until) }),
  },
  ronaUntil: iso(a.ronaUntil),
  idleSince: iso(a.lastTaskEndedAt ?? a.availableSince),
});

const myServiceView = (s: MyService) => ({
  serviceId: s.service.id,
  name: s.service.name,
  assignmentType: s.service.assignmentType,
  role: s.membership.role,
  active: s.membership.active,
  available: s.availability.available,
  reasons: s.availability.reasons,
  memberSince: iso(s.membership.since),
});

export const myServicesView = (state: MyState) => state.services.map(myServiceView);
