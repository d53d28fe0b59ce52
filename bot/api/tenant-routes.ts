import type { AppDeps } from '../../core/app/app-deps.js';
import { resolveActor } from '../../core/app/resolve-actor.js';
import {
  deleteTenant,
  getTenantSettings,
  patchTenantSettings,
  putContingency,
  putTenant,
} from '../../core/app/tenant-admin.js';
import { asTenantId } from '../../core/domain/ids.js';
import { licenseKind, type License } from '../../core/domain/license.js';
import { tenantSettings, tenantSettingsPatch } from '../../core/domain/tenant-settings.js';
import { defineRoute, type Route } from '../http/route.js';
import { reply } from '../http/refusal-error.js';
import { contingencyBody, deleteTenantBody, putTenantBody, tenantParams } from './api-schemas.js';
import { tenantView } from './views.js';

/** Tenants: the system operator's routes, reading one's own tenant, and tenant settings. */
export function tenantRoutes(deps: AppDeps): Route[] {
  const tenant = (params: { tenantId: string }) => asTenantId(params.tenantId);
  return [
    defineRoute({
      method: 'PUT',
      path: '/tenants/{tenantId}',
      summary: 'Create or update a tenant (system operator)',
      tags: ['tenants'],
      auth: 'token',
      params: tenantParams,
      body: putTenantBody,
      success: { status: 200, description: 'Updated (201 when created)' },
      handle: async ({ params, body, principal }) => {
        const result = await putTenant(deps, principal, { id: tenant(params), ...body });
        return reply(
          result,
          (r) => tenantView(r.tenant),
          result.ok && result.value.created ? 201 : 200,
        );
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/tenants/{tenantId}',
      summary: 'Read a tenant (system operator, or a user of that tenant)',
      tags: ['tenants'],
      auth: 'token',
      params: tenantParams,
      success: { status: 200, description: 'The tenant' },
      handle: async ({ params, principal }) =>
        reply(await resolveActor(deps, principal, tenant(params)), (a) =>
          tenantView(a.tenant.value),
        ),
    }),
    defineRoute({
      method: 'PUT',
      path: '/tenants/{tenantId}/contingency',
      summary:
        'Set license pool totals (system operator); a total never drops below what is assigned',
      tags: ['licenses'],
      auth: 'token',
      params: tenantParams,
      body: contingencyBody,
      success: { status: 200, description: 'The changed pools' },
      handle: async ({ params, body, principal }) =>
        reply(
          await putContingency(
            deps,
            principal,
            tenant(params),
            body as Partial<Record<License, number>>,
          ),
          (pools) =>
            pools.map((p) => ({
              license: p.license,
              kind: licenseKind(p.license),
              total: p.total,
              used: p.used,
            })),
        ),
    }),
    defineRoute({
      method: 'POST',
      path: '/tenants/{tenantId}/deletion',
      summary:
        'Delete a tenant (system operator): needs {"confirm":"YES"}; its services go to pending deletion',
      tags: ['tenants'],
      auth: 'token',
      params: tenantParams,
      body: deleteTenantBody,
      success: { status: 200, description: 'The tenant, pending deletion' },
      handle: async ({ params, body, principal }) =>
        reply(await deleteTenant(deps, principal, tenant(params), body.confirm), tenantView),
    }),
    defineRoute({
      method: 'GET',
      path: '/tenants/{tenantId}/settings',
      summary: 'Tenant settings (tenant admins)',
      tags: ['tenants'],
      auth: 'token',
      params: tenantParams,
      success: { status: 200, description: 'All sections', schema: tenantSettings },
      handle: async ({ params, principal }) =>
        reply(await getTenantSettings(deps, principal, tenant(params)), (s) => s),
    }),
    defineRoute({
      method: 'PATCH',
      path: '/tenants/{tenantId}/settings',
      summary: 'Change tenant settings (tenant admins): all fields valid, or nothing changes',
      tags: ['tenants'],
      auth: 'token',
      params: tenantParams,
      body: tenantSettingsPatch,
      success: {
        status: 200,
        description: 'All sections after the change',
        schema: tenantSettings,
      },
      handle: async ({ params, body, principal }) =>
        reply(await patchTenantSettings(deps, principal, tenant(params), body), (s) => s),
    }),
  ];
}
