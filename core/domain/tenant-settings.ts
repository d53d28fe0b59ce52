import { z } from 'zod';
import { domainName, e164, email, guid, shortText, sipAddress } from './field-formats.js';
import { isTimeZone } from './reporting/local-time.js';

export const PROVISIONING_POLICIES = [
  'Everyone',
  'TenantAndOuAdmins',
  'TenantAdmins',
  'NoOne',
] as const;
export type ProvisioningPolicy = (typeof PROVISIONING_POLICIES)[number];
export const OWNER_ROLES = ['TeamOwner', 'TeamOwnerLimited'] as const;
export type OwnerRole = (typeof OWNER_ROLES)[number];

const nullable = <T extends z.ZodType>(schema: T) => schema.nullable();

/** An IANA time zone this runtime knows: reports count the tenant's days and hours in it. */
const timeZone = z
  .string()
  .max(64)
  .refine(isTimeZone, 'must be a time zone such as Europe/Zurich or UTC');

/** Each section as stored; every field present (defaults below). */
export const generalSettings = z.object({
  o365Domain: nullable(domainName),
  companyName: shortText(),
  tenantAdminGroupId: nullable(guid),
  partnerAdminGroupId: nullable(guid),
  crmId: shortText(100),
  /** Tenants stored before it existed read UTC. */
  timeZone: timeZone.default('UTC'),
  billingAddress: z.object({
    street1: shortText(),
    street2: shortText(),
    zip: shortText(20),
    city: shortText(100),
    country: shortText(100),
  }),
});

export const contactSettings = z.object({
  name: shortText(),
  email: nullable(email),
  phone: nullable(e164),
  sipAddress: nullable(sipAddress),
});

export const dataPrivacySettings = z.object({
  partnerSeesUserIdentifiers: z.boolean(),
  partnerSeesCustomerIdentifiers: z.boolean(),
  persistUserStates: z.boolean(),
  showTimeInState: z.boolean(),
  /** Completed tasks and their records are purged this many days after they end. */
  retentionDays: z
    .number()
    .int()
    .min(1, 'must be at least 1 day')
    .max(3650, 'must be at most 3650 days'),
  sharePii: z.boolean(),
});

export const provisioningSettings = z.object({
  policy: z.enum(PROVISIONING_POLICIES),
  /** OU of services provisioned from Teams; null means the root OU. */
  defaultOuId: z.string().nullable(),
  defaultOwnerRole: z.enum(OWNER_ROLES),
});

const limit = (max: number) =>
  z.number().int().min(1, 'must be at least 1').max(max, `must be at most ${max}`);

/** Per-service concurrency limits per modality. */
export const modalitySettings = z.object({
  maxOutbound: limit(50),
  maxIm: limit(50),
  maxExternalTask: limit(50),
  maxEmail: limit(200),
});

export const INTERACT_AUTHORIZATIONS = ['None', 'VerifyToken', 'VerifyTokenAndTenant'] as const;

/**
 * Website chat (Interact): whether the tenant offers it, how long a customer's page may be
 * away before their chat ends (a reload within it continues the chat), and what a
 * customer's page must show to start one: nothing, a token the tenant's website signed, or
 * one of the tenant's Entra tokens.
 */
export const interactSettings = z.object({
  enabled: z.boolean(),
  recoveryTimeoutSec: z
    .number()
    .int('must be a whole number of seconds')
    .min(5, 'must be at least 5 seconds')
    .max(60, 'must be at most 60 seconds'),
  authorization: z.enum(INTERACT_AUTHORIZATIONS),
});

export const DEFAULT_INTERACT: z.infer<typeof interactSettings> = {
  enabled: false,
  recoveryTimeoutSec: 20,
  authorization: 'None',
};

export const tenantSettings = z.object({
  general: generalSettings,
  contact: contactSettings,
  dataPrivacy: dataPrivacySettings,
  provisioning: provisioningSettings,
  modalities: modalitySettings,
  // Tenants stored before Interact existed have it off.
  interact: interactSettings.default(DEFAULT_INTERACT),
});

export type TenantSettings = z.infer<typeof tenantSettings>;
export type ModalitySettings = z.infer<typeof modalitySettings>;

export const DEFAULT_TENANT_SETTINGS: TenantSettings = {
  general: {
    o365Domain: null,
    companyName: '',
    tenantAdminGroupId: null,
    partnerAdminGroupId: null,
    crmId: '',
    timeZone: 'UTC',
    billingAddress: { street1: '', street2: '', zip: '', city: '', country: '' },
  },
  contact: { name: '', email: null, phone: null, sipAddress: null },
  dataPrivacy: {
    partnerSeesUserIdentifiers: false,
    partnerSeesCustomerIdentifiers: false,
    persistUserStates: false,
    showTimeInState: true,
    retentionDays: 90,
    sharePii: false,
  },
  provisioning: { policy: 'Everyone', defaultOuId: null, defaultOwnerRole: 'TeamOwner' },
  modalities: { maxOutbound: 20, maxIm: 20, maxExternalTask: 20, maxEmail: 50 },
  interact: DEFAULT_INTERACT,
};

/** A PATCH names only what changes; every section and field is optional, unknown ones are errors. */
export const tenantSettingsPatch = z
  .object({
    general: generalSettings
      .partial()
      .extend({
        // No default in a patch: a field left out keeps its stored value.
        timeZone: timeZone.optional(),
        billingAddress: generalSettings.shape.billingAddress.partial().strict().optional(),
      })
      .strict(),
    contact: contactSettings.partial().strict(),
    dataPrivacy: dataPrivacySettings.partial().strict(),
    provisioning: provisioningSettings.partial().strict(),
    modalities: modalitySettings.partial().strict(),
    interact: interactSettings.partial().strict(),
  })
  .partial()
  .strict();

export type TenantSettingsPatch = z.infer<typeof tenantSettingsPatch>;

/** The settings after a patch: sections merged field by field, nothing else touched. */
export function applySettingsPatch(
  current: TenantSettings,
  patch: TenantSettingsPatch,
): TenantSettings {
  return {
    general: {
      ...current.general,
      ...patch.general,
      billingAddress: { ...current.general.billingAddress, ...patch.general?.billingAddress },
    },
    contact: { ...current.contact, ...patch.contact },
    dataPrivacy: { ...current.dataPrivacy, ...patch.dataPrivacy },
    provisioning: { ...current.provisioning, ...patch.provisioning },
    modalities: { ...current.modalities, ...patch.modalities },
    interact: { ...current.interact, ...patch.interact },
  };
}

/** Fields only the system operator (the vendor) may change, whatever the tenant admin's rights. */
export const OPERATOR_ONLY_FIELDS: readonly string[] = ['dataPrivacy.sharePii'];
