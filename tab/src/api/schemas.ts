import { z } from 'zod';
import {
  LICENSES,
  MODALITY_LICENSES,
  SERVICE_LICENSES,
  type License,
} from '../../../core/domain/license';
import { engagementSchema, heldChatSchema } from '../../../core/domain/routing/agent-state';
import { PRESENCES } from '../../../core/domain/routing/presence';
import {
  MODALITIES,
  TASK_CHANNELS,
  TASK_STATES,
  UNAVAILABILITY_REASONS,
} from '../../../core/domain/routing/task';
import { distributionSettings, TASK_PRIORITIES } from '../../../core/domain/service-settings';
import { tenantSettings } from '../../../core/domain/tenant-settings';
import { TENANT_STATES } from '../../../core/domain/tenant';

/** The API's answers as the tab reads them: parsed at the boundary, typed from here on. */
export const healthSchema = z.object({
  status: z.literal('ok'),
  storage: z.enum(['azurite', 'azure']),
  devMode: z.boolean().default(false),
  clock: z.enum(['system', 'manual']).default('system'),
});
export type Health = z.infer<typeof healthSchema>;

export const devPeopleSchema = z.array(
  z.object({
    tenantId: z.string(),
    name: z.string(),
    users: z.array(
      z.object({
        userId: z.string(),
        displayName: z.string(),
        roles: z.array(z.string()),
        /** The services they own. */
        owns: z.array(z.string()).default([]),
      }),
    ),
  }),
);

export const tokenSchema = z.object({ token: z.string() });

export const meSchema = z.object({
  operator: z.literal(false).default(false),
  tenantId: z.string(),
  tenantName: z.string(),
  tenantState: z.enum(TENANT_STATES),
  userId: z.string(),
  displayName: z.string(),
  tenantAdmin: z.boolean(),
  ouAdmin: z.boolean(),
});
export type Me = z.infer<typeof meSchema>;

/** The system operator: no tenant of their own, every tenant to look after. */
export const operatorSchema = z.object({ operator: z.literal(true), displayName: z.string() });
export type Operator = z.infer<typeof operatorSchema>;

/** Who `/me` says is signed in: a person of a tenant, or the operator. */
export const signedInSchema = z.union([operatorSchema, meSchema]);

const poolSchema = z.object({
  license: z.enum(LICENSES as [License, ...License[]]),
  kind: z.enum(['service', 'user', 'modality', 'virtualUser']),
  total: z.number(),
  used: z.number(),
});

export const tenantSummarySchema = z.object({
  tenantId: z.string(),
  name: z.string(),
  state: z.enum(TENANT_STATES),
  createdAt: z.string(),
  pendingDeletion: z.boolean(),
  pools: z.array(poolSchema).default([]),
});
export type TenantSummary = z.infer<typeof tenantSummarySchema>;

export const tenantPageSchema = z.object({
  items: z.array(tenantSummarySchema),
  next: z.string().nullable(),
});

/** A tenant as any of its people (or the operator) read it. */
export const tenantSchema = tenantSummarySchema
  .omit({ pools: true })
  // Older servers did not say: one.
  .extend({ routingShards: z.number().int().default(1) });

export const contingencySchema = z.array(poolSchema);

export const groupDetailsSchema = z.union([
  z.object({
    ok: z.literal(true),
    groupId: z.string(),
    displayName: z.string(),
    members: z.array(
      z.object({ userId: z.string(), displayName: z.string(), upn: z.string().nullable() }),
    ),
  }),
  z.object({ ok: z.literal(false), problem: z.string() }),
]);

const reasons = z.array(z.enum(UNAVAILABILITY_REASONS));

/** The kinds of tasks someone gets none of for want of a license. */
const missingLicenses = z.array(
  z.object({
    modality: z.enum(MODALITIES),
    license: z.enum([...MODALITY_LICENSES, 'Interact']),
    channel: z.enum(TASK_CHANNELS).optional(),
  }),
);

