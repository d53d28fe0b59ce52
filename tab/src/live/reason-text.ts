import { asServiceId, asTaskId, asTenantId, asUserId } from '../../../core/domain/ids';
import { instantOf, type Instant } from '../../../core/domain/instant';
import type { AgentState, Engagement } from '../../../core/domain/routing/agent-state';
import { reasonWords } from '../../../core/domain/routing/reason-words';
import type { UnavailabilityReason } from '../../../core/domain/routing/task';
import type { AgentView } from '../api/schemas';

const at = (iso: string): Instant => instantOf(Date.parse(iso));
/** A time the view may hide (time in state): no reason's words depend on it. */
const atOrEpoch = (iso: string | null): Instant => instantOf(iso === null ? 0 : Date.parse(iso));

function engagementOf(view: AgentView): Engagement | null {
  const e = view.engagement;
  if (!e) return null;
  const base = { taskId: asTaskId(e.taskId), serviceId: asServiceId(e.serviceId) };
  if (e.kind !== 'acw') return { kind: e.kind, ...base };
  return { ...e, ...base, until: at(e.until) };
}

/** The API's view of a person as the domain's state, so the words are the bot's words. */
function agentStateOf(view: AgentView, userId = 'me'): AgentState {
  return {
    tenantId: asTenantId('tenant'),
    userId: asUserId(userId),
    presence: view.presence,
    engagement: engagementOf(view),
    chats: view.chats.map((c) => ({
      taskId: asTaskId(c.taskId),
      serviceId: asServiceId(c.serviceId),
    })),
    ronaUntil: view.ronaUntil ? at(view.ronaUntil) : null,
    lastTaskEndedAt: null,
    availableSince: atOrEpoch(view.idleSince),
    changedAt: atOrEpoch(view.changedAt),
  };
}

/** "10:42": a time of day the reader's way. */
export const clockTime = (at: number) =>
  new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** Why someone gets no task now, in words ("In after-call work — 1:12 left"). */
export function reasonText(
  reason: UnavailabilityReason,
  agent: AgentView,
  now: number,
  serviceName: (serviceId: string) => string,
  /** How many chats the service lets someone hold at once. */
  chatsAtOnce = 1,
): string {
  return reasonWords(reason, {
    agent: agentStateOf(agent),
    now: instantOf(now),
    serviceName: (id) => serviceName(id),
    clockTime,
    chatsAtOnce,
  });
}
