import type { ServiceId } from '../ids.js';
import type { Instant } from '../instant.js';
import { occupation, type AgentState } from './agent-state.js';
import type { Presence } from './presence.js';
import type { Modality, UnavailabilityReason } from './task.js';

const PRESENCE_WORDS: Record<Presence, string> = {
  Available: 'Available',
  Busy: 'Busy',
  BusyInMeeting: 'In a meeting',
  Away: 'Away',
  DoNotDisturb: 'Do not disturb',
  Offline: 'Offline',
};

export const presenceWords = (presence: Presence): string => PRESENCE_WORDS[presence];

const MODALITY_WORDS: Record<Modality, string> = {
  Call: 'Call',
  Im: 'Chat',
  ExternalTask: 'Task',
  Email: 'E-mail',
};

/** "Call", "Chat", "Task", "E-mail": what a task is, as a card or the tab names it. */
export const modalityWords = (modality: Modality): string => MODALITY_WORDS[modality];

/** What the words need from outside: names of services, and times the reader's way. */
export interface ReasonContext {
  readonly agent: AgentState;
  readonly now: Instant;
  readonly serviceName: (id: ServiceId) => string;
  readonly clockTime: (at: Instant) => string;
  /** How many chats the service lets someone hold at once (see chats at once); not known: 1. */
  readonly chatsAtOnce?: number;
}

/** "In 2 of 3 chats": how many chats someone holds of the most a service lets them. */
export const chatsWords = (held: number, limit: number): string =>
  `In ${held} of ${limit} chat${limit === 1 ? '' : 's'}`;

/** "1:12" for 72 seconds: how long after-call work has left. */
export function minutesSeconds(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

/** Why someone gets no task of a service now, in the words My Services shows (bot and tab alike). */
export function reasonWords(reason: UnavailabilityReason, context: ReasonContext): string {
  const { agent, now } = context;
  const engagement = occupation(agent);
  switch (reason) {
    case 'inactive':
      return 'Switched off for this service';
    case 'presence':
      return `${presenceWords(agent.presence)} in Teams`;
    case 'busyElsewhere':
      return engagement
        ? `Busy in ${context.serviceName(engagement.serviceId)}`
        : 'Busy with another task';
    case 'chats':
      return chatsWords(agent.chats.length, context.chatsAtOnce ?? agent.chats.length);
    case 'acw':
      return engagement?.kind === 'acw'
        ? `In after-call work — ${minutesSeconds(engagement.until - now)} left`
        : 'In after-call work';
    case 'rona':
      return agent.ronaUntil
        ? `Missed a task — back at ${context.clockTime(agent.ronaUntil)}`
        : 'Missed a task';
    case 'limit':
      return 'The service has reached its limit of open tasks';
    case 'tenant':
      return 'Service routing is not running for your organization';
    case 'skills':
      return 'Your skills do not match';
    case 'license':
      return 'Needs a license for this kind of task';
    case 'declined':
      return 'You declined this task';
  }
}

const RECORDED_WORDS: Record<UnavailabilityReason, string> = {
  inactive: 'switched off',
  presence: 'presence not admitted',
  busyElsewhere: 'busy with another task',
  chats: 'held as many chats as allowed',
  acw: 'in after-call work',
  rona: 'had missed a task',
  limit: 'the service was at its limit',
  tenant: 'routing was paused',
  skills: 'skills did not match',
  license: 'had no license for this kind of task',
  declined: 'had declined or missed it',
};

/**
 * Why someone was skipped, as a decision record says it: in the past, and without the
 * state of that moment (the record keeps the reason, not the presence or the task).
 */
export const recordedReasonWords = (reason: UnavailabilityReason): string => RECORDED_WORDS[reason];

/**
 * How long something took or lasts, coarse as a glance needs: "40 s", "12 min", "2 h 5 min";
 * with `seconds`, the seconds of the minutes too ("1 min 5 s": a KPI's average wait).
 */
export function durationWords(ms: number, seconds = false): string {
  const secs = Math.max(0, Math.floor(ms / 1000));
  if (secs < 60) return `${secs} s`;
  const minutes = Math.floor(secs / 60);
  if (minutes < 60)
    return seconds && secs % 60 ? `${minutes} min ${secs % 60} s` : `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}
