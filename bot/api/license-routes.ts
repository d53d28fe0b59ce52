import type { AppDeps } from '../../core/app/app-deps.js';
import {
  changeLicenses,
  changeServiceLicense,
  readLicenses,
} from '../../core/app/license-admin.js';
import { asServiceId, asTenantId, asUserId } from '../../core/domain/ids.js';
import type { LicenseChange } from '../../core/domain/license-changes.js';
import type { LicenseOutcome } from '../../core/domain/license-changes.js';
import { defineRoute, type Route } from '../http/route.js';
import { reply } from '../http/refusal-error.js';
import {
  licenseChangesBody,
  serviceLicenseBody,
  serviceParams,
  tenantParams,
} from './api-schemas.js';
import { serviceView, userView } from './views.js';

const outcomeView = (o: LicenseOutcome) => ({
  pools: o.pools.map((p) => ({ license: p.license, total: p.total, used: p.used })),
  users: o.users.map(userView),
  services: o.services.map((s) => serviceView(s)),
  removedAssignments: o.removedMemberships.map((m) => ({
    serviceId: m.serviceId,
    userId: m.userId,
  })),
});

/** License pools and their distribution to users and services. */
export function licenseRoutes(deps: AppDeps): Route[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/tenants/{tenantId}/licenses',
      summary: 'Tenant state, each pool as used/total, and who holds what (tenant and OU admins)',
      tags: ['licenses'],
      auth: 'token',
      params: tenantParams,
      success: { status: 200, description: 'Pools and holders' },
      handle: async ({ params, principal }) =>
        reply(await readLicenses(deps, principal, asTenantId(params.tenantId)), (r) => ({
          state: r.state,
          pools: r.pools,
          users: r.users.map(userView),
          services: r.services.map((s) => ({
            serviceId: s.id,
            name: s.name,
            license: s.license,
            assignmentType: s.assignmentType,
          })),
        })),
    }),
    defineRoute({
      method: 'POST',
      path: '/tenants/{tenantId}/licenses/changes',
      summary: 'Apply staged license changes, all or nothing',
      tags: ['licenses'],
      auth: 'token',
      params: tenantParams,
      body: licenseChangesBody,
      success: { status: 200, description: 'What changed' },
      handle: async ({ params, body, principal }) => {
        const changes: LicenseChange[] = body.changes.map((c) => ({
          op: c.op,
          license: c.license,
          target:
            'userId' in c
              ? { kind: 'user', id: asUserId(c.userId) }
              : { kind: 'service', id: asServiceId(c.serviceId) },
        }));
        return reply(
          await changeLicenses(
            deps,
            principal,
            asTenantId(params.tenantId),
            changes,
            body.confirmIrreversible,
          ),
          outcomeView,
        );
      },
    }),
    defineRoute({
      method: 'PUT',
      path: '/tenants/{tenantId}/services/{serviceId}/license',
      summary: "Upgrade or downgrade a service's license (tenant admins)",
      tags: ['licenses'],
      auth: 'token',
      params: serviceParams,
      body: serviceLicenseBody,
      success: { status: 200, description: 'The service' },
      handle: async ({ params, body, principal }) =>
        reply(
          await changeServiceLicense(
            deps,
            principal,
            asTenantId(params.tenantId),
            asServiceId(params.serviceId),
            body.license,
          ),
          (s) => serviceView(s),
        ),
    }),
  ];
}
