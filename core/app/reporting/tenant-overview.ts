import pLimit from 'p-limit';
import { isAdmin, isTenantAdmin } from '../../domain/actor.js';
import { mayAdministerOu } from '../../domain/access.js';
import type { Identity } from '../../domain/actor.js';
import type { ServiceId, TenantId } from '../../domain/ids.js';
import type { Period } from '../../domain/reporting/local-time.js';
import {
  personKpis,
  queueKpis,
  withServiceLevels,
  type PersonKpis,
  type QueueKpis,
} from '../../domain/reporting/task-kpis.js';
import { allow, forbidden, refuse, type Decision } from '../../domain/refusal.js';
import type { AppDeps } from '../app-deps.js';
import { loadTree } from '../directory-admin.js';
import { resolveActor } from '../resolve-actor.js';
import {
  liveFigures,
  namedPeople,
  periodOf,
  serviceTallies,
  type DashboardRange,
  type LiveFigures,
  type PersonTimes,
} from './service-dashboard.js';
import { foldTallies } from './tally-folder.js';

/** One service's line in the overview. */
export interface ServiceLine {
  readonly serviceId: ServiceId;
  readonly name: string;
  readonly serviceLevelSec: number;
  readonly kpis: QueueKpis;
  readonly live: LiveFigures;
}

/** The services an admin looks after, together and one by one. */
export interface TenantOverview {
  readonly tenantName: string;
  readonly timeZone: string;
  readonly period: Period;
  /** Every service of the tenant (a tenant admin), or those of an OU admin's units. */
  readonly scope: 'tenant' | 'unit';
  /** Added up over the services; the service level judges each by its own threshold. */
  readonly kpis: QueueKpis;
  readonly services: readonly ServiceLine[];
  /** Each person over the services (a person in two of them counts their tasks in both). */
  readonly people: readonly (PersonKpis & PersonTimes & { readonly displayName: string })[];
  /** Now, over the services: each person counted once. */
  readonly live: LiveFigures;
}

/** Services read at once: a tenant's services each read their own tallies. */
const READS_AT_ONCE = 4;

/**
 * The admins' overview of a range of days in the tenant's time zone: the services of their
 * scope added up, each service's line, each person's figures, and now. From the services'
 * tallies, like each service's dashboard (a service deleted since is not in it).
 */
export async function tenantOverview(
  deps: AppDeps,
  identity: Identity,
  tenantId: TenantId,
  range: DashboardRange,
): Promise<Decision<TenantOverview>> {
  const access = await resolveActor(deps, identity, tenantId);
  if (!access.ok) return access;
  const { actor, tenant } = access.value;
  if (!isAdmin(actor))
    return refuse(
      forbidden(
        'Only admins see the overview of all services. Each service’s dashboard is on its page.',
      ),
    );
  const now = deps.clock.now();
  const { timeZone } = tenant.value.settings.general;
  const period = periodOf(range, now, timeZone);
  if (!period.ok) return period;
  const [rows, tree] = await Promise.all([
    deps.stores.services.list(tenantId),
    loadTree(deps, tenantId),
    // Exact as of now: what is still marked is folded before anything is read.
    foldTallies(deps.stores, tenantId),
  ]);
  const services = rows
    .map((r) => r.value)
    .filter((s) => mayAdministerOu(actor, s.ouId, tree) === null)
    .sort((a, b) => a.name.localeCompare(b.name));
  const limit = pLimit(READS_AT_ONCE);
  const [tallies, live] = await Promise.all([
    Promise.all(
      services.map((s) => limit(() => serviceTallies(deps, tenantId, s.id, period.value))),
    ),
    liveFigures(deps, services, tenant.value, now),
  ]);
  const lines = services.map((service, i): ServiceLine => {
    const serviceLevelSec = service.settings.distribution.serviceLevelSec;
    return {
      serviceId: service.id,
      name: service.name,
      serviceLevelSec,
      kpis: queueKpis(tallies[i]!, period.value, {
        now,
        thresholdSec: serviceLevelSec,
        timeZone,
        waitingSince: live.waitingPast.get(service.id) ?? [],
      }),
      live: live.each.get(service.id)!,
    };
  });
  const all = tallies.flat();
  return allow({
    tenantName: tenant.value.name,
    timeZone,
    period: period.value,
    scope: isTenantAdmin(actor) ? 'tenant' : 'unit',
    kpis: withServiceLevels(
      queueKpis(all, period.value, { now, thresholdSec: null, timeZone }),
      lines.map((line) => line.kpis),
    ),
    services: lines,
    // Time in states is a service's: across services it would count the same hours twice.
    people: await namedPeople(
      deps,
      tenantId,
      personKpis(all, period.value).map((p) => ({ ...p, activeMs: null, availableMs: null })),
    ),
    live: live.all,
  });
}
