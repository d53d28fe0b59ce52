import type { AppDeps } from '../../core/app/app-deps.js';
import { putMember, removeMember, setMemberRole } from '../../core/app/membership-admin.js';
import {
  changeAssignmentType,
  listServices,
  patchServiceSettings,
  readService,
} from '../../core/app/service-admin.js';
import { createService, provisionService } from '../../core/app/service-provisioning.js';
import { deleteService } from '../../core/app/service-deletion.js';
import { asServiceId, asTenantId, asUserId } from '../../core/domain/ids.js';
import { defineRoute, type Route } from '../http/route.js';
import { reply } from '../http/refusal-error.js';
import {
  assignmentTypeBody,
  createServiceBody,
  deleteServiceBody,
  memberBody,
  memberParams,
  memberRoleBody,
  provisionBody,
  serviceParams,
  serviceSettingsBody,
  tenantParams,
} from './api-schemas.js';
import { memberView, serviceView } from './views.js';

const ids = (p: { tenantId: string; serviceId: string }) =>
  [asTenantId(p.tenantId), asServiceId(p.serviceId)] as const;

/** Services: provisioning, the admin backend, settings and members. */
export function serviceRoutes(deps: AppDeps): Route[] {
  return [
    defineRoute({
      method: 'POST',
      path: '/tenants/{tenantId}/services:provision',
      summary: 'Provision a team as a service, as the calling user, under the tenant policy',
      tags: ['services'],
      auth: 'token',
      params: tenantParams,
      body: provisionBody,
      success: { status: 201, description: 'Provisioned (200 when the team already was)' },
      handle: async ({ params, body, principal }) => {
        const input = {
          teamId: body.teamId,
          teamName: body.teamName,
          members: body.members.map(asUserId),
        };
        const result = await provisionService(deps, principal, asTenantId(params.tenantId), input);
        return reply(
          result,
          (r) => ({ ...serviceView(r.service), alreadyProvisioned: !r.created }),
          result.ok && !result.value.created ? 200 : 201,
        );
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/tenants/{tenantId}/services',
      summary: 'Create a Skill-based or None service (admin backend; any provisioning policy)',
      tags: ['services'],
      auth: 'token',
      params: tenantParams,
      body: createServiceBody,
      success: { status: 201, description: 'Created' },
      handle: async ({ params, body, principal }) =>
        reply(
          await createService(deps, principal, asTenantId(params.tenantId), body),
          (s) => serviceView(s),
          201,
        ),
    }),
    defineRoute({
      method: 'GET',
      path: '/tenants/{tenantId}/services',
      summary:
        'Services the caller belongs to or administers, with their OU path, members, Active members and waiting tasks',
      tags: ['services'],
      auth: 'token',
      params: tenantParams,
      success: { status: 200, description: 'Services' },
      handle: async ({ params, principal }) =>
        reply(await listServices(deps, principal, asTenantId(params.tenantId)), (list) =>
          list.services.map(({ service, ouPath, counts }) => ({
            ...serviceView(service, list.pendingDeletion),
            ouPath: ouPath.map((ou) => ({ ouId: ou.id, name: ou.name })),
            members: counts.members,
            activeMembers: counts.active,
            waiting: counts.waiting,
          })),
        ),
    }),
    defineRoute({
      method: 'GET',
      path: '/tenants/{tenantId}/services/{serviceId}',
      summary: 'A service with its settings, locks, license features and members',
      tags: ['services'],
      auth: 'token',
      params: serviceParams,
      success: { status: 200, description: 'The service' },
      handle: async ({ params, principal }) =>
        reply(await readService(deps, principal, ...ids(params)), (r) => ({
          ...serviceView(r.service, r.pendingDeletion),
          ouPath: r.ouPath.map((ou) => ({ ouId: ou.id, name: ou.name })),
          members: r.members.map(memberView),
        })),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/tenants/{tenantId}/services/{serviceId}',
      summary:
        'Delete a service (admins of its OU): frees its license, the team is untouched. With tasks waiting or in hand, 409 confirmation_required unless {"cancelOpenTasks": true}',
      tags: ['services'],
      auth: 'token',
      params: serviceParams,
      body: deleteServiceBody,
      success: {
        status: 200,
        description: 'Deleted: the license given back, and how many tasks were canceled or ended',
      },
      handle: async ({ params, body, principal }) =>
        reply(await deleteService(deps, principal, ...ids(params), body), (d) => d),
    }),
    defineRoute({
      method: 'PATCH',
      path: '/tenants/{tenantId}/services/{serviceId}/settings',
      summary: 'Change service settings (owners and admins): all or nothing, license-gated',
      tags: ['services'],
      auth: 'token',
      params: serviceParams,
      body: serviceSettingsBody,
      success: { status: 200, description: 'The service' },
      handle: async ({ params, body, principal }) => {
        const { general, ...patch } = body;
        return reply(
          await patchServiceSettings(deps, principal, ...ids(params), patch, general),
          (s) => serviceView(s),
        );
      },
    }),
    defineRoute({
      method: 'PUT',
      path: '/tenants/{tenantId}/services/{serviceId}/assignmentType',
      summary: 'Change the user assignment type (only Skill-based <-> None)',
      tags: ['services'],
      auth: 'token',
      params: serviceParams,
      body: assignmentTypeBody,
      success: { status: 200, description: 'The service' },
      handle: async ({ params, body, principal }) =>
        reply(
          await changeAssignmentType(deps, principal, ...ids(params), body.assignmentType),
          (s) => serviceView(s),
        ),
    }),
    defineRoute({
      method: 'PUT',
      path: '/tenants/{tenantId}/services/{serviceId}/members/{userId}',
      summary: "Add a member or set a member's Active state",
      tags: ['services'],
      auth: 'token',
      params: memberParams,
      body: memberBody,
      success: { status: 200, description: 'The membership' },
      handle: async ({ params, body, principal }) =>
        reply(
          await putMember(deps, principal, ...ids(params), asUserId(params.userId), body.active),
          memberView,
        ),
    }),
    defineRoute({
      method: 'PUT',
      path: '/tenants/{tenantId}/services/{serviceId}/members/{userId}/role',
      summary:
        'Make a member an owner (Owner, OwnerLimited) or a member again (owners and admins; only full owners and admins make full owners; the last owner stays one)',
      tags: ['services'],
      auth: 'token',
      params: memberParams,
      body: memberRoleBody,
      success: { status: 200, description: 'The membership' },
      handle: async ({ params, body, principal }) =>
        reply(
          await setMemberRole(deps, principal, ...ids(params), asUserId(params.userId), body.role),
          memberView,
        ),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/tenants/{tenantId}/services/{serviceId}/members/{userId}',
      summary: 'Remove a member (owners and admins)',
      tags: ['services'],
      auth: 'token',
      params: memberParams,
      success: { status: 204, description: 'Removed' },
      handle: async ({ params, principal }) =>
        reply(
          await removeMember(deps, principal, ...ids(params), asUserId(params.userId)),
          () => undefined,
          204,
        ),
    }),
  ];
}
