import type { AppDeps } from '../../core/app/app-deps.js';
import { adminGroupDetails, type GroupGraph } from '../../core/app/admin-groups.js';
import { resolveActor } from '../../core/app/resolve-actor.js';
import {
  deleteTenant,
  getTenantSettings,
  listTenants,
  patchTenantSettings,
  putContingency,
  putTenant,
} from '../../core/app/tenant-admin.js';
import { asTenantId } from '../../core/domain/ids.js';
import { licenseKind, type License, type LicensePool } from '../../core/domain/license.js';
import { tenantSettings, tenantSettingsPatch } from '../../core/domain/tenant-settings.js';
import { defineRoute, type Route } from '../http/route.js';
import { reply } from '../http/refusal-error.js';
import {
  contingencyBody,
  cursorOf,
  deleteTenantBody,
  pageQuery,
  groupParams,
  putTenantBody,
  tenantParams,
} from './api-schemas.js';
import { tenantView } from './views.js';

const poolView = (p: LicensePool) => ({
  license: p.license,
  kind: licenseKind(p.license),
  total: p.total,
  used: p.used,
});

/** Tenants: the system operator's routes, reading one's own tenant, and tenant settings. */
export function tenantRoutes(deps: AppDeps, groups: GroupGraph | null = null): Route[] {
  const tenant = (params: { tenantId: string }) => asTenantId(params.tenantId);
  return [
    defineRoute({
      method: 'GET',
      path: '/tenants',
      summary:
        'The tenants, by id, a page at a time, each with its state and license pools (system operator)',
      tags: ['tenants'],
      auth: 'token',
      query: pageQuery,
      success: {
        status: 200,
        description: '{"items": [tenant with "pools"], "next": cursor of the next page or null}',
      },
      handle: async ({ query, principal }) =>
        reply(
          await listTenants(deps, principal, {
            top: query.top,
            after: query.cursor === undefined ? null : asTenantId(query.cursor),
          }),
          (page) => ({
            items: page.tenants.map((t) => ({
              ...tenantView(t.tenant),
              pools: t.pools.map(poolView),
            })),
            next: cursorOf(page.next),
          }),
        ),
    }),
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
          (pools) => pools.map(poolView),
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
      path: '/tenants/{tenantId}/groups/{groupId}',
      summary:
        'A security group of the tenant and its people, nested groups included, through Microsoft Graph (tenant admins)',
      tags: ['tenants'],
      auth: 'token',
      params: groupParams,
      success: {
        status: 200,
        description:
          'The group and its members ({ok: true, displayName, members}), or why Graph could not tell ({ok: false, problem})',
      },
      handle: async ({ params, principal }) =>
        reply(
          await adminGroupDetails(deps, groups, principal, tenant(params), params.groupId),
          (r) => r,
        ),
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
