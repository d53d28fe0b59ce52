import type { TenantId } from './ids.js';

export const SERVICE_LICENSES = ['AdvancedRouting', 'EnterpriseRouting', 'ContactCenter'] as const;
export const USER_LICENSES = [
  'ContactCenterUser',
  'Interact',
  'AttendantConsole',
  'Assistant',
  'Companion',
] as const;
export const MODALITY_LICENSES = ['InstantMessaging', 'ExternalTask', 'Email'] as const;
export const VIRTUAL_USER_LICENSES = ['VirtualUser'] as const;

export type ServiceLicense = (typeof SERVICE_LICENSES)[number];
export type UserLicense = (typeof USER_LICENSES)[number];
export type ModalityLicense = (typeof MODALITY_LICENSES)[number];
export type License =
  ServiceLicense | UserLicense | ModalityLicense | (typeof VIRTUAL_USER_LICENSES)[number];

export const LICENSES: readonly License[] = [
  ...SERVICE_LICENSES,
  ...USER_LICENSES,
  ...MODALITY_LICENSES,
  ...VIRTUAL_USER_LICENSES,
];

const LICENSE_WORDS: Record<License, string> = {
  AdvancedRouting: 'Advanced Routing',
  EnterpriseRouting: 'Enterprise Routing',
  ContactCenter: 'Contact Center',
  ContactCenterUser: 'Contact Center user',
  Interact: 'Interact',
  AttendantConsole: 'Attendant Console',
  Assistant: 'Assistant',
  Companion: 'Companion',
  InstantMessaging: 'Instant Messaging',
  ExternalTask: 'External Task',
  Email: 'Email',
  VirtualUser: 'Virtual User',
};

/**
 * A license as people read it: in messages and on screen. The API's fields keep the ids.
 * The agent's license reads "Contact Center user", apart from the service license.
 */
export const licenseWords = (license: License): string => LICENSE_WORDS[license];

/** A license's name with its article, for a sentence: "an Advanced Routing", "a Contact Center". */
export const aLicense = (license: License): string => {
  const words = licenseWords(license);
  return `${/^[AEIOU]/.test(words) ? 'an' : 'a'} ${words}`;
};

export type LicenseKind = 'service' | 'user' | 'modality' | 'virtualUser';

/** Which pool family a license belongs to (services, people, modalities, virtual users). */
export function licenseKind(license: License): LicenseKind {
  if ((SERVICE_LICENSES as readonly string[]).includes(license)) return 'service';
  if ((USER_LICENSES as readonly string[]).includes(license)) return 'user';
  if ((MODALITY_LICENSES as readonly string[]).includes(license)) return 'modality';
  return 'virtualUser';
}

/** A tenant's contingency for one license: how many were bought and how many are in use. */
export interface LicensePool {
  readonly tenantId: TenantId;
  readonly license: License;
  readonly total: number;
  readonly used: number;
}