export const agentSchema = z.object({
  presence: z.enum(PRESENCES),
  engagement: engagementSchema(z.string()),
  /** The chats held (chats at once), oldest first. */
  chats: z.array(heldChatSchema).default([]),
  ronaUntil: z.string().nullable(),
  /** Null for colleagues where the tenant hides time in state. */
  idleSince: z.string().nullable(),
  changedAt: z.string().nullable(),
});
export type AgentView = z.infer<typeof agentSchema>;

export const myServiceSchema = z.object({
  serviceId: z.string(),
  name: z.string(),
  assignmentType: z.enum(['TeamsBased', 'SkillBased', 'None']),
  role: z.enum(['Owner', 'OwnerLimited', 'Member']),
  active: z.boolean(),
  /** How many chats the service lets me hold at once. */
  chatsAtOnce: z.number().default(1),
  available: z.boolean(),
  reasons,
  /** Null where the tenant's data privacy settings hide time in state. */
  stateSince: z.string().nullable(),
  missingLicenses,
});
export type MyService = z.infer<typeof myServiceSchema>;

export const myStateSchema = agentSchema.extend({
  now: z.string(),
  missingLicenses,
  services: z.array(myServiceSchema),
});
export type MyState = z.infer<typeof myStateSchema>;

export const membershipSchema = z.object({ serviceId: z.string(), active: z.boolean() });

export const boardSchema = z.object({
  now: z.string(),
  serviceId: z.string(),
  name: z.string(),
  members: z.array(
    z.object({
      userId: z.string(),
      displayName: z.string(),
      role: z.enum(['Owner', 'OwnerLimited', 'Member']),
      active: z.boolean(),
      available: z.boolean(),
      reasons,
      missingLicenses,
      stateSince: z.string().nullable(),
      agent: agentSchema,
      engagedIn: z.string().nullable(),
      /** The task of this service the member accepted and has not finished. */
      inHand: z
        .object({
          taskId: z.string(),
          subject: z.string(),
          modality: z.enum(MODALITIES),
          acceptedAt: z.string().nullable(),
          longerThanUsual: z.boolean(),
        })
        .nullable()
        .default(null),
    }),
  ),
  /** Owners and admins may end a task someone accepted. */
  viewerMayEdit: z.boolean().default(false),
  /** How many chats the service lets someone hold at once. */
  chatsAtOnce: z.number().default(1),
  usualHandlingMs: z.number().default(0),
  /** How many members the service has; the members here are one page of them, by person. */
  total: z.number().optional(),
  next: z.string().nullable().default(null),
});

export type BoardMember = z.infer<typeof boardSchema>['members'][number];
export type TaskInHand = NonNullable<BoardMember['inHand']>;

export const taskSchema = z.object({
  taskId: z.string(),
  serviceId: z.string(),
  modality: z.enum(MODALITIES),
  subject: z.string(),
  /** Where the task itself is (https), when its creator said. */
  link: z.string().nullable().default(null),
  /** 'interact' for a website chat. */
  channel: z.enum(TASK_CHANNELS).nullable().default(null),
  state: z.enum(TASK_STATES),
  priority: z.enum(TASK_PRIORITIES),
  enqueuedAt: z.string().nullable(),
  /** Who it was offered to and who was skipped, and why, at each distribution decision. */
  decisions: z.array(
    z.object({
      at: z.string(),
      offeredTo: z.array(z.string()),
      skipped: z.array(z.object({ userId: z.string(), reasons })),
    }),
  ),
});
/** A page of a queue in serving order, where the next starts, and how many wait in all. */
export const queuePageSchema = z.object({
  items: z.array(taskSchema),
  next: z.string().nullable(),
  waiting: z.number(),
});
/** Tasks ringing for me now (`GET /me/offers`). */
export const offersSchema = z.array(taskSchema.extend({ offerExpiresAt: z.string().nullable() }));
export type Offer = z.infer<typeof offersSchema>[number];
/** A task I took: when I accepted it. */
export const takenTaskSchema = taskSchema.extend({ acceptedAt: z.string().nullable() });
export type TakenTask = z.infer<typeof takenTaskSchema>;

