import type { AppDeps } from '../../core/app/app-deps.js';
import {
  deleteOrgUnit,
  listDirectory,
  putOrgUnit,
  putUser,
  setUserSkills,
} from '../../core/app/directory-admin.js';
import { asOrgUnitId, asTenantId, asUserId } from '../../core/domain/ids.js';
import { defineRoute, type Route } from '../http/route.js';
import { reply } from '../http/refusal-error.js';
import {
  ouParams,
  putOuBody,
  putUserBody,
  skillsBody,
  tenantParams,
  userParams,
} from './api-schemas.js';
import { orgUnitView, userView } from './views.js';

/** The tenant's directory: OU tree and users (in Teams it is filled from team rosters). */
export function directoryRoutes(deps: AppDeps): Route[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/tenants/{tenantId}/directory',
      summary: 'OUs and users of the tenant (admins)',
      tags: ['directory'],
      auth: 'token',
      params: tenantParams,
      success: { status: 200, description: 'The directory' },
      handle: async ({ params, principal }) =>
        reply(await listDirectory(deps, principal, asTenantId(params.tenantId)), (d) => ({
          orgUnits: d.orgUnits.map(orgUnitView),
          users: d.users.map(userView),
        })),
    }),
    defineRoute({
      method: 'PUT',
      path: '/tenants/{tenantId}/ous/{ouId}',
      summary: 'Create, rename or move an OU (tenant admins)',
      tags: ['directory'],
      auth: 'token',
      params: ouParams,
      body: putOuBody,
      success: { status: 200, description: 'The OU' },
      handle: async ({ params, body, principal }) => {
        const unit = {
          tenantId: asTenantId(params.tenantId),
          id: asOrgUnitId(params.ouId),
          name: body.name,
          parentId: body.parentId === null ? null : asOrgUnitId(body.parentId),
        };
        return reply(await putOrgUnit(deps, principal, unit), orgUnitView);
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/tenants/{tenantId}/ous/{ouId}',
      summary:
        'Delete an empty OU (tenant admins); a provisioning default on it moves one level up',
      tags: ['directory'],
      auth: 'token',
      params: ouParams,
      success: { status: 200, description: 'The provisioning default OU afterwards' },
      handle: async ({ params, principal }) =>
        reply(
          await deleteOrgUnit(
            deps,
            principal,
            asTenantId(params.tenantId),
            asOrgUnitId(params.ouId),
          ),
          (r) => r,
        ),
    }),
    defineRoute({
      method: 'PUT',
      path: '/tenants/{tenantId}/users/{userId}',
      summary: 'Add or update a directory user (tenant admins)',
      tags: ['directory'],
      auth: 'token',
      params: userParams,
      body: putUserBody,
      success: { status: 200, description: 'The user (201 when added)' },
      handle: async ({ params, body, principal }) => {
        const input = {
          tenantId: asTenantId(params.tenantId),
          id: asUserId(params.userId),
          displayName: body.displayName,
          ouId: asOrgUnitId(body.ouId),
          roles: body.roles,
        };
        const result = await putUser(deps, principal, input);
        return reply(
          result,
          (r) => userView(r.user),
          result.ok && result.value.created ? 201 : 200,
        );
      },
    }),
    defineRoute({
      method: 'PUT',
      path: '/tenants/{tenantId}/users/{userId}/skills',
      summary: "Set a Contact Center agent's skills (levels 1..100)",
      tags: ['directory'],
      auth: 'token',
      params: userParams,
      body: skillsBody,
      success: { status: 200, description: 'The user' },
      handle: async ({ params, body, principal }) =>
        reply(
          await setUserSkills(
            deps,
            principal,
            asTenantId(params.tenantId),
            asUserId(params.userId),
            body.skills,
          ),
          userView,
        ),
    }),
  ];
}
