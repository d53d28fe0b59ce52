import type { Identity } from '../../domain/actor.js';
import { asUserId, type ServiceId, type TenantId, type UserId } from '../../domain/ids.js';
import { instantOf, type Instant } from '../../domain/instant.js';
import {
  lastDays,
  addDays,
  startOfDay,
  type LocalDate,
  type Period,
} from '../../domain/reporting/local-time.js';
import {
  personKpis,
  queueKpis,
  type PersonKpis,
  type QueueKpis,
} from '../../domain/reporting/task-kpis.js';
import {
  DAY_MS,
  NO_DURATIONS,
  spansOf,
  spreadOf,
  type BucketTally,
} from '../../domain/reporting/tally.js';
import {
  daysTouched,
  stretchTimes,
  timeWithin,
  type DayTimes,
} from '../../domain/reporting/time-in-state.js';
import { activeOf, activeSwitches, foldStates, ruleOf } from './state-folder.js';
import { foldTallies } from './tally-folder.js';
import { occupation, stateOrOffline } from '../../domain/routing/agent-state.js';
import { availability } from '../../domain/routing/availability.js';
import { allow, refuse, type Decision } from '../../domain/refusal.js';
import type { AppDeps } from '../app-deps.js';
import { loadReadableService } from '../service-admin.js';
import type { Service } from '../../domain/service.js';
import type { Tenant } from '../../domain/tenant.js';
import { userKey } from '../../store/table-user-store.js';

/** Which days a dashboard counts: today, the last 7 or 30 days, or a range of days. */
export type DashboardRange =
  { readonly days: 1 | 7 | 30 } | { readonly from: LocalDate; readonly to: LocalDate };

/** At most this many days in a chosen range (a year and a day). */
export const MAX_RANGE_DAYS = 366;

/** What a service looks like right now. */
export interface LiveFigures {
  /** Tasks nobody answered yet: queued, or ringing for someone. */
  readonly waiting: number;
  /** When the task waiting longest entered the queue (null: none waits). */
  readonly longestWaitingSince: Instant | null;
  readonly available: number;
  /** Ringing or handling a task (in any service). */
  readonly busy: number;
  readonly inAcw: number;
}

export interface ServiceDashboard {
  readonly serviceName: string;
  readonly timeZone: string;
  readonly period: Period;
  readonly serviceLevelSec: number;
  readonly kpis: QueueKpis;
  /**
   * Each person who took, missed or was Active for the service's tasks, with their time
   * Active and available (null: the tenant keeps no user states).
   */
  readonly people: readonly (PersonKpis & PersonTimes & { readonly displayName: string })[];
  readonly live: LiveFigures;
}

const invalidRange = (field: string, message: string) =>
  refuse<Period>({
    code: 'validation_failed',
    message: 'The range of days is not valid.',
    details: [{ field, message }],
  });

/** The period a range stands for in a time zone, or why it is none. */
export function periodOf(range: DashboardRange, now: Instant, timeZone: string): Decision<Period> {
  if ('days' in range) return allow(lastDays(now, range.days, timeZone));
  if (range.to < range.from) return invalidRange('to', 'must not be before from');
  // Counted on the calendar (both days included), whatever the clock changes in between.
  const days = (Date.parse(range.to) - Date.parse(range.from)) / 86_400_000 + 1;
  if (days > MAX_RANGE_DAYS)
    return invalidRange('to', `a range spans at most ${MAX_RANGE_DAYS} days`);
  return allow({
    from: startOfDay(range.from, timeZone),
    to: startOfDay(addDays(range.to, 1), timeZone),
  });
}

/**
 * A service's dashboard: its KPIs over a range of days in the tenant's time zone, each
 * person's, and its live figures. For the service's owners and members, and admins of its
 * unit. The KPIs sum the service's quarter-hour tallies (see tally-folder.ts): a view
 * never reads history.
 */
