import { z } from 'zod';
import type { ServiceId, TaskId, TenantId, UserId } from '../ids.js';
import type { Instant } from '../instant.js';
import type { Presence } from './presence.js';
import type { Membership } from '../service.js';

/**
 * What occupies a person across all services, one thing at a time: an invitation ringing,
 * a task they took (a chat held is in `AgentState.chats` instead), or after-call work.
 */
export type Engagement =
  | { readonly kind: 'offered'; readonly taskId: TaskId; readonly serviceId: ServiceId }
  | { readonly kind: 'accepted'; readonly taskId: TaskId; readonly serviceId: ServiceId }
  | {
      readonly kind: 'acw';
      readonly taskId: TaskId;
      readonly serviceId: ServiceId;
      readonly until: Instant;
      readonly allowEarlyEnd: boolean;
      readonly allowExtension: boolean;
      readonly maxExtensionSec: number;
    };

/**
 * An engagement as it travels, in a row or through the API: the same shape, its ACW end
 * in the carrier's own time type (milliseconds in a row, an ISO string in the API).
 */
export const engagementSchema = <Time extends z.ZodType>(time: Time) =>
  z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('offered'), taskId: z.string(), serviceId: z.string() }),
      z.object({ kind: z.literal('accepted'), taskId: z.string(), serviceId: z.string() }),
      z.object({
        kind: z.literal('acw'),
        taskId: z.string(),
        serviceId: z.string(),
        until: time,
        allowEarlyEnd: z.boolean(),
        allowExtension: z.boolean(),
        maxExtensionSec: z.number(),
      }),
    ])
    .nullable();

/** A chat (an `Im` task) someone took and has not ended: a service may let them hold several. */
export interface HeldChat {
  readonly taskId: TaskId;
  readonly serviceId: ServiceId;
}

/** No chats held: one shared list. */
export const NO_CHATS: readonly HeldChat[] = Object.freeze([]);

export const heldChatSchema = z.object({ taskId: z.string(), serviceId: z.string() });

/** A person's routing state, shared by all their services (busy in one = busy in all). */
export interface AgentState {
  readonly tenantId: TenantId;
  readonly userId: UserId;
  readonly presence: Presence;
  readonly engagement: Engagement | null;
  /**
   * The chats they took and have not ended, oldest first (see chats at once): while they
   * hold any, only further chats may come, up to the limit of the chat's service.
   */
  readonly chats: readonly HeldChat[];
  /** Persistent RONA: not selectable until this time (or a reset). */
  readonly ronaUntil: Instant | null;
  /** End of the last task (after its ACW); null if the person never had one. */
  readonly lastTaskEndedAt: Instant | null;
  /** When the person last became available (presence or Active switch). */
  readonly availableSince: Instant;
  /** When presence, engagement or RONA last changed: the start of the "time in state". */
  readonly changedAt: Instant;
}

export function newAgentState(
  tenantId: TenantId,
  userId: UserId,
  now: Instant,
  presence: Presence = 'Available',
): AgentState {
  return {
    tenantId,
    userId,
    presence,
    engagement: null,
    chats: NO_CHATS,
    ronaUntil: null,
    lastTaskEndedAt: null,
    availableSince: now,
    changedAt: now,
  };
}

/** A person's routing state as stored, or for someone the app never saw, an Offline one. */
export function stateOrOffline(
  agent: AgentState | undefined,
  tenantId: TenantId,
  userId: UserId,
  now: Instant,
): AgentState {
  return agent ?? newAgentState(tenantId, userId, now, 'Offline');
}

/** Idle since the end of the last task, or since becoming available for someone who never had one. */
export function idleSince(agent: AgentState): Instant {
  return agent.lastTaskEndedAt ?? agent.availableSince;
}

export function isInRona(agent: AgentState, now: Instant): boolean {
  return agent.ronaUntil !== null && agent.ronaUntil > now;
}

/** The same person after a step, with `changedAt` moved when what others see of them changed. */
export function stampChange(
  before: AgentState | undefined,
  after: AgentState,
  now: Instant,
): AgentState {
  if (!before) return { ...after, changedAt: now };
  const same =
    before.presence === after.presence &&
    before.ronaUntil === after.ronaUntil &&
    before.engagement?.kind === after.engagement?.kind &&
    before.engagement?.taskId === after.engagement?.taskId &&
    sameChats(before.chats, after.chats);
  return same ? after : { ...after, changedAt: now };
}

/** Since when a person's answer for one service has held: their last state change or Active flip there. */
export const inStateSince = (agent: AgentState, membership: Membership): Instant =>
  Math.max(agent.changedAt, membership.activeSince) as Instant;

const sameChats = (a: readonly HeldChat[], b: readonly HeldChat[]) =>
  a.length === b.length && a.every((chat, i) => chat.taskId === b[i]?.taskId);

/**
 * What occupies someone, as one engagement (reports, boards, "Busy in …"): their own, or
 * else the first chat they hold, as a task taken.
 */
export function occupation(agent: AgentState): Engagement | null {
  const [chat] = agent.chats;
  return agent.engagement ?? (chat ? { kind: 'accepted', ...chat } : null);
}

/** The tasks someone took and has not ended, oldest first: the chats they hold, or the one task they took. */
export function tasksTaken(agent: AgentState): { taskId: TaskId; serviceId: ServiceId }[] {
  const e = agent.engagement;
  return [
    ...agent.chats,
    ...(e?.kind === 'accepted' ? [{ taskId: e.taskId, serviceId: e.serviceId }] : []),
  ];
}

/** The same person without any hold on a task: its invitation, the task itself, or a chat. */
export function releasedFrom(agent: AgentState, taskId: TaskId): AgentState {
  const engaged = agent.engagement?.taskId === taskId && agent.engagement.kind !== 'acw';
  const holds = agent.chats.some((c) => c.taskId === taskId);
  if (!engaged && !holds) return agent;
  return {
    ...agent,
    engagement: engaged ? null : agent.engagement,
    chats: holds ? agent.chats.filter((c) => c.taskId !== taskId) : agent.chats,
  };
}

/** The tasks a person's state holds them to: the one ringing for them or taken, and the chats taken. */
export function heldTasks(state: AgentState | undefined): Set<TaskId> {
  const held = new Set<TaskId>();
  const engagement = state?.engagement;
  if (engagement && engagement.kind !== 'acw') held.add(engagement.taskId);
  for (const chat of state?.chats ?? []) held.add(chat.taskId);
  return held;
}
