import type { AppDeps } from '../../core/app/app-deps.js';
import { myServices } from '../../core/app/routing/me-actions.js';
import { defineRoute, type Route } from '../http/route.js';
import { RefusalError } from '../http/refusal-error.js';
import { forbidden } from '../../core/domain/refusal.js';
import { liveFeed } from '../live/live-feed.js';
import type { TenantChanges } from '../live/tenant-changes.js';
import { myStateView } from './routing-views.js';

export interface LiveRouteDeps {
  readonly changes: TenantChanges;
  readonly pollMs: number;
  readonly onError: (error: unknown) => void;
}

/** Views that update themselves, as server-sent events. */
export function liveRoutes(deps: AppDeps, live: LiveRouteDeps): Route[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/me/events',
      summary:
        'My routing state, live (text/event-stream): a `state` event now and on every change, `changed` when anything of my tenant changed',
      tags: ['me'],
      auth: 'token',
      success: { status: 200, description: 'An event stream' },
      handle: async ({ principal }) => {
        if (principal.kind !== 'user')
          throw new RefusalError(forbidden('This is for a signed-in user.'));
        const view = async () => {
          const decision = await myServices(deps, principal);
          if (!decision.ok) throw new RefusalError(decision.refusal);
          return myStateView(decision.value, deps.clock.now());
        };
        const first = await view();
        return {
          status: 200,
          stream: liveFeed({
            event: 'state',
            tenantId: principal.tenantId,
            first,
            load: view,
            fingerprint: ({ now: _now, ...rest }) => JSON.stringify(rest),
            changes: live.changes,
            pollMs: live.pollMs,
            onError: live.onError,
          }),
        };
      },
    }),
  ];
}
