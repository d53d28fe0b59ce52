import { z } from 'zod';
import type { AppDeps } from '../../core/app/app-deps.js';
import {
  serviceDashboard,
  type DashboardRange,
  type ServiceDashboard,
} from '../../core/app/reporting/service-dashboard.js';
import { asServiceId, asTenantId } from '../../core/domain/ids.js';
import { toIso, type Instant } from '../../core/domain/instant.js';
import type { QueueKpis, Spread } from '../../core/domain/reporting/task-kpis.js';
import type { Period } from '../../core/domain/reporting/local-time.js';
import { tenantOverview, type TenantOverview } from '../../core/app/reporting/tenant-overview.js';
import { MAX_MONTHS, monthlyActiveUsers } from '../../core/app/reporting/active-users.js';
import type { LiveFigures } from '../../core/app/reporting/service-dashboard.js';
import { defineRoute, type Route } from '../http/route.js';
import { reply } from '../http/refusal-error.js';
import { serviceParams, tenantParams } from './api-schemas.js';

/** A calendar day, `YYYY-MM-DD` (Zod checks the month's length, leap years included). */
const localDate = z.iso.date('must be a calendar day, YYYY-MM-DD');

/** `?days=1|7|30` (today by default), or `?from=&to=` (days in the tenant's time zone, both counted). */
const dashboardQuery = z
  .object({
    days: z
      .enum(['1', '7', '30'])
      .optional()
      .describe('Today (1), the last 7 or the last 30 days, in the tenant’s time zone'),
    from: localDate.optional().describe('The first day of a range, YYYY-MM-DD'),
    to: localDate.optional().describe('The last day of a range, YYYY-MM-DD'),
  })
  .strict()
  .superRefine((q, ctx) => {
    if ((q.from === undefined) !== (q.to === undefined))
      ctx.addIssue({
        code: 'custom',
        path: [q.from === undefined ? 'from' : 'to'],
        message: 'a range needs both from and to',
      });
    if (q.days !== undefined && q.from !== undefined)
      ctx.addIssue({ code: 'custom', path: ['days'], message: 'give days or a range, not both' });
  });

const rangeOf = (q: z.infer<typeof dashboardQuery>): DashboardRange =>
  q.from !== undefined && q.to !== undefined
    ? { from: q.from, to: q.to }
    : { days: Number(q.days ?? '1') as 1 | 7 | 30 };

const spreadView = (s: Spread) => ({ count: s.count, averageMs: s.averageMs, p90Ms: s.p90Ms });
const iso = (at: Instant | null) => (at === null ? null : toIso(at));

const kpisView = (k: QueueKpis) => ({
  offered: k.offered,
  accepted: k.accepted,
  abandoned: k.abandoned,
  missed: k.missed,
  withdrawn: k.withdrawn,
  wait: spreadView(k.wait),
  handle: spreadView(k.handle),
  acw: spreadView(k.acw),
  serviceLevel: k.serviceLevel,
  perHour: k.perHour,
  waitBands: k.waitBands,
});

const peopleView = (people: ServiceDashboard['people']) =>
  people.map((p) => ({
    userId: p.userId,
    displayName: p.displayName,
    accepted: p.accepted,
    handled: p.handled,
    handle: spreadView(p.handle),
    missed: p.missed,
    activeMs: p.activeMs,
    availableMs: p.availableMs,
  }));

const periodView = (p: Period) => ({ from: toIso(p.from), to: toIso(p.to) });

const liveView = (live: LiveFigures) => ({
  ...live,
  longestWaitingSince: iso(live.longestWaitingSince),
});

export const dashboardView = (d: ServiceDashboard) => ({
  serviceName: d.serviceName,
  timeZone: d.timeZone,
  period: periodView(d.period),
  serviceLevelSec: d.serviceLevelSec,
  kpis: kpisView(d.kpis),
  people: peopleView(d.people),
  live: liveView(d.live),
});

