import { aLicense, licenseWords } from '../../../core/domain/license';
import type {
  DistributionPolicy,
  DistributionSettings,
} from '../../../core/domain/service-settings';
import { numberOrNull } from '../api/number-text';
import type { ServiceView } from '../api/schemas';

/** The form's copy of the distribution settings; numbers stay text until saved. */
export interface DistributionDraft {
  readonly newUsersActive: boolean;
  readonly presence: DistributionSettings['presence'];
  readonly type: DistributionSettings['type'];
  readonly callingTimeoutSec: string;
  readonly serviceLevelSec: string;
  /** Chats at once, 1 to 5. */
  readonly chatsAtOnce: string;
  readonly priority: DistributionSettings['priority'];
  readonly acw: {
    readonly enabled: boolean;
    readonly seconds: string;
    readonly allowEarlyEnd: boolean;
    readonly allowExtension: boolean;
    readonly maxExtensionSec: string;
  };
  readonly rona: { readonly persistent: boolean; readonly resetSec: string };
  readonly outboundServiceCall: boolean;
  /** Skill-based services: who may take a task (required skills) and in which order. */
  readonly policy: PolicyDraft | null;
}

export interface PolicyDraft {
  readonly order: DistributionPolicy['order'];
  /** In the order they were added; levels stay text until saved. */
  readonly skills: readonly { readonly skill: string; readonly level: string }[];
}

const policyDraftOf = (policy: DistributionPolicy | null): PolicyDraft | null =>
  policy && {
    order: policy.order,
    skills: Object.entries(policy.requiredSkills).map(([skill, level]) => ({
      skill,
      level: String(level),
    })),
  };

/** The policy a draft stands for (skill names trimmed; a level left empty is sent as null). */
export function policyOf(draft: PolicyDraft | null) {
  if (!draft) return null;
  return {
    order: draft.order,
    requiredSkills: Object.fromEntries(
      draft.skills.map((s) => [s.skill.trim(), numberOrNull(s.level)] as const),
    ),
  };
}

export function draftOf(d: DistributionSettings): DistributionDraft {
  return {
    newUsersActive: d.newUsersActive,
    presence: d.presence,
    type: d.type,
    callingTimeoutSec: String(d.callingTimeoutSec),
    serviceLevelSec: String(d.serviceLevelSec),
    chatsAtOnce: String(d.chatsAtOnce),
    priority: d.priority,
    acw: {
      ...d.acw,
      seconds: String(d.acw.seconds),
      maxExtensionSec: String(d.acw.maxExtensionSec),
    },
    rona: { persistent: d.rona.persistent, resetSec: String(d.rona.resetSec) },
    outboundServiceCall: d.outboundServiceCall,
    policy: policyDraftOf(d.policy),
  };
}

const samePolicy = (a: ReturnType<typeof policyOf>, b: DistributionPolicy | null): boolean => {
  if (!a || !b) return a === b;
  const skills = (r: Record<string, unknown>) => JSON.stringify(Object.entries(r).sort());
  return a.order === b.order && skills(a.requiredSkills) === skills(b.requiredSkills);
};

/**
 * The PATCH body: the whole distribution group, so Save applies all of it or none. The
 * policy goes along only when it changed (owners with limited rights may save the rest).
 */
export function patchOf(draft: DistributionDraft, stored: DistributionPolicy | null) {
  const { policy: policyDraft, ...rest } = draft;
  const policy = policyOf(policyDraft);
  return {
    distribution: {
      ...rest,
      ...(!samePolicy(policy, stored) && { policy }),
      callingTimeoutSec: numberOrNull(draft.callingTimeoutSec),
      serviceLevelSec: numberOrNull(draft.serviceLevelSec),
      chatsAtOnce: numberOrNull(draft.chatsAtOnce),
      acw: {
        ...draft.acw,
        seconds: numberOrNull(draft.acw.seconds),
        maxExtensionSec: numberOrNull(draft.acw.maxExtensionSec),
      },
      rona: { ...draft.rona, resetSec: numberOrNull(draft.rona.resetSec) },
    },
  };
}

/** Why a field is locked, naming the license that unlocks it; null when the license allows it. */
export function lockedBecause(service: ServiceView, field: string): string | null {
  const feature = service.features.find((f) => f.field === field);
  if (!feature || feature.allowed) return null;
  return `Needs ${aLicense(feature.license)} service license (this service has ${licenseWords(service.license)}).`;
}
