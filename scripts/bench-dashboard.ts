import { performance } from 'node:perf_hooks';
import pLimit from 'p-limit';
import type { RunningApp } from '../bot/app.js';
import { nearestRank } from '../core/domain/percentile.js';
import { asServiceId, asTaskId, asTenantId, asUserId } from '../core/domain/ids.js';
import { instantOf, type Instant } from '../core/domain/instant.js';
import * as reporting from '../core/domain/reporting/tally.js';
import type { TaskStep } from '../core/domain/reporting/task-kpis.js';
import { queuedTask, routingOf, type Task } from '../core/domain/routing/task.js';
import { DEFAULT_SERVICE_SETTINGS } from '../core/domain/service-settings.js';
import { startEmbeddedAzurite } from '../core/store/embedded-azurite.js';
import { historySeq } from '../core/store/history-rows.js';
import { shardOf } from '../core/store/state-time-rows.js';
import { createStores } from '../core/store/stores.js';
import { TableStorage } from '../core/store/table-storage.js';
import type { WriteOp } from '../core/store/table-transaction.js';
import { apiCaller } from './bench-load.js';

const TASKS = Number(process.env.BENCH_DASHBOARD_TASKS ?? 100_000);
/**
 * Of those, the tasks whose rows (the ended task, its history) are written too. Azurite's
 * inserts slow down with every row already in a partition (its lookups scan it), so all
 * 100,000 would take the better part of an hour to write; a view reads none of them.
 */
const STORED = Math.min(TASKS, Number(process.env.BENCH_DASHBOARD_STORED ?? 5_000));
const DAYS = 30;
const VIEWS = 60;
/** People whose time in states the month holds, when the tenant keeps people's states. */
const TIMED_PEOPLE = Number(process.env.BENCH_DASHBOARD_PEOPLE ?? 50);

export interface DashboardBenchSetup {
  startBenchApp(connectionString: string): Promise<RunningApp>;
  setUpLifecycles(
    url: string,
    tenantId: string,
  ): Promise<{ tasksPath: string; ownerToken: string; agentTokens: Record<string, string> }>;
}

/** A random duration around a mean (exponential), in milliseconds. */
const around = (meanMs: number) => Math.round(-Math.log(1 - Math.random()) * meanMs);

/**
 * Issue #21's latency target: the service dashboard over the last 30 days of a tenant whose
 * service had 100,000 tasks in them, on embedded Azurite, through the API. The tables hold
 * what the product keeps for those tasks (each ended task, its history steps, the
 * quarter-hour tallies its steps added up to), written straight to storage to save the hour
 * the lifecycles would take; a few live tasks give the view steps of its own to fold.
 */
