import type { ServiceId, TaskId, TenantId, UserId } from '../ids.js';
import type { Instant } from '../instant.js';
import type { DistributionSettings, TaskPriority } from '../service-settings.js';

export const MODALITIES = ['Call', 'Im', 'ExternalTask', 'Email'] as const;
export type Modality = (typeof MODALITIES)[number];

/** Channels a task may come in through besides the API: a website chat (Interact). */
export const TASK_CHANNELS = ['interact'] as const;
export type TaskChannel = (typeof TASK_CHANNELS)[number];

export const TASK_STATES = [
  'Queued',
  'Offered',
  'Accepted',
  'Completed',
  'Rejected',
  'Canceled',
] as const;
export type TaskState = (typeof TASK_STATES)[number];

export type QueueExit = 'DirectAvailable' | 'InTimeAvailable' | 'NoOneAvailable';

/** Why a person was passed over in one distribution decision (the My Services reasons). */
export const UNAVAILABILITY_REASONS = [
  'inactive',
  'presence',
  'busyElsewhere',
  /** Holding as many chats as the service allows at once (chats at once, 2 or more). */
  'chats',
  'acw',
  'rona',
  'limit',
  'tenant',
  'skills',
  'license',
  'declined',
] as const;
export type UnavailabilityReason = (typeof UNAVAILABILITY_REASONS)[number];

/** One distribution decision about a task: who got it and who was skipped and why. */
export interface DecisionRecord {
  readonly at: Instant;
  readonly offeredTo: readonly UserId[];
  readonly skipped: readonly {
    readonly userId: UserId;
    readonly reasons: readonly UnavailabilityReason[];
  }[];
}

/**
 * The part of the service's distribution settings a task keeps from its entry: changing
 * the settings later affects new tasks only.
 */
export type TaskRouting = Pick<DistributionSettings, 'type' | 'callingTimeoutSec' | 'acw' | 'rona'>;

export interface Task {
  readonly tenantId: TenantId;
  readonly id: TaskId;
  readonly serviceId: ServiceId;
  readonly modality: Modality;
  readonly subject: string;
  readonly externalId: string | null;
  /** Where the task itself is (an https address the caller gave): "Open" on the card and in the tab. */
  readonly link: string | null;
  /**
   * Where the task's outcome is told (an https address the caller gave): accepted, completed,
   * canceled, abandoned, each POSTed there signed (see task-callbacks.ts).
   */
  readonly callbackUrl: string | null;
  /** Where the task came from when not through the API: 'interact' for a website chat. */
  readonly channel: TaskChannel | null;
  readonly priority: TaskPriority;
  readonly state: TaskState;
  readonly exit: QueueExit;
  readonly enqueuedAt: Instant;
  readonly routing: TaskRouting;
  readonly offeredTo: readonly UserId[];
  readonly offerExpiresAt: Instant | null;
  /** People who declined or missed it this round; they are asked again once everyone was. */
  readonly passedBy: readonly UserId[];
  readonly acceptedBy: UserId | null;
  /** When it was accepted (tasks from before this field was kept have none). */
  readonly acceptedAt: Instant | null;
  readonly endedAt: Instant | null;
  /** Who ended it for the person who had accepted it, and why (an owner or admin). */
  readonly ending: TaskEnding | null;
  readonly decisions: readonly DecisionRecord[];
}

/** An accepted task ended by someone else than the person who took it. */
export interface TaskEnding {
  /** The owner or admin; null for the system operator. */
  readonly by: UserId | null;
  readonly reason: string;
}

export const isOpen = (task: Task): boolean =>
  task.state === 'Queued' || task.state === 'Offered' || task.state === 'Accepted';

/** Tasks keep their last decisions only; older ones add nothing a person reads. */
export const MAX_DECISIONS = 20;

/** What a task is given on entry; everything else starts empty. */
export type TaskEntry = Pick<
  Task,
  | 'tenantId'
  | 'id'
  | 'serviceId'
  | 'modality'
  | 'subject'
  | 'externalId'
  | 'link'
  | 'priority'
  | 'exit'
  | 'enqueuedAt'
  | 'routing'
> & { readonly callbackUrl?: string | null; readonly channel?: TaskChannel | null };

export function queuedTask(entry: TaskEntry): Task {
  // Written out field by field (not spread): every task then shares one object shape, which
  // keeps scans over large queues fast.
  return {
    tenantId: entry.tenantId,
    id: entry.id,
    serviceId: entry.serviceId,
    modality: entry.modality,
    subject: entry.subject,
    externalId: entry.externalId,
    link: entry.link,
    callbackUrl: entry.callbackUrl ?? null,
    channel: entry.channel ?? null,
    priority: entry.priority,
    state: 'Queued',
    exit: entry.exit,
    enqueuedAt: entry.enqueuedAt,
    routing: entry.routing,
    offeredTo: [],
    offerExpiresAt: null,
    passedBy: [],
    acceptedBy: null,
    acceptedAt: null,
    endedAt: null,
    ending: null,
    decisions: [],
  };
}

/** The routing settings a task keeps from its service's distribution settings. */
export const routingOf = (d: DistributionSettings): TaskRouting => ({
  type: d.type,
  callingTimeoutSec: d.callingTimeoutSec,
  acw: d.acw,
  rona: d.rona,
});