export const overviewView = (o: TenantOverview) => ({
  tenantName: o.tenantName,
  timeZone: o.timeZone,
  period: periodView(o.period),
  scope: o.scope,
  kpis: kpisView(o.kpis),
  services: o.services.map((line) => ({
    serviceId: line.serviceId,
    name: line.name,
    serviceLevelSec: line.serviceLevelSec,
    kpis: kpisView(line.kpis),
    live: liveView(line.live),
  })),
  people: peopleView(o.people),
  live: liveView(o.live),
});

const KPIS_SHAPE =
  '{"offered", "accepted", "abandoned", "missed", "withdrawn", "wait", "handle", "acw" (each {"count", "averageMs", "p90Ms"}), "serviceLevel" (0..1 or null), "perHour": [{"hour", "offered", "accepted", "abandoned"}], "waitBands": [{"upToSec" (null: beyond the last), "count"}] (the accepted tasks’ waits; the service level threshold is a bound)}';
const PEOPLE_SHAPE =
  '[{"userId", "displayName", "accepted", "handled", "handle", "missed", "activeMs", "availableMs" (time Active and available in the service; null unless the tenant persists user states, and in the overview)}]';
const LIVE_SHAPE = '{"waiting", "longestWaitingSince", "available", "busy", "inAcw"}';

const activeUsersQuery = z
  .object({
    months: z.coerce
      .number()
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(MAX_MONTHS, `must be at most ${MAX_MONTHS}`)
      .default(12)
      .describe(`How many months back, this one included (1 to ${MAX_MONTHS}, 12 unless given)`),
  })
  .strict();

/** Reporting: a service's dashboard, and the admins' overview (issue #21). */
export function reportingRoutes(deps: AppDeps): Route[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/tenants/{tenantId}/services/{serviceId}/dashboard',
      summary: 'A service’s KPIs over a range of days, each person’s, and its live figures',
      tags: ['reporting'],
      auth: 'token',
      params: serviceParams,
      query: dashboardQuery,
      success: {
        status: 200,
        description: `{"serviceName", "timeZone", "period": {"from", "to"}, "serviceLevelSec", "kpis": ${KPIS_SHAPE}, "people": ${PEOPLE_SHAPE}, "live": ${LIVE_SHAPE}}`,
      },
      handle: async ({ params, query, principal }) =>
        reply(
          await serviceDashboard(
            deps,
            principal,
            asTenantId(params.tenantId),
            asServiceId(params.serviceId),
            rangeOf(query),
          ),
          dashboardView,
        ),
    }),
    defineRoute({
      method: 'GET',
      path: '/tenants/{tenantId}/dashboard',
      summary:
        'The admins’ overview: the services of their scope added up and one by one, each person’s figures, and now',
      tags: ['reporting'],
      auth: 'token',
      params: tenantParams,
      query: dashboardQuery,
      success: {
        status: 200,
        description: `{"tenantName", "timeZone", "period": {"from", "to"}, "scope": "tenant|unit", "kpis": ${KPIS_SHAPE} (the service level judges each service by its own threshold; waitBands without one), "services": [{"serviceId", "name", "serviceLevelSec", "kpis", "live"}], "people": ${PEOPLE_SHAPE}, "live": ${LIVE_SHAPE} (each person once)}`,
      },
      handle: async ({ params, query, principal }) =>
        reply(
          await tenantOverview(deps, principal, asTenantId(params.tenantId), rangeOf(query)),
          overviewView,
        ),
    }),
    defineRoute({
      method: 'GET',
      path: '/tenants/{tenantId}/statistics/active-users',
      summary:
        'How many people were Active in a service at least once in each month (tenant admins)',
      tags: ['reporting'],
      auth: 'token',
      params: tenantParams,
      query: activeUsersQuery,
      success: {
        status: 200,
        description:
          '[{"month": "YYYY-MM" (the tenant’s time zone), "users"}], this month first; this month counts everyone Active now too',
      },
      handle: async ({ params, query, principal }) =>
        reply(
          await monthlyActiveUsers(deps, principal, asTenantId(params.tenantId), query.months),
          (months) => months,
        ),
    }),
  ];
}