export async function benchDashboard(setup: DashboardBenchSetup): Promise<void> {
  const azurite = await startEmbeddedAzurite({ dataDir: ':memory:' });
  const app = await setup.startBenchApp(azurite.connectionString);
  try {
    const T = 'bench-dashboard';
    const { tasksPath, ownerToken, agentTokens } = await setup.setUpLifecycles(app.url, T);
    const serviceId = asServiceId(tasksPath.split('/')[4] ?? '');
    const agents = Object.keys(agentTokens).map(asUserId);
    const stores = createStores(
      new TableStorage({
        account: { connectionString: azurite.connectionString },
        prefix: 'bench',
      }),
    );
    const tenantId = asTenantId(T);
    const now = Date.now();
    const routing = routingOf(DEFAULT_SERVICE_SETTINGS.distribution);
    const quarters = new Map<number, reporting.Tally>();
    const ops: WriteOp[] = [];
    const seedStart = performance.now();
    for (let i = 0; i < TASKS; i++) {
      const enqueuedAt = instantOf(now - 3_600_000 - Math.floor(Math.random() * DAYS * 86_400_000));
      const at = (ms: number): Instant => instantOf(enqueuedAt + ms);
      const queued = queuedTask({
        tenantId,
        id: asTaskId(`seed-${i}`),
        serviceId,
        modality: 'Call',
        subject: `Seeded ${i}`,
        externalId: null,
        link: null,
        priority: 'Normal',
        exit: 'NoOneAvailable',
        enqueuedAt,
        routing,
      });
      const created: TaskStep = {
        kind: 'created',
        at: enqueuedAt,
        exit: 'NoOneAvailable',
        modality: 'Call',
        priority: 'Normal',
      };
      let task: Task;
      let steps: TaskStep[];
      const wait = around(15_000);
      if (i % 10 === 9) {
        task = { ...queued, state: 'Canceled', endedAt: at(wait) };
        steps = [created, { kind: 'canceled', at: at(wait) }];
      } else {
        const by = agents[i % agents.length]!;
        const ended = wait + around(240_000);
        task = {
          ...queued,
          state: 'Completed',
          acceptedBy: by,
          acceptedAt: at(wait),
          endedAt: at(ended),
        };
        steps = [
          created,
          { kind: 'accepted', at: at(wait), by },
          { kind: 'completed', at: at(ended) },
        ];
      }
      if (i < STORED) ops.push(stores.routing.doneTasks.insertOp(task));
      for (const step of steps) {
        if (i < STORED)
          ops.push(
            stores.history.insertOp({
              tenantId,
              taskId: task.id,
              serviceId,
              step,
              seq: historySeq(),
            }),
          );
        const adds = reporting.stepTally(step, task);
        if (adds)
          quarters.set(
            adds.start,
            reporting.addTallies(quarters.get(adds.start) ?? reporting.NO_TALLY, adds.tally),
          );
      }
    }
    const days = new Map<number, reporting.BucketTally>();
    for (const [start, tally] of quarters) {
      const quarter = { start: instantOf(start), tally };
      days.set(
        reporting.dayOf(quarter.start),
        reporting.addToDay(days.get(reporting.dayOf(quarter.start)), quarter),
      );
    }
    for (const serviceIdOrTenant of [serviceId, null]) {
      const strip = (tally: reporting.Tally) =>
        serviceIdOrTenant ? tally : { ...tally, people: {} };
      for (const [start, tally] of quarters)
        ops.push(
          stores.tallies.insertOp({
            tenantId,
            serviceId: serviceIdOrTenant,
            span: 'quarter',
            start: instantOf(start),
            tally: strip(tally),
          }),
        );
      for (const day of days.values())
        ops.push(
          stores.tallies.insertOp({
            tenantId,
            serviceId: serviceIdOrTenant,
            span: 'day',
            start: day.start,
            tally: strip(day.tally),
            quarters: day.quarters ?? {},
          }),
        );
    }
    const limit = pLimit(4);
    await Promise.all(
      Array.from({ length: Math.ceil(ops.length / 99) }, (_, b) =>
        limit(() => stores.commit(ops.slice(b * 99, (b + 1) * 99))),
      ),
    );
    const seedSeconds = (performance.now() - seedStart) / 1000;
    // A few tasks live, through the API: steps for the first views to fold.
    const call = apiCaller(app.url);
    for (let i = 0; i < 20; i++)
      await call('POST', tasksPath, ownerToken, { modality: 'Call', subject: `Live ${i}` });
    const path = `/tenants/${T}/services/${serviceId}/dashboard`;
    const timed = async (query: string, count: number) => {
      const times: number[] = [];
      let offered = 0;
      for (let i = 0; i < count; i++) {
        const started = performance.now();
        const body = await call('GET', `${path}${query}`, ownerToken);
        times.push(performance.now() - started);
        offered = Number((body.kpis as { offered?: number } | undefined)?.offered);
      }
      return { sorted: times.sort((a, b) => a - b), offered };
    };
    const first = await timed('?days=30', 1);
    await timed('?days=30', 4); // warm
    const month = await timed('?days=30', VIEWS);
    const today = await timed('?days=1', VIEWS / 3);
    const fmt = (sorted: number[], q: number) => `${(nearestRank(sorted, q) ?? NaN).toFixed(0)} ms`;
    console.log(
      `7. Service dashboard on embedded Azurite through the API: one service with ${TASKS.toLocaleString('en')} tasks in the last ${DAYS} days (the tallies their steps add up to, ${quarters.size.toLocaleString('en')} quarters and ${days.size} days per service and tenant; the ended task and history rows of ${STORED.toLocaleString('en')} of them; ${ops.length.toLocaleString('en')} rows seeded in ${seedSeconds.toFixed(0)} s) and 20 live`,
    );
    console.log(
      `   last 30 days: p50 ${fmt(month.sorted, 0.5)}   p95 ${fmt(month.sorted, 0.95)} (target < 300 ms; ${VIEWS} views, ${month.offered.toLocaleString('en')} tasks counted); today: p95 ${fmt(today.sorted, 0.95)}; the first view (loads the partition) ${fmt(first.sorted, 1)}`,
    );
    // The same with people's states kept: each person's time Active and available, per
    // quarter, on every day of the month, and their standings (counting since their last
    // change), as the state folder leaves them.
    const system = (await call('POST', '/dev/token', undefined, { system: true })).token as string;
    await call('PATCH', `/tenants/${T}/settings`, system, {
      dataPrivacy: { persistUserStates: true },
    });
    const timeOps: WriteOp[] = [];
    const quarter = () =>
      [around(600_000) % 900_000, around(300_000) % 900_000] as [number, number];
    const timeRows = new Map<string, Record<string, Record<string, [number, number]>>>();
    for (let p = 0; p < TIMED_PEOPLE; p++) {
      const userId = asUserId(`timed-${p}`);
      for (let d = 0; d <= DAYS; d++) {
        const times: Record<string, [number, number]> = {};
        for (let q = 32; q < 72; q++) times[q] = quarter(); // 08:00 to 18:00
        const key = `${reporting.dayOf(instantOf(now - d * 86_400_000))}:${shardOf(userId)}`;
        timeRows.set(key, { ...timeRows.get(key), [userId]: times });
      }
      timeOps.push(
        stores.stateTimes.putStandingOp(
          {
            tenantId,
            userId,
            at: instantOf(now - around(600_000)),
            state: { presence: 'Available', engagement: null, serviceId: null, rona: false },
            active: { [serviceId]: true },
          },
          undefined,
        ),
      );
    }
    for (const [key, people] of timeRows) {
      const [day = '0', shard = '0'] = key.split(':');
      timeOps.push(
        stores.stateTimes.putDayOp(
          { tenantId, serviceId, day: instantOf(Number(day)), shard: Number(shard), people },
          undefined,
        ),
      );
    }
    await Promise.all(
      Array.from({ length: Math.ceil(timeOps.length / 99) }, (_, b) =>
        limit(() => stores.commit(timeOps.slice(b * 99, (b + 1) * 99))),
      ),
    );
    await timed('?days=30', 4); // warm
    const kept = await timed('?days=30', VIEWS);
    console.log(
      `   with people's states kept (time Active and available of ${TIMED_PEOPLE} people on each of the ${DAYS + 1} days, ${timeOps.length.toLocaleString('en')} rows): last 30 days p50 ${fmt(kept.sorted, 0.5)}   p95 ${fmt(kept.sorted, 0.95)} (target < 300 ms)`,
    );
    await benchFeed(app.url, T, system, fmt);
  } finally {
    await app.stop();
    await azurite.stop();
  }
}

