import type { TenantId } from '../domain/ids.js';
import type { Instant } from '../domain/instant.js';
import type { Tenant, TenantState } from '../domain/tenant.js';
import type { Stores } from '../store/stores.js';
import { tenantKey } from '../store/table-tenant-store.js';
import { retryOnConflict } from './retry-on-conflict.js';

export interface PutTenantInput {
  readonly id: TenantId;
  readonly name: string;
  readonly state: TenantState;
}

export type PutTenantOutcome =
  | { readonly kind: 'created'; readonly tenant: Tenant }
  | { readonly kind: 'updated'; readonly tenant: Tenant };

/** Creates a tenant or changes its name and state (the system operator's job). */
export function putTenant(
  stores: Pick<Stores, 'tenants'>,
  input: PutTenantInput,
  now: Instant,
): Promise<PutTenantOutcome> {
  return retryOnConflict(async () => {
    const current = await stores.tenants.get(tenantKey(input.id));
    if (!current) {
      const tenant: Tenant = { ...input, createdAt: now };
      await stores.tenants.insert(tenant);
      return { kind: 'created', tenant };
    }
    const tenant: Tenant = { ...current.value, name: input.name, state: input.state };
    await stores.tenants.replace(tenant, current.etag);
    return { kind: 'updated', tenant };
  });
}
