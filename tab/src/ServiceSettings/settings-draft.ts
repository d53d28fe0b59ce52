import { licenseName } from '../../../core/domain/feature-gating';
import type { DistributionSettings } from '../../../core/domain/service-settings';
import type { ServiceView } from '../api/schemas';

/** The form's copy of the distribution settings; numbers stay text until saved. */
export interface DistributionDraft {
  readonly newUsersActive: boolean;
  readonly presence: DistributionSettings['presence'];
  readonly type: DistributionSettings['type'];
  readonly callingTimeoutSec: string;
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
}

export function draftOf(d: DistributionSettings): DistributionDraft {
  return {
    newUsersActive: d.newUsersActive,
    presence: d.presence,
    type: d.type,
    callingTimeoutSec: String(d.callingTimeoutSec),
    priority: d.priority,
    acw: {
      ...d.acw,
      seconds: String(d.acw.seconds),
      maxExtensionSec: String(d.acw.maxExtensionSec),
    },
    rona: { persistent: d.rona.persistent, resetSec: String(d.rona.resetSec) },
    outboundServiceCall: d.outboundServiceCall,
  };
}

/** Text as the number the API checks; what is not a number goes as null, so the API names the field. */
const number = (text: string): number | null => {
  const value = Number(text.trim());
  return text.trim() === '' || !Number.isFinite(value) ? null : value;
};

/** The PATCH body: the whole distribution group, so Save applies all of it or none. */
export function patchOf(draft: DistributionDraft) {
  return {
    distribution: {
      ...draft,
      callingTimeoutSec: number(draft.callingTimeoutSec),
      acw: {
        ...draft.acw,
        seconds: number(draft.acw.seconds),
        maxExtensionSec: number(draft.acw.maxExtensionSec),
      },
      rona: { ...draft.rona, resetSec: number(draft.rona.resetSec) },
    },
  };
}

/** Why a field is locked, naming the license that unlocks it; null when the license allows it. */
export function lockedBecause(service: ServiceView, field: string): string | null {
  const feature = service.features.find((f) => f.field === field);
  if (!feature || feature.allowed) return null;
  const needed = licenseName(feature.license);
  const article = /^[AEIOU]/.test(needed) ? 'an' : 'a';
  return `Needs ${article} ${needed} service license (this service has ${licenseName(service.license)}).`;
}