/**
 * The reporting feed as Power BI reads it: with a reporting key, every page of Tasks and
 * TaskEvents through @odata.nextLink. A page read in key order starts in storage where the
 * last one ended, so its cost should not grow with the pages before it.
 */
async function benchFeed(
  url: string,
  tenantId: string,
  system: string,
  fmt: (sorted: number[], q: number) => string,
): Promise<void> {
  const call = apiCaller(url);
  const key = (await call('POST', `/tenants/${tenantId}/reporting-key`, system)).key as string;
  for (const set of ['Tasks', 'TaskEvents']) {
    const times: number[] = [];
    let rows = 0;
    let next: string | undefined = `${url}/api/v1/reporting/odata/${set}`;
    const started = performance.now();
    while (next) {
      const u = new URL(next);
      u.searchParams.set('api-key', key);
      const t0 = performance.now();
      const page = (await (await fetch(u)).json()) as {
        value: unknown[];
        '@odata.nextLink'?: string;
      };
      times.push(performance.now() - t0);
      rows += page.value.length;
      next = page['@odata.nextLink'];
    }
    const seconds = (performance.now() - started) / 1000;
    const sorted = times.sort((a, b) => a - b);
    console.log(
      `   OData feed, ${set} with a reporting key: ${rows.toLocaleString('en')} rows in ${times.length} pages, ${(rows / seconds).toFixed(0)} rows/s; a page p50 ${fmt(sorted, 0.5)}   p95 ${fmt(sorted, 0.95)} (target < 1,000 ms a page of 1,000)`,
    );
  }
}
