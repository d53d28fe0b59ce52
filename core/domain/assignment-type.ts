import { licenseWords } from './license.js';
import { allow, refuse, type Decision } from './refusal.js';
import type { AssignmentType, Service } from './service.js';

export interface AssignmentTypeChange {
  readonly service: Service;
  /** Users leave a service that becomes None (it has no users). */
  readonly removeAllMembers: boolean;
}

const policyMessage = (reason: string): Decision<never> =>
  refuse({ code: 'policy_denied', message: reason });

/**
 * The user assignment type is fixed at creation, with two exceptions: Skill-based -> None
 * (the step before downgrading to Enterprise) and None -> Skill-based (needs Contact Center).
 */
export function changeAssignmentType(
  service: Service,
  to: AssignmentType,
): Decision<AssignmentTypeChange> {
  const from = service.assignmentType;
  if (from === to) return allow({ service, removeAllMembers: false });
  if (from === 'SkillBased' && to === 'None') {
    const distribution = { ...service.settings.distribution, policy: null };
    return allow({
      service: {
        ...service,
        assignmentType: 'None',
        settings: { ...service.settings, distribution },
      },
      removeAllMembers: true,
    });
  }
  if (from === 'None' && to === 'SkillBased') {
    if (service.license !== 'ContactCenter') {
      return refuse({
        code: 'license_required',
        message: `Skill-based assignment needs a Contact Center service license; service ${service.name} has ${licenseWords(service.license)}.`,
        details: { license: 'ContactCenter', features: ['assignmentType'] },
      });
    }
    return allow({
      service: { ...service, assignmentType: 'SkillBased' },
      removeAllMembers: false,
    });
  }
  if (from === 'TeamsBased') {
    return policyMessage(
      'A Teams-based service is tied to its team and keeps that user assignment type. Create a new service of the type you need and move over to it.',
    );
  }
  return policyMessage(
    'A service becomes Teams-based only by provisioning it from a team in Teams.',
  );
}
