import type { AppDeps } from '../../core/app/app-deps.js';
import { callbackSecret, replaceCallbackSecret } from '../../core/app/routing/callback-secret.js';
import { asTenantId } from '../../core/domain/ids.js';
import { defineRoute, type Route } from '../http/route.js';
import { reply } from '../http/refusal-error.js';
import { tenantParams } from './api-schemas.js';

const SECRET =
  '{"secret"}: the key of the HMAC-SHA256 in each callback’s x-callback-signature header';

/** The secret that signs task callbacks (issue #22), for tenant admins to give receivers. */
export function callbackRoutes(deps: AppDeps): Route[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/tenants/{tenantId}/callback-secret',
      summary: 'The secret task callbacks are signed with (tenant admins)',
      tags: ['tasks'],
      auth: 'token',
      params: tenantParams,
      success: { status: 200, description: SECRET },
      handle: async ({ params, principal }) =>
        reply(await callbackSecret(deps, principal, asTenantId(params.tenantId)), (s) => s),
    }),
    defineRoute({
      method: 'POST',
      path: '/tenants/{tenantId}/callback-secret',
      summary: 'A new callback secret in place of the old one (tenant admins)',
      tags: ['tasks'],
      auth: 'token',
      params: tenantParams,
      success: { status: 200, description: `${SECRET}; events from now on are signed with it` },
      handle: async ({ params, principal }) =>
        reply(await replaceCallbackSecret(deps, principal, asTenantId(params.tenantId)), (s) => s),
    }),
  ];
}