/** A website chat's transcript, as its agent reads it. */
export const chatTranscriptSchema = z.object({
  taskId: z.string(),
  customerName: z.string(),
  agentName: z.string().nullable(),
  leftAt: z.string().nullable(),
  messages: z.array(
    z.object({
      key: z.string(),
      from: z.enum(['customer', 'agent']),
      text: z.string(),
      at: z.string(),
    }),
  ),
});
export type ChatTranscript = z.infer<typeof chatTranscriptSchema>;
export type QueuedTask = z.infer<typeof taskSchema>;

export const serviceSchema = z.object({
  serviceId: z.string(),
  name: z.string(),
  ouId: z.string(),
  license: z.enum(SERVICE_LICENSES),
  assignmentType: z.enum(['TeamsBased', 'SkillBased', 'None']),
  teamId: z.string().nullable(),
  settings: z.object({ distribution: distributionSettings }),
  locked: z.object({ assignmentType: z.string() }),
  features: z.array(
    z.object({
      feature: z.string(),
      field: z.string(),
      license: z.enum(SERVICE_LICENSES),
      allowed: z.boolean(),
    }),
  ),
});
export type ServiceView = z.infer<typeof serviceSchema>;
export const servicesSchema = z.array(serviceSchema);
/** A service as the list of services gives it: where it sits, its people, its queue. */
export const serviceSummarySchema = serviceSchema.extend({
  state: z.enum(['Active', 'PendingDeletion', 'Deleting']),
  ouPath: z.array(z.object({ ouId: z.string(), name: z.string() })),
  members: z.number(),
  activeMembers: z.number(),
  waiting: z.number(),
});
export type ServiceSummary = z.infer<typeof serviceSummarySchema>;
export const serviceSummariesSchema = z.array(serviceSummarySchema);
/** A task just created: where it went on entry. */
export const createdTaskSchema = z.object({
  taskId: z.string(),
  state: z.string(),
  exit: z.enum(['DirectAvailable', 'InTimeAvailable', 'NoOneAvailable']),
});
/** What deleting a service did. */
export const deletedServiceSchema = z.object({
  serviceId: z.string(),
  license: z.enum(SERVICE_LICENSES),
  canceled: z.number(),
  ended: z.number(),
});
/** One service as its own page reads it: with where it sits in the organization. */
export const serviceDetailSchema = serviceSchema.extend({
  ouPath: z.array(z.object({ ouId: z.string(), name: z.string() })),
});
export type ServiceDetail = z.infer<typeof serviceDetailSchema>;

export const directorySchema = z.object({
  orgUnits: z.array(
    z.object({ ouId: z.string(), name: z.string(), parentId: z.string().nullable() }),
  ),
  users: z
    .array(
      z.object({
        userId: z.string(),
        displayName: z.string(),
        ouId: z.string(),
        roles: z.array(z.enum(['TenantAdmin', 'OuAdmin'])).default([]),
        licenses: z.array(z.string()),
        skills: z.record(z.string(), z.number()),
      }),
    )
    .default([]),
});
export type Directory = z.infer<typeof directorySchema>;

export const licensesSchema = z.object({
  state: z.enum(TENANT_STATES),
  pools: z.array(poolSchema),
  users: z.array(
    z.object({ userId: z.string(), displayName: z.string(), licenses: z.array(z.string()) }),
  ),
  services: z.array(
    z.object({ serviceId: z.string(), name: z.string(), license: z.enum(SERVICE_LICENSES) }),
  ),
});
export type Licenses = z.infer<typeof licensesSchema>;

export const tenantSettingsSchema = tenantSettings;
export type TenantSettingsView = z.infer<typeof tenantSettingsSchema>;

export const anything = z.unknown();

