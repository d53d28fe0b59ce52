import { toIso, type Instant } from '../../core/domain/instant.js';
import type { MyService, MyState } from '../../core/app/routing/me-actions.js';
import { inStateSince, type AgentState } from '../../core/domain/routing/agent-state.js';
import type { Task } from '../../core/domain/routing/task.js';
import type { BoardMember, ServiceBoard } from '../../core/app/routing/service-board.js';

const iso = (at: Instant | null) => (at === null ? null : toIso(at));

export const taskView = (t: Task) => ({
  taskId: t.id,
  serviceId: t.serviceId,
  modality: t.modality,
  subject: t.subject,
  externalId: t.externalId,
  link: t.link,
  /** 'interact' for a website chat (its lines at /tasks/{id}/chat), else null. */
  channel: t.channel,
  state: t.state,
  priority: t.priority,
  exit: t.exit,
  enqueuedAt: iso(t.enqueuedAt),
  offeredTo: t.offeredTo,
  offerExpiresAt: iso(t.offerExpiresAt),
  acceptedBy: t.acceptedBy,
  acceptedAt: iso(t.acceptedAt),
  endedAt: iso(t.endedAt),
  endedBy: t.ending ? { userId: t.ending.by, reason: t.ending.reason } : null,
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
  /** The chats they took and hold (chats at once), oldest first. */
  chats: a.chats,
  ronaUntil: iso(a.ronaUntil),
  idleSince: iso(a.lastTaskEndedAt ?? a.availableSince),
  changedAt: iso(a.changedAt),
});

const myServiceView = (state: MyState) => (s: MyService) => ({
  serviceId: s.service.id,
  name: s.service.name,
  assignmentType: s.service.assignmentType,
  role: s.membership.role,
  active: s.membership.active,
  /** How many chats the service lets me hold at once. */
  chatsAtOnce: s.service.settings.distribution.chatsAtOnce,
  available: s.availability.available,
  reasons: s.availability.reasons,
  memberSince: iso(s.membership.since),
  /**
   * Since when this service's answer has held: the later of my last state change and Active
   * flip; null where the tenant's data privacy settings hide time in state.
   */
  stateSince: state.showTimeInState ? iso(inStateSince(state.agent, s.membership)) : null,
  /** The kinds of tasks I get none of here for want of a license (`available` is for the rest). */
  missingLicenses: state.licenseGaps,
});

export const myServicesView = (state: MyState) => state.services.map(myServiceView(state));

/** My whole routing state as the tab shows it; `now` lets it count time in state on the server's clock. */
export const myStateView = (state: MyState, now: Instant) => ({
  now: toIso(now),
  ...agentView(state.agent),
  missingLicenses: state.licenseGaps,
  services: myServicesView(state),
});

/**
 * A colleague; where time in state is hidden, so is every time that would tell it, except
 * to owners and admins for a task in hand (they need to find the one that stalled).
 */
const boardMemberView = (showTimeInState: boolean, viewerMayEdit: boolean) => (m: BoardMember) => {
  const agent = agentView(m.agent);
  const since = showTimeInState || viewerMayEdit;
  return {
    userId: m.membership.userId,
    displayName: m.user?.displayName ?? m.membership.userId,
    role: m.membership.role,
    active: m.membership.active,
    available: m.availability.available,
    reasons: m.availability.reasons,
    missingLicenses: m.licenseGaps,
    stateSince: showTimeInState ? iso(inStateSince(m.agent, m.membership)) : null,
    agent: showTimeInState ? agent : { ...agent, idleSince: null, changedAt: null },
    engagedIn: m.engagedIn,
    inHand: m.inHand && {
      taskId: m.inHand.task.id,
      subject: m.inHand.task.subject,
      modality: m.inHand.task.modality,
      acceptedAt: since ? iso(m.inHand.task.acceptedAt) : null,
      longerThanUsual: since && m.inHand.longerThanUsual,
    },
  };
};

/** A service's members now, by name; `now` is the server's, for counting time in state. */
export const serviceBoardView = (board: ServiceBoard, now: Instant) => ({
  now: toIso(now),
  serviceId: board.service.id,
  name: board.service.name,
  /** Owners and admins may end a task someone accepted (POST /tasks/{id}/end). */
  viewerMayEdit: board.viewerMayEdit,
  /** How many chats the service lets someone hold at once. */
  chatsAtOnce: board.service.settings.distribution.chatsAtOnce,
  usualHandlingMs: board.usualHandlingMs,
  members: [...board.members]
    .map(boardMemberView(board.showTimeInState, board.viewerMayEdit))
    .sort((a, b) => a.displayName.localeCompare(b.displayName)),
});
