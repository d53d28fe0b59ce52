import { z } from 'zod';
import type { AppDeps } from '../../core/app/app-deps.js';
import {
  presenceFeedStatus,
  testPresence,
  type PresenceFeed,
} from '../../core/app/presence-feed.js';
import { asTenantId } from '../../core/domain/ids.js';
import { toIso } from '../../core/domain/instant.js';
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
      success: {
        status: 200,
        description:
          'The presence feed (its source, mode and last update) and the last read of the team rosters',
      },
      handle: async ({ params, principal }) =>
        reply(await presenceFeedStatus(deps, principal, tenant(params), feed !== null), (s) =>
          s.source === 'none'
            ? s
            : {
                ...s,
                lastUpdateAt: s.lastUpdateAt === null ? null : toIso(s.lastUpdateAt),
                lastPollAt: s.lastPollAt === null ? null : toIso(s.lastPollAt),
                lastRosterAt: s.lastRosterAt === null ? null : toIso(s.lastRosterAt),
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
      handle: async ({ params, body, principal }) =>
        reply(await testPresence(deps, feed, principal, tenant(params), body.upn), (r) => r),
    }),
  ];
}
