import { z } from 'zod';
import type { Clock } from '../../core/app/clock.js';
import { putTenant } from '../../core/app/put-tenant.js';
import { asTenantId } from '../../core/domain/ids.js';
import { toIso } from '../../core/domain/instant.js';
import type { Tenant } from '../../core/domain/tenant.js';
import type { Stores } from '../../core/store/stores.js';
import { tenantKey } from '../../core/store/table-tenant-store.js';
import type { Principal } from '../auth/principal.js';
import { ApiError } from '../http/api-error.js';
import { defineRoute, ok, type Route } from '../http/route.js';
import { tenantParams, tenantState, tenantView } from './api-schemas.js';

export interface TenantRouteDeps {
  readonly stores: Stores;
  readonly clock: Clock;
}

const view = (t: Tenant) => ({
  tenantId: t.id,
  name: t.name,
  state: t.state,
  createdAt: toIso(t.createdAt),
});

function requireSystem(principal: Principal): void {
  if (principal.kind !== 'system')
    throw ApiError.forbidden('Only the system operator may do this.');
}

/** The system operator's tenant routes, plus reading one's own tenant. */
export function tenantRoutes(deps: TenantRouteDeps): Route[] {
  return [
    defineRoute({
      method: 'PUT',
      path: '/tenants/{tenantId}',
      summary: 'Create or update a tenant (system operator)',
      tags: ['tenants'],
      auth: 'token',
      params: tenantParams,
      body: z.object({ name: z.string().trim().min(1).max(200), state: tenantState }).strict(),
      success: { status: 200, description: 'Updated (201 when created)', schema: tenantView },
      handle: async ({ params, body, principal }) => {
        requireSystem(principal);
        const input = { id: asTenantId(params.tenantId), ...body };
        const outcome = await putTenant(deps.stores, input, deps.clock.now());
        return ok(view(outcome.tenant), outcome.kind === 'created' ? 201 : 200);
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/tenants/{tenantId}',
      summary: 'Read a tenant (system operator, or a member of that tenant)',
      tags: ['tenants'],
      auth: 'token',
      params: tenantParams,
      success: { status: 200, description: 'The tenant', schema: tenantView },
      handle: async ({ params, principal }) => {
        if (principal.kind === 'user' && principal.tenantId !== params.tenantId)
          throw ApiError.forbidden();
        const found = await deps.stores.tenants.get(tenantKey(asTenantId(params.tenantId)));
        if (!found) throw ApiError.notFound('The tenant');
        return ok(view(found.value));
      },
    }),
  ];
}