export async function serviceDashboard(
  deps: AppDeps,
  identity: Identity,
  tenantId: TenantId,
  serviceId: ServiceId,
  range: DashboardRange,
): Promise<Decision<ServiceDashboard>> {
  const context = await loadReadableService(deps, identity, tenantId, serviceId);
  if (!context.ok) return context;
  const { service, tenant } = context.value;
  const now = deps.clock.now();
  const { timeZone } = tenant.value.settings.general;
  const period = periodOf(range, now, timeZone);
  if (!period.ok) return period;
  const { serviceLevelSec } = service.value.settings.distribution;
  // Exact as of now: the steps still marked are folded first (by this view, or meanwhile by
  // whoever folds them).
  // The tasks' tallies, people's times and the live figures read side by side.
  const [buckets, times, live] = await Promise.all([
    foldTallies(deps.stores, tenantId).then(() =>
      serviceTallies(deps, tenantId, serviceId, period.value),
    ),
    personTimes(deps, tenant.value, service.value, period.value, now),
    liveFigures(deps, [service.value], tenant.value, now),
  ]);
  const kpis = personKpis(buckets, period.value);
  const ids = [...new Set([...kpis.map((p) => p.userId), ...(times?.keys() ?? [])])].sort();
  const people = await namedPeople(
    deps,
    tenantId,
    ids.map((userId) => ({
      ...(kpis.find((p) => p.userId === userId) ?? noTasks(userId)),
      activeMs: times ? (times.get(userId)?.activeMs ?? 0) : null,
      availableMs: times ? (times.get(userId)?.availableMs ?? 0) : null,
    })),
  );
  return allow({
    serviceName: service.value.name,
    timeZone,
    period: period.value,
    serviceLevelSec,
    kpis: queueKpis(buckets, period.value, {
      now,
      thresholdSec: serviceLevelSec,
      timeZone,
      waitingSince: live.waitingPast.get(serviceId) ?? [],
    }),
    people,
    live: live.all,
  });
}

/**
 * A service's tallies over a period, as folded so far (fold first to be exact as of now:
 * reading marks and tallies side by side could count a step folded in between twice).
 */
export async function serviceTallies(
  deps: AppDeps,
  tenantId: TenantId,
  serviceId: ServiceId,
  period: Period,
): Promise<BucketTally[]> {
  // Whole UTC days as days: a month is some 30 rows and the quarters at its ends, not 2,880.
  const { days, quarters } = spansOf(period);
  const { tallies } = deps.stores;
  const read = await Promise.all([
    ...(days ? [tallies.between(tenantId, serviceId, days[0], days[1], 'day')] : []),
    ...quarters.map(([from, to]) => tallies.between(tenantId, serviceId, from, to)),
  ]);
  return read.flat();
}

/** Each person's figures with their name (their id when the directory has none). */
export async function namedPeople<P extends { readonly userId: UserId }>(
  deps: AppDeps,
  tenantId: TenantId,
  people: readonly P[],
): Promise<(P & { readonly displayName: string })[]> {
  return Promise.all(
    people.map(async (person) => {
      const user = await deps.stores.users.get(userKey(tenantId, person.userId));
      return { ...person, displayName: user?.value.displayName ?? person.userId };
    }),
  );
}

/** A person's time Active and available in a period (null: the tenant keeps no user states). */
export interface PersonTimes {
  readonly activeMs: number | null;
  readonly availableMs: number | null;
}

/** Someone Active in a service who neither took nor missed a task in the period. */
const noTasks = (userId: UserId): PersonKpis => ({
  userId,
  accepted: 0,
  handled: 0,
  handle: spreadOf(NO_DURATIONS),
  missed: 0,
});

/** A person's time Active and available in a service within a period. */
export interface PersonTime {
  readonly activeMs: number;
  readonly availableMs: number;
}

/**
 * Each person's time Active and available in a service within a period, as of now: the
 * days counted so far (after counting what is still marked) and, for each person, the
 * stretch since their last change, up to now. Null when the tenant keeps no user states
 * (the privacy setting governs whether these figures exist).
 */
