import type { TenantId } from './ids.js';
import type { Instant } from './instant.js';
import type { License, LicensePool } from './license.js';
import { allow, invalid, refuse, type Decision, type FieldProblem } from './refusal.js';
import type { Tenant } from './tenant.js';
import { DEFAULT_TENANT_SETTINGS } from './tenant-settings.js';

export function newTenant(
  id: TenantId,
  name: string,
  state: Tenant['state'],
  now: Instant,
): Tenant {
  return {
    id,
    name,
    state,
    createdAt: now,
    settings: DEFAULT_TENANT_SETTINGS,
    deletionRequestedAt: null,
  };
}

/**
 * New totals for the tenant's pools. A total may not drop below what is assigned: licenses
 * in use are never taken away behind anyone's back.
 */
export function setContingency(
  tenantId: TenantId,
  current: ReadonlyMap<License, LicensePool>,
  totals: Partial<Record<License, number>>,
): Decision<LicensePool[]> {
  const problems: FieldProblem[] = [];
  const pools: LicensePool[] = [];
  for (const [license, total] of Object.entries(totals) as [License, number][]) {
    const used = current.get(license)?.used ?? 0;
    if (total < used)
      problems.push({
        field: license,
        message: `${used} ${used === 1 ? 'is' : 'are'} assigned; the total cannot go below ${used} until admins remove assignments`,
      });
    else pools.push({ tenantId, license, total, used });
  }
  return problems.length ? refuse(invalid(problems)) : allow(pools);
}

/** Deleting a tenant needs the typed word YES; its services then go to pending deletion. */
export function requestTenantDeletion(
  tenant: Tenant,
  confirm: string,
  now: Instant,
): Decision<Tenant> {
  if (confirm !== 'YES')
    return refuse(
      invalid([
        { field: 'confirm', message: 'type YES (in capitals) to confirm deleting the tenant' },
      ]),
    );
  if (tenant.deletionRequestedAt !== null) return allow(tenant);
  return allow({ ...tenant, deletionRequestedAt: now });
}
