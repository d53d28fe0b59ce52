import { z } from 'zod';
import type { AppDeps } from '../../core/app/app-deps.js';
import {
  INTERACT_KEYS,
  interactKeys,
  refreshInteractKey,
} from '../../core/app/interact/interact-keys.js';
import { asTenantId } from '../../core/domain/ids.js';
import { defineRoute, type Route } from '../http/route.js';
import { reply } from '../http/refusal-error.js';
import { tenantParams } from './api-schemas.js';

const KEYS =
  '{"widgetKey" (what a web page’s chat widget carries), "tokenSecret" (signs customer tokens when the tenant verifies them)}';

/** Website chat (Interact, issue #22): the tenant's widget key and token secret. */
export function interactRoutes(deps: AppDeps): Route[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/tenants/{tenantId}/interact/keys',
      summary: 'The website chat’s widget key and token secret (tenant admins)',
      tags: ['interact'],
      auth: 'token',
      params: tenantParams,
      success: { status: 200, description: KEYS },
      handle: async ({ params, principal }) =>
        reply(await interactKeys(deps, principal, asTenantId(params.tenantId)), (k) => k),
    }),
    defineRoute({
      method: 'POST',
      path: '/tenants/{tenantId}/interact/keys',
      summary:
        'A new widget key or token secret, in place of the old one, which stops working then (tenant admins)',
      tags: ['interact'],
      auth: 'token',
      params: tenantParams,
      body: z.object({ refresh: z.enum(INTERACT_KEYS) }).strict(),
      success: { status: 200, description: `${KEYS}, after the refresh` },
      handle: async ({ params, body, principal }) =>
        reply(
          await refreshInteractKey(deps, principal, asTenantId(params.tenantId), body.refresh),
          (k) => k,
        ),
    }),
  ];
}