export async function personTimes(
  deps: AppDeps,
  tenant: Tenant,
  service: Service,
  period: Period,
  now: Instant,
): Promise<Map<UserId, PersonTime> | null> {
  if (!tenant.settings.dataPrivacy.persistUserStates) return null;
  const { stores } = deps;
  await foldStates(stores, tenant.id);
  const [first, last] = daysTouched(period);
  const [days, standings] = await Promise.all([
    stores.stateTimes.days(tenant.id, service.id, first, last + DAY_MS),
    stores.stateTimes.standings(tenant.id),
  ]);
  // (The switches since the oldest standing are read once for everyone, below.)
  const byUser = new Map<UserId, { day: Instant; times: DayTimes }[]>();
  for (const row of days)
    for (const userId in row.people)
      byUser.set(asUserId(userId), [
        ...(byUser.get(asUserId(userId)) ?? []),
        { day: row.day, times: row.people[userId]! },
      ]);
  // The stretches still open: from each person's last change (and switches since) to now,
  // of the service's members (a skill-based service's members count as Active, nobody else).
  const tenancy = await stores.tenancyIndex(tenant.id);
  const open = standings.filter(
    (s) => s.at < Math.min(now, period.to) && tenancy.membership(service.id, s.userId),
  );
  const since = open.length ? Math.min(...open.map((s) => s.at)) : now;
  const switches = open.length ? await stores.userStates.switchesAfter(tenant.id, since) : [];
  const rule = ruleOf(service);
  for (const standing of open) {
    const counted = stretchTimes(
      standing.at,
      now,
      standing.state,
      activeOf(standing),
      activeSwitches(switches, standing.userId),
      [rule],
    );
    for (const [day, times] of counted.times.get(service.id) ?? [])
      byUser.set(standing.userId, [...(byUser.get(standing.userId) ?? []), { day, times }]);
  }
  const times = new Map<UserId, PersonTime>();
  for (const [userId, rows] of byUser) {
    const within = timeWithin(rows, period);
    if (within.activeMs > 0) times.set(userId, within);
  }
  return times;
}

/** What some services look like now: each one, and all of them (each person once). */
export interface LiveOf {
  readonly each: ReadonlyMap<ServiceId, LiveFigures>;
  /**
   * When each task nobody answered yet entered the queue, of those that waited past their
   * service's threshold (they count as decided, see queueKpis).
   */
  readonly waitingPast: ReadonlyMap<ServiceId, readonly Instant[]>;
  readonly all: LiveFigures;
}

/**
 * What services look like now: tasks waiting (queued, or ringing) and the people in them,
 * per service and over them all, where a person counts once (available in any of them,
 * busy, or in after-call work).
 */
export async function liveFigures(
  deps: AppDeps,
  services: readonly Service[],
  tenant: Tenant,
  now: Instant,
): Promise<LiveOf> {
  const tenantId = tenant.id;
  const [index, tenancy] = await Promise.all([
    deps.stores.routingIndex(tenantId),
    deps.stores.tenancyIndex(tenantId),
  ]);
  const ringing = index.offered();
  const each = new Map<ServiceId, LiveFigures>();
  const waitingPast = new Map<ServiceId, Instant[]>();
  const available = new Set<string>();
  const busy = new Set<string>();
  const inAcw = new Set<string>();
  let waiting = 0;
  let longest: number | null = null;
  for (const service of services) {
    const serviceId = service.id;
    const past = (at: Instant) => now - at > service.settings.distribution.serviceLevelSec * 1000;
    // Each level is first come, first served: its first task waited longest, and those that
    // waited past the threshold come first.
    const heads: Instant[] = [];
    const late: Instant[] = [];
    for (const tasks of index.levels(serviceId).values()) {
      let first = true;
      for (const task of tasks) {
        if (first) heads.push(task.enqueuedAt);
        first = false;
        if (!past(task.enqueuedAt)) break;
        late.push(task.enqueuedAt);
      }
    }
    const mine = ringing.filter((task) => task.serviceId === serviceId);
    late.push(...mine.map((task) => task.enqueuedAt).filter(past));
    const since = [...heads, ...mine.map((task) => task.enqueuedAt)];
    const people = { available: 0, busy: 0, inAcw: 0 };
    const { shown } = tenancy.memberPage(serviceId, null, tenancy.memberCount(serviceId));
    for (const membership of shown) {
      const { userId } = membership;
      const agent = stateOrOffline(index.agent(userId)?.value, tenantId, userId, now);
      const kind = occupation(agent)?.kind;
      if (kind === 'acw') {
        people.inAcw++;
        inAcw.add(userId);
      } else if (kind) {
        people.busy++;
        busy.add(userId);
      }
      if (availability({ tenant, service, membership, agent, now }).available) {
        people.available++;
        available.add(userId);
      }
    }
    const longestHere = since.length ? Math.min(...since) : null;
    const waitingHere = index.waitingIn(serviceId) + mine.length;
    each.set(serviceId, {
      waiting: waitingHere,
      longestWaitingSince: longestHere === null ? null : instantOf(longestHere),
      ...people,
    });
    waitingPast.set(serviceId, late);
    waiting += waitingHere;
    if (longestHere !== null) longest = Math.min(longest ?? longestHere, longestHere);
  }
  return {
    each,
    waitingPast,
    all: {
      waiting,
      longestWaitingSince: longest === null ? null : instantOf(longest),
      available: available.size,
      busy: busy.size,
      inAcw: inAcw.size,
    },
  };
}