/** How Teams presence reaches the app (tenant settings, "Presence"). */
export const presenceStatusSchema = z.discriminatedUnion('source', [
  z.object({ source: z.literal('none'), problem: z.string() }),
  z.object({
    source: z.literal('graph'),
    notifications: z.boolean(),
    subscriptions: z.number(),
    lastUpdateAt: z.string().nullable(),
    lastPollAt: z.string().nullable(),
    problem: z.string().nullable(),
    lastRosterAt: z.string().nullable(),
    rosterProblem: z.string().nullable(),
  }),
]);
export type PresenceStatus = z.infer<typeof presenceStatusSchema>;

/** One person's presence read through Graph now, or why Graph could not tell. */
export const presenceTestSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    userId: z.string(),
    displayName: z.string(),
    availability: z.string(),
    activity: z.string(),
    presence: z.enum(PRESENCES),
  }),
  z.object({ ok: z.literal(false), problem: z.string() }),
]);
export type PresenceTest = z.infer<typeof presenceTestSchema>;

const spread = z.object({
  count: z.number(),
  averageMs: z.number().nullable(),
  p90Ms: z.number().nullable(),
});

const kpis = z.object({
  offered: z.number(),
  accepted: z.number(),
  abandoned: z.number(),
  missed: z.number(),
  withdrawn: z.number(),
  wait: spread,
  handle: spread,
  acw: spread,
  serviceLevel: z.number().nullable(),
  perHour: z.array(
    z.object({
      hour: z.number(),
      offered: z.number(),
      accepted: z.number(),
      abandoned: z.number(),
    }),
  ),
  waitBands: z.array(z.object({ upToSec: z.number().nullable(), count: z.number() })),
});

const people = z.array(
  z.object({
    userId: z.string(),
    displayName: z.string(),
    accepted: z.number(),
    handled: z.number(),
    handle: spread,
    missed: z.number(),
    /** Time Active and available in the service (null: the tenant keeps no user states). */
    activeMs: z.number().nullable(),
    availableMs: z.number().nullable(),
  }),
);

const live = z.object({
  waiting: z.number(),
  longestWaitingSince: z.string().nullable(),
  available: z.number(),
  busy: z.number(),
  inAcw: z.number(),
});

/** A service's dashboard: KPIs over a range of days, each person's, and live figures. */
export const dashboardSchema = z.object({
  serviceName: z.string(),
  timeZone: z.string(),
  period: z.object({ from: z.string(), to: z.string() }),
  serviceLevelSec: z.number(),
  kpis,
  people,
  live,
});
export type DashboardView = z.infer<typeof dashboardSchema>;

/** The admins' overview: the services of their scope added up and one by one, people, now. */
export const overviewSchema = z.object({
  tenantName: z.string(),
  timeZone: z.string(),
  period: z.object({ from: z.string(), to: z.string() }),
  scope: z.enum(['tenant', 'unit']),
  kpis,
  services: z.array(
    z.object({
      serviceId: z.string(),
      name: z.string(),
      serviceLevelSec: z.number(),
      kpis,
      live,
    }),
  ),
  people,
  live,
});
export type OverviewView = z.infer<typeof overviewSchema>;

/** People Active at least once in each month, this month first (tenant admins). */
export const activeUsersSchema = z.array(z.object({ month: z.string(), users: z.number() }));
export type ActiveUsers = z.infer<typeof activeUsersSchema>;

/** Whether the tenant has a reporting key for the OData feed, and which; never the key. */
export const reportingKeySchema = z.object({
  exists: z.boolean(),
  hint: z.string().nullable(),
  createdAt: z.string().nullable(),
  createdBy: z.string().nullable(),
});
export type ReportingKeyStatus = z.infer<typeof reportingKeySchema>;

/** A new reporting key: the only answer that holds the key itself. */
export const newReportingKeySchema = reportingKeySchema.extend({ key: z.string() });

/** The secret task callbacks are signed with. */
export const callbackSecretSchema = z.object({ secret: z.string() });

/** The website chat's widget key and token secret. */
export const interactKeysSchema = z.object({ widgetKey: z.string(), tokenSecret: z.string() });
