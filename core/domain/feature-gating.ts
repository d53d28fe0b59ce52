import { licenseWords, type ServiceLicense } from './license.js';
import type { DowngradeBlocker, Refusal } from './refusal.js';
import type { Service } from './service.js';

const RANK: Record<ServiceLicense, number> = {
  AdvancedRouting: 0,
  EnterpriseRouting: 1,
  ContactCenter: 2,
};

export const licenseRank = (license: ServiceLicense): number => RANK[license];

interface FeatureRule {
  readonly minimum: ServiceLicense;
  readonly field: string;
  readonly inUse: (service: Service) => boolean;
  /** Where an owner switches it off, in words. */
  readonly where: (service: Service) => string;
}

const distribution = (s: Service) => s.settings.distribution;
const extensions = (s: Service) => s.settings.extensions;
const inDistribution = (what: string) => (s: Service) =>
  `${what} in service ${s.name} distribution settings`;
const inExtensions = (what: string) => (s: Service) =>
  `${what} in service ${s.name} extension settings`;

/**
 * SPEC.md's feature gating table: the lowest service license each feature needs and how to
 * tell it is in use. Opening hours, workflows, queue and round robin need nothing beyond
 * Advanced Routing and so are not listed.
 */
export const FEATURES = {
  outboundServiceCall: {
    minimum: 'EnterpriseRouting',
    field: 'distribution.outboundServiceCall',
    inUse: (s) => distribution(s).outboundServiceCall,
    where: inDistribution('Outbound service call is enabled'),
  },
  callerContext: {
    minimum: 'EnterpriseRouting',
    field: 'extensions.callerContext',
    inUse: (s) => extensions(s).callerContext,
    where: inExtensions('Caller context is enabled'),
  },
  codesAndTags: {
    minimum: 'EnterpriseRouting',
    field: 'extensions.codesAndTags',
    inUse: (s) => extensions(s).codesAndTags,
    where: inExtensions('Codes and tags are enabled'),
  },
  customParameters: {
    minimum: 'EnterpriseRouting',
    field: 'extensions.customParameters',
    inUse: (s) => extensions(s).customParameters.length > 0,
    where: inExtensions('Custom parameters are defined'),
  },
  interact: {
    minimum: 'EnterpriseRouting',
    field: 'extensions.interact',
    inUse: (s) => extensions(s).interact,
    where: inExtensions('Interact is enabled'),
  },
  skillBasedAssignment: {
    minimum: 'ContactCenter',
    field: 'assignmentType',
    inUse: (s) => s.assignmentType === 'SkillBased',
    where: (s) =>
      `Service ${s.name} assigns its users by skills: change its user assignment type to None`,
  },
  distributionPolicy: {
    minimum: 'ContactCenter',
    field: 'distribution.policy',
    inUse: (s) => distribution(s).policy !== null,
    where: inDistribution('A distribution policy is set'),
  },
  taskPriority: {
    minimum: 'ContactCenter',
    field: 'distribution.priority',
    inUse: (s) => distribution(s).priority !== 'Normal',
    where: (s) =>
      `Task priority is ${distribution(s).priority}, not Normal, in service ${s.name} distribution settings`,
  },
  acw: {
    minimum: 'ContactCenter',
    field: 'distribution.acw.enabled',
    inUse: (s) => distribution(s).acw.enabled,
    where: inDistribution('ACW is enabled'),
  },
  ronaSettings: {
    minimum: 'ContactCenter',
    field: 'distribution.rona.persistent',
    inUse: (s) => distribution(s).rona.persistent,
    where: inDistribution('Persistent RONA is enabled'),
  },
  userStateTracking: {
    minimum: 'ContactCenter',
    field: 'extensions.userStateTracking',
    inUse: (s) => extensions(s).userStateTracking,
    where: inExtensions('User-state tracking is enabled'),
  },
} as const satisfies Record<string, FeatureRule>;

export type Feature = keyof typeof FEATURES;
const ALL = Object.keys(FEATURES) as Feature[];

/** Features this service uses that need more than `license` allows. */
export function featuresBeyond(service: Service, license: ServiceLicense): Feature[] {
  return ALL.filter(
    (f) => licenseRank(FEATURES[f].minimum) > licenseRank(license) && FEATURES[f].inUse(service),
  );
}

/** Refuses a service state that uses features its own license does not include. */
export function licenseRequiredFor(service: Service): Refusal | null {
  const beyond = featuresBeyond(service, service.license);
  if (beyond.length === 0) return null;
  const needed = beyond.reduce<ServiceLicense>(
    (best, f) =>
      licenseRank(FEATURES[f].minimum) > licenseRank(best) ? FEATURES[f].minimum : best,
    service.license,
  );
  const fields = beyond.map((f) => FEATURES[f].field);
  return {
    code: 'license_required',
    message: `${fields.join(', ')} ${fields.length === 1 ? 'needs' : 'need'} a ${licenseWords(needed)} service license; service ${service.name} has ${licenseWords(service.license)}.`,
    details: { license: needed, features: fields },
  };
}

/** Every feature in use that keeps the service from going down to `target`, with where to switch it off. */
export function downgradeBlockers(service: Service, target: ServiceLicense): DowngradeBlocker[] {
  return featuresBeyond(service, target).map((f) => ({
    feature: f,
    message: FEATURES[f].where(service),
    serviceId: service.id,
    field: FEATURES[f].field,
  }));
}
