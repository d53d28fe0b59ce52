import { licenseWords } from '../../../core/domain/license';
import type { DistributionSettings } from '../../../core/domain/service-settings';
import { numberOrNull } from '../api/number-text';
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

/** The PATCH body: the whole distribution group, so Save applies all of it or none. */
export function patchOf(draft: DistributionDraft) {
  return {
    distribution: {
      ...draft,
      callingTimeoutSec: numberOrNull(draft.callingTimeoutSec),
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
  const needed = licenseWords(feature.license);
  const article = /^[AEIOU]/.test(needed) ? 'an' : 'a';
  return `Needs ${article} ${needed} service license (this service has ${licenseWords(service.license)}).`;
}
