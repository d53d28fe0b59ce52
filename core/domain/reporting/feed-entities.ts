import type { EdmType, FeedEntity, FeedProperty } from './feed-types.js';

const S: FeedProperty = { type: 'Edm.String', nullable: false };
const S0: FeedProperty = { type: 'Edm.String', nullable: true };
const N0: FeedProperty = { type: 'Edm.Int64', nullable: true };
const N: FeedProperty = { type: 'Edm.Int64', nullable: false };
const B: FeedProperty = { type: 'Edm.Boolean', nullable: false };
const B0: FeedProperty = { type: 'Edm.Boolean', nullable: true };
const T: FeedProperty = { type: 'Edm.DateTimeOffset', nullable: false };
const T0: FeedProperty = { type: 'Edm.DateTimeOffset', nullable: true };

/** Every task the tenant keeps (open, and ended until the retention time purges it). */
export const TASKS: FeedEntity = {
  type: 'Task',
  set: 'Tasks',
  key: 'TaskId',
  properties: {
    TaskId: S,
    ServiceId: S,
    Modality: S,
    Priority: S,
    State: S,
    /** Waiting, Accepted, Completed, Abandoned (canceled before anyone accepted), Canceled, Rejected. */
    Outcome: S,
    QueueExit: S,
    EnqueuedAt: T,
    AcceptedAt: T0,
    AcceptedBy: S0,
    EndedAt: T0,
    WaitMs: N0,
    HandleMs: N0,
    CustomerId: S0,
    Subject: S0,
  },
};

/** Each step of each task (one event per person a task was offered to). */
export const TASK_EVENTS: FeedEntity = {
  type: 'TaskEvent',
  set: 'TaskEvents',
  key: 'EventId',
  properties: {
    EventId: S,
    TaskId: S,
    ServiceId: S,
    /** Created, Offered, Declined, Missed, Withdrawn, Accepted, Completed, Canceled, AcwStarted, AcwEnded. */
    Kind: S,
    At: T,
    UserId: S0,
    /** Why an offer was withdrawn: left, presence, paused, taken, ended. */
    Cause: S0,
    QueueExit: S0,
    Modality: S0,
    Priority: S0,
  },
};

/** Each kept change of a person's state (while the tenant persists user states). */
export const USER_STATES: FeedEntity = {
  type: 'UserState',
  set: 'UserStates',
  key: 'StateId',
  properties: {
    StateId: S,
    UserId: S,
    At: T,
    /** State (presence, engagement, RONA) or ActiveSwitch. */
    Kind: S,
    Presence: S0,
    /** Offered (ringing), Accepted (on a task), Acw, or null. */
    Engagement: S0,
    ServiceId: S0,
    Rona: B0,
    Active: B0,
    /** How long the state lasted, until the person's next state (with show time in state). */
    DurationMs: N0,
  },
};

export const SERVICES: FeedEntity = {
  type: 'Service',
  set: 'Services',
  key: 'ServiceId',
  properties: {
    ServiceId: S,
    Name: S,
    OuId: S,
    License: S,
    AssignmentType: S,
    ServiceLevelSec: N,
    Deleting: B,
    CreatedAt: T,
  },
};

export const PEOPLE: FeedEntity = {
  type: 'Person',
  set: 'People',
  key: 'UserId',
  properties: {
    UserId: S,
    DisplayName: S,
    OuId: S,
    TenantAdmin: B,
    OuAdmin: B,
  },
};

/** The feed's entity sets, in the order the service document lists them. */
export const FEED_ENTITIES: readonly FeedEntity[] = [
  TASKS,
  TASK_EVENTS,
  USER_STATES,
  SERVICES,
  PEOPLE,
];

export const entityOfSet = (set: string): FeedEntity | undefined =>
  FEED_ENTITIES.find((e) => e.set === set);

export const NAMESPACE = 'ServiceRouting.Reporting';

const xmlAttr = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

const property = (name: string, p: { type: EdmType; nullable: boolean }) =>
  `<Property Name="${xmlAttr(name)}" Type="${p.type}" Nullable="${String(p.nullable)}"/>`;

/** The feed's `$metadata`: an OData v4 CSDL document of its entity types and sets. */
export function metadataDocument(): string {
  const types = FEED_ENTITIES.map(
    (e) =>
      `<EntityType Name="${e.type}"><Key><PropertyRef Name="${e.key}"/></Key>${Object.entries(
        e.properties,
      )
        .map(([name, p]) => property(name, p))
        .join('')}</EntityType>`,
  ).join('');
  const sets = FEED_ENTITIES.map(
    (e) => `<EntitySet Name="${e.set}" EntityType="${NAMESPACE}.${e.type}"/>`,
  ).join('');
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    '<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">' +
    '<edmx:DataServices>' +
    `<Schema Namespace="${NAMESPACE}" xmlns="http://docs.oasis-open.org/odata/ns/edm">` +
    `${types}<EntityContainer Name="Reporting">${sets}</EntityContainer>` +
    '</Schema></edmx:DataServices></edmx:Edmx>'
  );
}
