import { z } from 'zod';
import type { ManualClock } from '../../core/app/clock.js';
import { toIso } from '../../core/domain/instant.js';
import type { DevTokenIssuer } from '../auth/dev-token-issuer.js';
import { defineRoute, ok, type Route } from '../http/route.js';
import { id } from './api-schemas.js';
import type { Stores } from '../../core/store/stores.js';
import { everyoneToSignInAs } from '../../core/app/who-am-i.js';

const tokenRequest = z.union([
  z.object({ system: z.literal(true) }).strict(),
  z
    .object({ tenantId: id, userId: id, groups: z.array(z.string().max(64)).max(50).optional() })
    .strict(),
]);

/** Dev-mode helpers; the composition root mounts them only in dev mode. */
export function devTokenRoute(issuer: DevTokenIssuer): Route {
  return defineRoute({
    method: 'POST',
    path: '/dev/token',
    summary: 'Mint a locally signed token (dev mode only)',
    tags: ['dev'],
    auth: 'public',
    body: tokenRequest,
    success: { status: 200, description: 'A token', schema: z.object({ token: z.string() }) },
    handle: async ({ body }) => ok({ token: await issuer.mint(body) }),
  });
}

/** Moves the manual clock and fires every timer that became due (CLOCK=manual only). */
export function devClockRoute(clock: ManualClock): Route {
  return defineRoute({
    method: 'POST',
    path: '/dev/clock',
    summary: 'Advance the manual clock (dev mode with CLOCK=manual only)',
    tags: ['dev'],
    auth: 'public',
    body: z
      .object({
        advanceMs: z
          .number()
          .int()
          .min(0)
          .max(366 * 24 * 3600 * 1000),
      })
      .strict(),
    success: { status: 200, description: 'The new time', schema: z.object({ now: z.string() }) },
    handle: async ({ body }) => ok({ now: toIso(await clock.advance(body.advanceMs)) }),
  });
}

/** The people a developer may sign in as, per tenant (the tab's "sign in as" picker). */
export function devPeopleRoute(stores: Stores): Route {
  return defineRoute({
    method: 'GET',
    path: '/dev/people',
    summary: 'Everyone in every tenant, to sign in as (dev mode only)',
    tags: ['dev'],
    auth: 'public',
    success: { status: 200, description: 'People by tenant' },
    handle: async () => ok(await everyoneToSignInAs(stores)),
  });
}
