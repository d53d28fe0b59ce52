import { z } from 'zod';

export const TASK_PRIORITIES = [
  'Strict',
  'Highest',
  'VeryHigh',
  'High',
  'Normal',
  'Low',
  'VeryLow',
  'Lowest',
  'NothingElse',
] as const;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];

/** Each priority as people read it, with what it does for the task's place in the queue. */
export const PRIORITY_WORDS: Readonly<Record<TaskPriority, string>> = {
  Strict: 'Strict: always first',
  Highest: 'Highest',
  VeryHigh: 'Very high',
  High: 'High',
  Normal: 'Normal',
  Low: 'Low',
  VeryLow: 'Very low',
  Lowest: 'Lowest',
  NothingElse: 'Only when nothing else waits',
};

export const DISTRIBUTION_TYPES = ['RoundRobin', 'Broadcast'] as const;
export const POLICY_ORDERS = ['LongestIdle', 'MostQualified'] as const;

const seconds = (min: number, max: number, what: string) =>
  z
    .number()
    .int()
    .min(min, `${what} must be at least ${min} s`)
    .max(max, `${what} must be at most ${max} s`);

const skillLevel = z
  .number()
  .int()
  .min(1, 'a skill level is 1..100')
  .max(100, 'a skill level is 1..100');
const skillName = z.string().trim().min(1).max(64);

export const distributionPolicy = z.object({
  requiredSkills: z.record(skillName, skillLevel),
  order: z.enum(POLICY_ORDERS),
});

export type DistributionPolicy = z.infer<typeof distributionPolicy>;

const serviceLevel = seconds(1, 3600, 'the service level threshold');

export const MAX_CHATS_AT_ONCE = 5;
const chatsAtOnce = z
  .number()
  .int('chats at once is a whole number')
  .min(1, 'chats at once is at least 1')
  .max(MAX_CHATS_AT_ONCE, `chats at once is at most ${MAX_CHATS_AT_ONCE}`);

export const distributionSettings = z.object({
  newUsersActive: z.boolean(),
  /** Teams presences (besides Available) that still admit a task. */
  presence: z.object({ busy: z.boolean(), busyInMeeting: z.boolean(), away: z.boolean() }),
  type: z.enum(DISTRIBUTION_TYPES),
  callingTimeoutSec: seconds(5, 600, 'the calling timeout'),
  /**
   * Reporting: a task accepted within this long of entering the queue counts toward the
   * service level (services stored before it existed read the default).
   */
  serviceLevelSec: serviceLevel.default(20),
  priority: z.enum(TASK_PRIORITIES),
  acw: z.object({
    enabled: z.boolean(),
    seconds: seconds(1, 3600, 'after-call work'),
    allowEarlyEnd: z.boolean(),
    allowExtension: z.boolean(),
    maxExtensionSec: seconds(1, 3600, 'the maximum extension'),
  }),
  rona: z.object({
    persistent: z.boolean(),
    /** 10 s to 320 min. */
    resetSec: seconds(10, 320 * 60, 'the RONA reset time'),
  }),
  outboundServiceCall: z.boolean(),
  /**
   * Chats at once (beyond the vendor): someone holding only chats gets further chats of
   * this service up to this many (1 keeps "busy in one task = busy everywhere"). Services
   * stored before it existed read 1.
   */
  chatsAtOnce: chatsAtOnce.default(1),
  /** Skill-based services only: who is eligible and in which order. */
  policy: distributionPolicy.nullable(),
});

export const extensionSettings = z.object({
  callerContext: z.boolean(),
  codesAndTags: z.boolean(),
  customParameters: z.array(z.string().trim().min(1).max(64)).max(50),
  interact: z.boolean(),
  userStateTracking: z.boolean(),
});

export type DistributionSettings = z.infer<typeof distributionSettings>;
export type ExtensionSettings = z.infer<typeof extensionSettings>;

export interface ServiceSettings {
  readonly distribution: DistributionSettings;
  readonly extensions: ExtensionSettings;
}

export const DEFAULT_SERVICE_SETTINGS: ServiceSettings = {
  distribution: {
    newUsersActive: true,
    presence: { busy: false, busyInMeeting: false, away: false },
    type: 'RoundRobin',
    callingTimeoutSec: 30,
    serviceLevelSec: 20,
    priority: 'Normal',
    acw: {
      enabled: false,
      seconds: 150,
      allowEarlyEnd: true,
      allowExtension: false,
      maxExtensionSec: 300,
    },
    rona: { persistent: false, resetSec: 600 },
    outboundServiceCall: false,
    chatsAtOnce: 1,
    policy: null,
  },
  extensions: {
    callerContext: false,
    codesAndTags: false,
    customParameters: [],
    interact: false,
    userStateTracking: false,
  },
};

export const serviceSettingsPatch = z
  .object({
    distribution: distributionSettings
      .extend({
        // No default in a patch: a field left out keeps its stored value.
        serviceLevelSec: serviceLevel,
        chatsAtOnce,
        presence: distributionSettings.shape.presence.partial().strict(),
        acw: distributionSettings.shape.acw.partial().strict(),
        rona: distributionSettings.shape.rona.partial().strict(),
        policy: distributionPolicy.strict().nullable(),
      })
      .partial()
      .strict(),
    extensions: extensionSettings.partial().strict(),
  })
  .partial()
  .strict();

export type ServiceSettingsPatch = z.infer<typeof serviceSettingsPatch>;

/** The settings after a patch; nested groups merge field by field. */
export function applyServicePatch(
  current: ServiceSettings,
  patch: ServiceSettingsPatch,
): ServiceSettings {
  const d = patch.distribution ?? {};
  return {
    distribution: {
      ...current.distribution,
      ...d,
      presence: { ...current.distribution.presence, ...d.presence },
      acw: { ...current.distribution.acw, ...d.acw },
      rona: { ...current.distribution.rona, ...d.rona },
    },
    extensions: { ...current.extensions, ...patch.extensions },
  };
}
