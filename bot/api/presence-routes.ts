import { z } from 'zod';
import type { AppDeps } from '../../core/app/app-deps.js';
import { presenceFeedStatus, type PresenceFeed } from '../../core/app/presence-feed.js';
import { resolveActor } from '../../core/app/resolve-actor.js';
import { isTenantAdmin } from '../../core/domain/actor.js';
import { asTenantId } from '../../core/domain/ids.js';
import { toIso } from '../../core/domain/instant.js';
import { forbidden, refuse } from '../../core/domain/refusal.js';
import { reply } from '../http/refusal-error.js';
import { defineRoute, type Route } from '../http/route.js';
import { tenantParams } from './api-schemas.js';

const presenceTestBody = z.object({
  upn: z
    .string()
    .trim()
    .min(3)
    .max(256)
    .regex(/^[^\s@/?#]+@[^\s@/?#]+$/, 'a user principal name, like adele@contoso.com'),
});

/** How presence reaches the app from Teams (tenant settings, "Presence"), and its test. */
export function presenceRoutes(deps: AppDeps, feed: PresenceFeed | null): Route[] {
  const tenant = (params: { tenantId: string }) => asTenantId(params.tenantId);
  return [
    defineRoute({
      method: 'GET',
      path: '/tenants/{tenantId}/presence',
      summary: 'How Teams presence reaches the app for this tenant (tenant admins)',
      tags: ['tenants'],
      auth: 'token',
      params: tenantParams,
      success: { status: 200, description: 'The presence feed: its source, mode and last update' },
      handle: async ({ params, principal }) =>
        reply(await presenceFeedStatus(deps, principal, tenant(params), feed !== null), (s) =>
          s.source === 'none'
            ? {
                source: 'none',
                problem:
                  'Microsoft Graph is not configured (GRAPH_CLIENT_ID, GRAPH_CLIENT_SECRET): presence comes only from PUT …/users/{userId}/presence.',
              }
            : {
                ...s,
                lastUpdateAt: s.lastUpdateAt === null ? null : toIso(s.lastUpdateAt),
                lastPollAt: s.lastPollAt === null ? null : toIso(s.lastPollAt),
              },
        ),
    }),
    defineRoute({
      method: 'POST',
      path: '/tenants/{tenantId}/presence:test',
      summary: 'Read one person’s presence through Microsoft Graph now (tenant admins)',
      tags: ['tenants'],
      auth: 'token',
      params: tenantParams,
      body: presenceTestBody,
      success: {
        status: 200,
        description:
          'The person and their presence ({ok: true, …}), or why Graph could not tell ({ok: false, problem})',
      },
      handle: async ({ params, body, principal }) => {
        if (feed)
          return reply(await feed.test(deps, principal, tenant(params), body.upn), (r) => r);
        const access = await resolveActor(deps, principal, tenant(params));
        const decided =
          access.ok && !isTenantAdmin(access.value.actor)
            ? refuse(forbidden('Only a tenant admin may test the presence feed.'))
            : access;
        return reply(decided, () => ({
          ok: false,
          problem:
            'Microsoft Graph is not configured for this app (GRAPH_CLIENT_ID, GRAPH_CLIENT_SECRET).',
        }));
      },
    }),
  ];
}
