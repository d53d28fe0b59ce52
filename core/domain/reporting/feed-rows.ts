import type { DirectoryUser } from '../directory-user.js';
import type { UserId } from '../ids.js';
import type { Task } from '../routing/task.js';
import type { Service } from '../service.js';
import type { TenantSettings } from '../tenant-settings.js';
import type { FeedRow } from './feed-types.js';
import type { TaskStep } from './task-kpis.js';
import type { UserStateStep } from './user-states.js';

/** What a feed reader may see of people and customers (the tenant's data privacy settings). */
export interface FeedPrivacy {
  readonly users: 'clear' | 'masked';
  readonly customers: 'clear' | 'pseudonymous' | 'masked';
  /** How long each state lasted (show time in state). */
  readonly timeInState: boolean;
  /** A stable pseudonym of an identifier that does not reveal it (an HMAC in the shell). */
  readonly pseudonym: (value: string) => string;
}

/** Who reads the feed: the tenant's own (admins, a reporting key) or a partner's admin. */
export type FeedReader = 'tenant' | 'partner';

export const MASK = '*****';

/**
 * The tenant's data privacy settings applied to a reader: without "share PII" customer
 * identifiers are pseudonyms; a partner's admin sees people and customers as `*` unless the
 * tenant allows each.
 */
export function feedPrivacy(
  settings: TenantSettings['dataPrivacy'],
  reader: FeedReader,
  pseudonym: (value: string) => string,
): FeedPrivacy {
  const partner = reader === 'partner';
  return {
    users: partner && !settings.partnerSeesUserIdentifiers ? 'masked' : 'clear',
    customers:
      partner && !settings.partnerSeesCustomerIdentifiers
        ? 'masked'
        : settings.sharePii
          ? 'clear'
          : 'pseudonymous',
    timeInState: settings.showTimeInState,
    pseudonym,
  };
}

/**
 * A person's id as a reader may see it: masked, it keeps a pseudonym after the stars, so a
 * report still counts each person once without knowing who they are.
 */
const userOf = (p: FeedPrivacy, id: UserId | null): string | null =>
  id === null ? null : p.users === 'clear' ? id : `${MASK}-${p.pseudonym(`user:${id}`)}`;

function customerOf(p: FeedPrivacy, id: string | null): string | null {
  if (id === null) return null;
  if (p.customers === 'masked') return MASK;
  return p.customers === 'clear' ? id : `c-${p.pseudonym(`customer:${id}`)}`;
}

/** What became of a task, in one word a report can group by. */
export function outcomeOf(task: Pick<Task, 'state' | 'acceptedAt'>): string {
  switch (task.state) {
    case 'Queued':
    case 'Offered':
      return 'Waiting';
    case 'Accepted':
    case 'Completed':
    case 'Rejected':
      return task.state;
    case 'Canceled':
      return task.acceptedAt === null ? 'Abandoned' : 'Canceled';
  }
}

export function taskRow(task: Task, p: FeedPrivacy): FeedRow {
  return {
    TaskId: task.id,
    ServiceId: task.serviceId,
    Modality: task.modality,
    Priority: task.priority,
    State: task.state,
    Outcome: outcomeOf(task),
    QueueExit: task.exit,
    EnqueuedAt: task.enqueuedAt,
    AcceptedAt: task.acceptedAt,
    AcceptedBy: userOf(p, task.acceptedBy),
    EndedAt: task.endedAt,
    WaitMs: task.acceptedAt === null ? null : task.acceptedAt - task.enqueuedAt,
    HandleMs:
      task.acceptedAt !== null && task.endedAt !== null && task.state === 'Completed'
        ? task.endedAt - task.acceptedAt
        : null,
    CustomerId: customerOf(p, task.externalId),
    // Free text a customer may have given: only where customers appear by name.
    Subject: p.customers === 'clear' ? task.subject : null,
  };
}

const KIND_WORDS: Readonly<Record<TaskStep['kind'], string>> = {
  created: 'Created',
  offered: 'Offered',
  declined: 'Declined',
  missed: 'Missed',
  withdrawn: 'Withdrawn',
  accepted: 'Accepted',
  completed: 'Completed',
  canceled: 'Canceled',
  acwStarted: 'AcwStarted',
  acwEnded: 'AcwEnded',
};

/**
 * A history step's events: one, or one per person for an offer. `id` is the step's own key;
 * an event's adds its index, five digits, so events sort as their steps do.
 */
export function eventRows(
  id: string,
  taskId: string,
  serviceId: string,
  step: TaskStep,
  p: FeedPrivacy,
): FeedRow[] {
  const base = {
    TaskId: taskId,
    ServiceId: serviceId,
    Kind: KIND_WORDS[step.kind],
    At: step.at,
    UserId: null,
    Cause: null,
    QueueExit: null,
    Modality: null,
    Priority: null,
  };
  switch (step.kind) {
    case 'created':
      return [
        {
          ...base,
          EventId: `${id}:00000`,
          QueueExit: step.exit,
          Modality: step.modality,
          Priority: step.priority,
        },
      ];
    case 'offered':
      return step.to.map((u, i) => ({
        ...base,
        EventId: `${id}:${String(i).padStart(5, '0')}`,
        UserId: userOf(p, u),
      }));
    case 'withdrawn':
      return [{ ...base, EventId: `${id}:00000`, UserId: userOf(p, step.from), Cause: step.cause }];
    case 'completed':
    case 'canceled':
      return [{ ...base, EventId: `${id}:00000` }];
    case 'declined':
    case 'missed':
    case 'accepted':
    case 'acwStarted':
    case 'acwEnded':
      return [{ ...base, EventId: `${id}:00000`, UserId: userOf(p, step.by) }];
  }
}

const ENGAGEMENT_WORDS = { offered: 'Offered', accepted: 'Accepted', acw: 'Acw' } as const;

/**
 * A kept change of a person's state. `nextAt` is when the person's next state began (null
 * while this one lasts); the duration shows only with "show time in state".
 */
export function stateRow(
  id: string,
  userId: UserId,
  step: UserStateStep,
  nextAt: number | null,
  p: FeedPrivacy,
): FeedRow {
  const base = { StateId: id, UserId: userOf(p, userId), At: step.at };
  if (step.kind === 'active')
    return {
      ...base,
      Kind: 'ActiveSwitch',
      Presence: null,
      Engagement: null,
      ServiceId: step.serviceId,
      Rona: null,
      Active: step.active,
      DurationMs: null,
    };
  const { after } = step;
  return {
    ...base,
    Kind: 'State',
    Presence: after.presence,
    Engagement: after.engagement === null ? null : ENGAGEMENT_WORDS[after.engagement],
    ServiceId: after.serviceId,
    Rona: after.rona,
    Active: null,
    DurationMs: p.timeInState && nextAt !== null ? nextAt - step.at : null,
  };
}

export const serviceRow = (s: Service): FeedRow => ({
  ServiceId: s.id,
  Name: s.name,
  OuId: s.ouId,
  License: s.license,
  AssignmentType: s.assignmentType,
  ServiceLevelSec: s.settings.distribution.serviceLevelSec,
  Deleting: s.deletingSince !== undefined,
  CreatedAt: s.createdAt,
});

export const personRow = (u: DirectoryUser, p: FeedPrivacy): FeedRow => ({
  UserId: userOf(p, u.id)!,
  DisplayName: p.users === 'clear' ? u.displayName : MASK,
  OuId: u.ouId,
  TenantAdmin: u.roles.includes('TenantAdmin'),
  OuAdmin: u.roles.includes('OuAdmin'),
});
