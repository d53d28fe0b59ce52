// npm run bench: the routing core's speed, and whole task lifecycles on embedded Azurite.
// Prints figures; asserts nothing (targets are judged by a person reading them).
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { availableParallelism, tmpdir } from 'node:os';
import { pino } from 'pino';
import { TableClient } from '@azure/data-tables';
import { startApp } from '../bot/app.js';
import { loadConfig } from '../bot/config.js';
import { asOrgUnitId, asServiceId, asTaskId, asTenantId, asUserId } from '../core/domain/ids.js';
import { instantOf } from '../core/domain/instant.js';
import type { AgentState } from '../core/domain/routing/agent-state.js';
import { planOffers, type RoutingSnapshot } from '../core/domain/routing/plan-dispatch.js';
import { ORDINARY_LEVELS } from '../core/domain/routing/queue-order.js';
import { queuedTask, routingOf, type Task } from '../core/domain/routing/task.js';
import type { Membership, Service } from '../core/domain/service.js';
import { DEFAULT_SERVICE_SETTINGS, type TaskPriority } from '../core/domain/service-settings.js';
import { newTenant } from '../core/domain/tenant-lifecycle.js';
import { startEmbeddedAzurite } from '../core/store/embedded-azurite.js';
import { ROUTING_TABLE } from '../core/store/routing-rows.js';
import { partitionFilter } from '../core/store/odata.js';
import { QUIET_CHECK_MS, RELOAD_EVERY_MS, STAMP_PREFIX } from '../core/store/partition-cache.js';
import { setTimeout as sleep } from 'node:timers/promises';
import pLimit from 'p-limit';
import { systemClock } from '../core/app/clock.js';
import { Dispatcher } from '../core/app/routing/dispatcher.js';
import {
  TENANT_JOBS_EVERY_MS,
  tenantJobs,
  TimerService,
} from '../core/app/routing/timer-service.js';
import { FULL_DRAIN_EVERY_MS } from '../core/app/routing/card-outbox.js';
import { teamsCardOutbox } from '../bot/teams/card-sender.js';
import { createStores } from '../core/store/stores.js';
import { requestKind, TableStorage } from '../core/store/table-storage.js';
import {
  apiCaller,
  type LoadPlan,
  type LoadResult,
  type StepPlan,
  type StepResult,
} from './bench-load.js';
import { taskIdFor } from '../core/domain/routing/task-id.js';
import type { WriteOp } from '../core/store/table-transaction.js';
import { replayBare, StorageRecorder } from './bench-replay.js';
import { benchDashboard } from './bench-dashboard.js';
import { randomUUID } from 'node:crypto';
import type { AppDeps } from '../core/app/app-deps.js';
import { DEMO } from '../core/app/demo-tenant.js';
import { seedDemo } from '../core/app/seed-demo.js';
import { setPresence } from '../core/app/routing/me-actions.js';
import { myOffers, readQueue } from '../core/app/routing/queue-view.js';
import { accept, complete } from '../core/app/routing/task-actions.js';
import { createTask } from '../core/app/routing/task-intake.js';
import type { Presence } from '../core/domain/routing/presence.js';
import { newAgentState } from '../core/domain/routing/agent-state.js';
import type { Decision } from '../core/domain/refusal.js';
import { MemoryTables } from '../core/store/memory-tables.js';
import { startPartitionCeiling } from './partition-ceiling.js';
import { serviceShard, shardsOf } from '../core/domain/routing/task-id.js';
import { serviceIdForTeam } from '../core/app/service-provisioning.js';
import type { Stores } from '../core/store/stores.js';
import type { ServiceId, TenantId } from '../core/domain/ids.js';

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
const ms = (x: number) => `${x.toFixed(3)} ms`;
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 50);

function coreSnapshot(
  tasks: number,
  agents: number,
  available: (i: number) => boolean,
): RoutingSnapshot {
  const T = asTenantId('bench');
  const now = instantOf(1_795_000_000_000);
  const service: Service = {
    tenantId: T,
    id: asServiceId('svc'),
    name: 'Bench',
    ouId: asOrgUnitId('root'),
    license: 'ContactCenter',
    assignmentType: 'TeamsBased',
    teamId: 't',
    phoneNumber: null,
    createdAt: now,
    settings: DEFAULT_SERVICE_SETTINGS,
  };
  const levels: TaskPriority[] = ['Strict', ...ORDINARY_LEVELS, 'NothingElse'];
  const queued: Task[] = Array.from({ length: tasks }, (_, i) =>
    queuedTask({
      tenantId: T,
      id: asTaskId(`t${i}`),
      serviceId: service.id,
      modality: 'Call',
      subject: '',
      externalId: null,
      link: null,
      priority: levels[i % levels.length] ?? 'Normal',
      exit: 'DirectAvailable',
      enqueuedAt: instantOf(now - tasks + i),
      routing: routingOf(DEFAULT_SERVICE_SETTINGS.distribution),
    }),
  );
  const members: Membership[] = Array.from({ length: agents }, (_, i) => ({
    tenantId: T,
    serviceId: service.id,
    userId: asUserId(`u${i}`),
    role: 'Member',
    active: true,
    since: now,
    activeSince: now,
  }));
  const agentStates: AgentState[] = members.map((m, i) => ({
    tenantId: T,
    userId: m.userId,
    presence: 'Available',
    chats: [],
    ronaUntil: null,
    lastTaskEndedAt: instantOf(now - i),
    availableSince: now,
    changedAt: now,
    engagement: available(i)
      ? null
      : { kind: 'accepted', taskId: asTaskId('busy'), serviceId: service.id },
  }));
  return {
    tenant: newTenant(T, 'Bench', 'Active', now),
    services: new Map([[service.id, service]]),
    members: new Map([[service.id, members]]),
    agents: new Map(agentStates.map((a) => [a.userId, a])),
    skills: new Map(),
    queued,
    roundRobin: new Map(),
  };
}

function benchCore(): void {
  const TASKS = 10_000;
  const AGENTS = 1_000;
  const now = instantOf(1_795_000_000_000);
  const steps: number[] = [];
  const firsts: number[] = [];
  for (let round = 0; round < 8; round++) {
    const snapshot = coreSnapshot(TASKS, AGENTS, () => true);
    let last = performance.now();
    let first = true;
    for (const offer of planOffers(snapshot, now)) {
      const at = performance.now();
      if (offer.agents.length !== 1) throw new Error('expected round robin');
      (first ? firsts : steps).push(at - last);
      first = false;
      last = at;
    }
  }
  const sorted = steps.sort((a, b) => a - b);
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  const firstSorted = firsts.sort((a, b) => a - b);
  console.log(
    '1. Pure routing core: 10,000 queued tasks (all 9 levels) x 1,000 free agents, one service, round robin',
  );
  console.log(
    `   decisions/s ${(1000 / mean).toFixed(0)}   per decision p50 ${ms(quantile(sorted, 0.5))}   p99 ${ms(quantile(sorted, 0.99))}   (target p99 < 1 ms; ${sorted.length} decisions)`,
  );
  console.log(
    `   first decision of an iteration, incl. grouping the queue: median ${ms(quantile(firstSorted, 0.5))}`,
  );
}

/** Single-row upserts per second into a table (in a partition of its own), `concurrency` at once. */
async function rawUpsertRate(
  connectionString: string,
  table: string,
  concurrency: number,
  count: number,
): Promise<number> {
  const client = TableClient.fromConnectionString(connectionString, table, {
    allowInsecureConnection: true,
  });
  await client.createTable();
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++)
        await client.upsertEntity(
          { partitionKey: 'bench-raw', rowKey: `r${i % 500}`, n: i },
          'Replace',
        );
    }),
  );
  return count / ((performance.now() - start) / 1000);
}

/**
 * Azurite's CPU time per request of each kind the lifecycles send, measured one kind at a
 * time, eight at once, in their own table as the lifecycles and the yardstick left it (the
 * writes replace the yardstick's rows, so the table does not grow): is any kind cheap
 * enough to build a lifecycle from? The rows written are copies of ended tasks as the
 * lifecycles stored them, so they are as wide as theirs.
 */
async function azuriteCostByKind(
  connectionString: string,
  table: string,
  tenant: string,
  azuriteCpu: () => number,
): Promise<Record<'upsert' | 'read' | 'stampQuery' | 'transaction4', number>> {
  const client = TableClient.fromConnectionString(connectionString, table, {
    allowInsecureConnection: true,
  });
  const ended: string[] = [];
  const tasks: Record<string, unknown>[] = [];
  for await (const row of client.listEntities({
    queryOptions: { filter: partitionFilter(tenant, 'done:') },
  })) {
    const { partitionKey: _p, rowKey, etag: _e, timestamp: _t, ...rest } = row;
    if (rowKey !== undefined) ended.push(rowKey);
    if (tasks.length < 4) tasks.push(rest);
  }
  const N = 1000;
  const per = async (op: (i: number) => Promise<unknown>) => {
    let next = 0;
    const before = azuriteCpu();
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let i = next++; i < N; i = next++) await op(i);
      }),
    );
    return (azuriteCpu() - before) / N;
  };
  const filter = partitionFilter(tenant, STAMP_PREFIX);
  const stampQuery = await per(async () => {
    for await (const _ of client.listEntities({ queryOptions: { filter } }));
  });
  const read = await per((i) => client.getEntity(tenant, ended[i % ended.length] ?? ''));
  const yardstickRow = (i: number) => ({ partitionKey: 'bench-raw', rowKey: `r${i % 500}` });
  const upsert = await per((i) =>
    client.upsertEntity({ ...yardstickRow(i), ...tasks[0] }, 'Replace'),
  );
  const transaction4 = await per((i) =>
    client.submitTransaction(
      tasks.map((task, k) => ['upsert', { ...yardstickRow(i * 4 + k), ...task }, 'Replace']),
    ),
  );
  return { upsert, read, stampQuery, transaction4 };
}

/** This process's threads (Linux: /proc), to tell Azurite's worker from the rest. */
function threads(): number[] {
  try {
    return readdirSync('/proc/self/task').map(Number);
  } catch {
    return [];
  }
}

/**
 * CPU time (ms) the given threads used so far, to the nanosecond (Linux's schedstat):
 * unlike a busy share of wall time, it does not grow while a thread waits for one of the
 * two cores; and unlike the process's CPU, the main thread's alone leaves out V8's
 * collector, which marks a large heap on threads of its own in any window it likes.
 */
function threadCpuMs(tids: readonly number[]): number {
  let ns = 0;
  for (const tid of tids) {
    try {
      ns += Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0] ?? 0);
    } catch {
      // the thread ended
    }
  }
  return ns / 1e6;
}

/** The app on one storage account, quiet, with nothing seeded. */
const startBenchApp = (
  connectionString: string,
  hooks?: Parameters<typeof startApp>[2],
  env: NodeJS.ProcessEnv = {},
) =>
  startApp(
    loadConfig({
      PORT: '0',
      TABLES_CONNECTION_STRING: connectionString,
      SEED: 'none',
      LOG_LEVEL: 'silent',
      TABLE_PREFIX: 'bench',
      ...env,
    }),
    pino({ level: 'silent' }),
    hooks,
  );

/** What a storage request did, for BENCH_DETAIL: its method, table and the kind of row (key up to its first colon). */
function requestLabel(method: string, url: string): string {
  const path = decodeURIComponent(new URL(url).pathname).split('/').pop() ?? '';
  const row = /RowKey='([^':]*)/.exec(path)?.[1];
  const filter = decodeURIComponent(new URL(url).search);
  const prefix = /RowKey ge '([^':]*)/.exec(filter)?.[1];
  const table = path.replace(/\(.*$/, '').replace(/^bench/, '');
  return `${method} ${table}${row !== undefined ? ` row ${row}` : prefix !== undefined ? ` list ${prefix}` : ''}`;
}

/** Runs of part 2, each on a fresh Azurite and app; the run of the median ratio is printed. */
const END_TO_END_RUNS = 3;

async function benchEndToEnd(): Promise<void> {
  const runs: { ratio: number; lines: string[] }[] = [];
  for (let run = 0; run < END_TO_END_RUNS; run++) runs.push(await endToEndRun());
  const median = [...runs].sort((x, y) => x.ratio - y.ratio)[Math.floor(runs.length / 2)]!;
  for (const line of median.lines) console.log(line);
  console.log(
    `   target 6 over ${runs.length} runs, each on a fresh Azurite and app: ratios ${runs.map((r) => r.ratio.toFixed(2)).join(', ')}; median ${median.ratio.toFixed(2)} (target >= 0.7: ${median.ratio >= 0.7 ? 'met' : 'NOT met'}; the lines above are that run's)`,
  );
}

/** One run of part 2: its lines, and target 6's ratio. */
async function endToEndRun(): Promise<{ ratio: number; lines: string[] }> {
  const lines: string[] = [];
  const out = (line: string) => lines.push(line);
  const threadsBefore = threads();
  const azurite = await startEmbeddedAzurite({ dataDir: ':memory:' });
  const azuriteThreads = threads().filter((tid) => !threadsBefore.includes(tid));
  const azuriteCpu = () => threadCpuMs(azuriteThreads);
  const counts = { reads: 0, writes: 0 };
  const detail = new Map<string, number>();
  let counting = false;
  // Every storage call of the lifecycles, to make them again bare (target 6).
  const recorder = new StorageRecorder();
  const app = await startBenchApp(azurite.connectionString, {
    wrapStorageClient: recorder.wrap,
    onStorageRequest: (method, url) => {
      if (!counting) return;
      if (requestKind(method, url) === 'write') counts.writes++;
      else counts.reads++;
      const label = requestLabel(method, url);
      detail.set(label, (detail.get(label) ?? 0) + 1);
    },
  });
  const T = 'bench-tenant';
  const WORKERS = 8;
  const LIFECYCLES = 400;
  const { tasksPath, ownerToken, agentTokens } = await setUpLifecycles(app.url, T);

  const rawSmall = await rawUpsertRate(azurite.connectionString, 'BenchRaw', WORKERS, 3000);
  counting = true;
  const windowFrom = recorder.calls.length;
  const elu = performance.eventLoopUtilization();
  const azuriteBefore = azuriteCpu();
  const appBefore = threadCpuMs([process.pid]);
  const cpu = process.cpuUsage();
  const load = await runLoad({
    url: app.url,
    tasksPath,
    ownerToken,
    agentTokens,
    lifecycles: LIFECYCLES,
    parallel: WORKERS,
  });
  const busy = performance.eventLoopUtilization(elu).utilization;
  const azuriteBusyMs = azuriteCpu() - azuriteBefore;
  const appMs = threadCpuMs([process.pid]) - appBefore;
  const used = process.cpuUsage(cpu);
  const cores = (used.user + used.system) / 1e6 / load.seconds;
  counting = false;
  const window = { from: windowFrom, to: recorder.calls.length };
  // Target 6's yardstick: the same storage calls made again straight through the SDK, bare,
  // on a fresh Azurite brought to where the tables stood when the lifecycles began.
  const replay = await replayBare(recorder.calls, window, WORKERS);
  const replayRate = LIFECYCLES / replay.seconds;
  // The yardstick: upserts into the very table the lifecycles wrote, as big as they left it,
  // with Azurite as warmed up as they had it (the 500-row figure before them is for reference).
  const routingTable = `bench${ROUTING_TABLE}`;
  const routingRows = await countRows(azurite.connectionString, routingTable);
  const UPSERTS = 3000;
  const beforeRaw = azuriteCpu();
  const clientBeforeRaw = threadCpuMs([process.pid]);
  const raw = await rawUpsertRate(azurite.connectionString, routingTable, WORKERS, UPSERTS);
  const azuriteMsPerUpsert = (azuriteCpu() - beforeRaw) / UPSERTS;
  const clientMsPerUpsert = (threadCpuMs([process.pid]) - clientBeforeRaw) / UPSERTS;
  const kinds = await azuriteCostByKind(azurite.connectionString, routingTable, T, azuriteCpu);
  const seconds = load.seconds;
  const rate = LIFECYCLES / seconds;
  const writes = counts.writes / LIFECYCLES;
  const requests = (counts.writes + counts.reads) / LIFECYCLES;
  const pct = (values: number[]) => {
    const sorted = values.sort((a, b) => a - b);
    return `p50 ${ms(quantile(sorted, 0.5))}   p99 ${ms(quantile(sorted, 0.99))}`;
  };
  out(
    `2. End to end on embedded Azurite: ${LIFECYCLES} lifecycles (enqueue -> offer -> accept -> complete), ${WORKERS} in parallel, ${LIFECYCLE_AGENTS} agents via the API`,
  );
  out(
    `   lifecycles/s ${rate.toFixed(1)}   raw Azurite single-row upserts/s ${raw.toFixed(0)} into the lifecycles' table (${routingRows} rows), ${rawSmall.toFixed(0)} into a 500-row table (same run, ${WORKERS} in parallel)`,
  );
  out(
    `   table transactions (writes) per lifecycle ${writes.toFixed(2)} (target <= 6); reads per lifecycle ${(requests - writes).toFixed(2)}`,
  );
  out(
    `   overhead over storage: the same ${window.to - window.from} storage calls made again bare (the SDK alone, ${WORKERS} at a time, in their order, on a fresh Azurite holding what the tables held before${replay.failed ? `, ${replay.failed} failed` : ''}) allow ${replayRate.toFixed(1)} lifecycles/s: ratio ${(rate / replayRate).toFixed(2)} (target >= 0.7)`,
  );
  out(
    `   (the old yardstick, single-row upserts: ratio ${(rate / (raw / writes)).toFixed(2)} to what the writes allow, ${(rate / (raw / requests)).toFixed(2)} counting reads)`,
  );
  // Where the ratio's ceiling lies on this machine: Azurite's own work per lifecycle against
  // its work per single-row upsert. Even an app costing nothing, with Azurite alone on a core,
  // could not go beyond 1000 / (Azurite's ms per lifecycle) lifecycles/s.
  const azuriteMsPerLifecycle = azuriteBusyMs / LIFECYCLES;
  const ceiling = 1000 / azuriteMsPerLifecycle / (raw / writes);
  out(
    `   Azurite's own work: ${ms(azuriteMsPerLifecycle)} per lifecycle (${ms(azuriteBusyMs / (counts.writes + counts.reads))} per request), ${ms(azuriteMsPerUpsert)} per single-row upsert; the app's main thread ${ms(appMs / LIFECYCLES)} per lifecycle (CPU time of each thread)`,
  );
  out(
    `   ceiling of the ratio from Azurite alone (app costing nothing, Azurite on a core of its own): ${ceiling.toFixed(2)}`,
  );
  out(
    `   Azurite's work per request of each kind, measured apart in that table: stamp query ${ms(kinds.stampQuery)}, point read ${ms(kinds.read)}, single-row upsert of a task ${ms(kinds.upsert)}, transaction of 4 tasks ${ms(kinds.transaction4)}`,
  );
  // The client's side of the same yardstick: what one storage request costs the app's thread
  // in the storage SDK alone, with no logic of ours around it.
  out(
    `   the storage client (Azure SDK) spends ${ms(clientMsPerUpsert)} of the app's thread per single-row upsert: the ${requests.toFixed(2)} requests of a lifecycle need at least ${ms(requests * clientMsPerUpsert)} of its ${ms(appMs / LIFECYCLES)} before any routing`,
  );
  out(
    `3. enqueue -> offer latency (the answer to the enqueue names whom it rings): ${pct(load.enqueue)}`,
  );
  out(`   accept ${pct(load.accept)}   complete ${pct(load.complete)}`);
  out(
    `   the app's main thread was busy ${(busy * 100).toFixed(0)}% of the time; app, Azurite and load generator (a thread each) kept ${cores.toFixed(2)} of ${availableParallelism()} cores busy`,
  );
  if (process.env.BENCH_DETAIL)
    for (const [kind, n] of [...detail].sort((a, b) => b[1] - a[1]))
      out(`     ${(n / LIFECYCLES).toFixed(2)} per lifecycle: ${kind}`);
  await app.stop();
  await azurite.stop();
  return { ratio: rate / replayRate, lines };
}

/**
 * What independent partitions allow on this machine, the most target 5's shards could
 * give: the same lifecycles, eight at a time, for one tenant (one partition), and spread
 * over four tenants (four partitions, two at a time each, their runs independent), on one
 * app and one embedded Azurite. Alternating runs, the best of each.
 */
async function benchPartitions(): Promise<void> {
  const plain = await partitionRuns(400);
  console.log(
    `5c. Partitions (target 5's ceiling here): one tenant against the same lifecycles spread over four tenants (four partitions, independent runs), 8 at a time, best of 2 alternating runs`,
  );
  console.log(
    `   as Azurite runs: one tenant (one partition) ${plain.one.toFixed(1)} lifecycles/s; 4 tenants ${plain.spread.toFixed(1)}: ${(plain.spread / plain.one).toFixed(2)}x (app, Azurite and load generator already share the two cores: more partitions add nothing here)`,
  );
  const ceiling = Number(process.env.BENCH_PARTITION_CEILING ?? 200);
  const held = await partitionRuns(120, ceiling);
  console.log(
    `   each partition held to ${ceiling} entities/s (Azure's 2,000 scaled down to below what this machine does; scripts/partition-ceiling.ts): one tenant ${held.one.toFixed(1)} lifecycles/s (${held.perLifecycle.toFixed(1)} entities of its partition per lifecycle, reads included); 4 tenants ${held.spread.toFixed(1)}: ${(held.spread / held.one).toFixed(2)}x`,
  );
  await benchShards(ceiling);
}

/** Target 5 itself: one tenant on one routing shard and on four, behind the partition ceiling. */
async function benchShards(ceiling = Number(process.env.BENCH_PARTITION_CEILING ?? 200)) {
  const shardsTarget = 3;
  const sharded = await shardRuns(120, ceiling);
  const ratio = sharded.four / sharded.one;
  console.log(
    `   target 5, one tenant, its lifecycles over 4 services (16 at a time), each partition held to ${ceiling} entities/s: 1 routing shard ${sharded.one.toFixed(1)} lifecycles/s (${sharded.perLifecycleOne.toFixed(1)} entities of its one partition per lifecycle, reads included); 4 shards ${sharded.four.toFixed(1)} lifecycles/s (per lifecycle ${sharded.perLifecycleFour.map((n) => n.toFixed(1)).join(' + ')} entities in the people's partition and the shards): ${ratio.toFixed(2)}x (target >= ${shardsTarget}x: ${ratio >= shardsTarget ? 'met' : 'NOT met'})`,
  );
}

/**
 * Target 5: one tenant's lifecycles, eight at a time over four services, with its routing
 * rows in one partition and over four shards (the four services in four shards), each
 * partition behind the same ceiling. Alternating runs, the best of each.
 */
async function shardRuns(
  lifecycles: number,
  ceiling: number,
): Promise<{ one: number; four: number; perLifecycleOne: number; perLifecycleFour: number[] }> {
  const azurite = await startEmbeddedAzurite({ dataDir: ':memory:' });
  const proxy = await startPartitionCeiling(azurite.connectionString, ceiling);
  const app = await startBenchApp(proxy.connectionString, undefined, {
    RATE_LIMIT_USER_PER_MIN: '1000000',
    RATE_LIMIT_TENANT_PER_MIN: '1000000',
  });
  const SERVICES = 4;
  // Enough at once that each shard's partition, not the load, sets the pace (as eight do for
  // one partition): four services, four lifecycles each.
  const PARALLEL = 16;
  const RUNS = 2;
  const tenants = {
    one: await setUpShardedTenant(app.url, 'bench-shards-1', 1, SERVICES, PARALLEL / SERVICES),
    four: await setUpShardedTenant(app.url, 'bench-shards-4', 4, SERVICES, PARALLEL / SERVICES),
  };
  /** Entities counted per partition of a tenant's routing rows, shard by shard. */
  const counted = (tenant: string, shards: number) =>
    shardsOf(shards).map((k) => {
      const partition = `Routing/${k ? `${tenant}~${k}` : tenant}`;
      return [...proxy.counted]
        .filter(([key]) => key.endsWith(partition))
        .reduce((n, [, count]) => n + count, 0);
    });
  const perLifecycle = { one: [0], four: [0, 0, 0, 0, 0] };
  const run = async (shape: 'one' | 'four') => {
    const tenant = shape === 'one' ? 'bench-shards-1' : 'bench-shards-4';
    const shards = shape === 'one' ? 1 : 4;
    const before = counted(tenant, shards);
    const started = performance.now();
    await Promise.all(
      tenants[shape].map((plan) =>
        runLoad({
          url: app.url,
          ...plan,
          lifecycles: lifecycles / SERVICES,
          parallel: PARALLEL / SERVICES,
        }),
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    perLifecycle[shape] = counted(tenant, shards).map((n, k) => (n - before[k]!) / lifecycles);
    return lifecycles / seconds;
  };
  await run('one'); // warm-up, both shapes
  await run('four');
  const best = { one: 0, four: 0 };
  for (let i = 0; i < RUNS; i++) {
    best.one = Math.max(best.one, await run('one'));
    best.four = Math.max(best.four, await run('four'));
  }
  await app.stop();
  await proxy.stop();
  await azurite.stop();
  return {
    ...best,
    perLifecycleOne: perLifecycle.one[0] ?? 0,
    perLifecycleFour: perLifecycle.four,
  };
}

/**
 * A tenant of `shards` routing shards with `services` services of `agentsEach` Available
 * agents each (one per lifecycle at once), their teams chosen so that with several shards each service has a shard of its own
 * (a service's shard is a hash of its id, which provisioning makes from its team's).
 */
async function setUpShardedTenant(
  url: string,
  T: string,
  shards: number,
  services: number,
  agentsEach: number,
): Promise<{ tasksPath: string; ownerToken: string; agentTokens: Record<string, string> }[]> {
  const call = apiCaller(url);
  const token = async (request: object) =>
    (await call('POST', '/dev/token', undefined, request)).token as string;
  const system = await token({ system: true });
  await call('PUT', `/tenants/${T}`, system, {
    name: 'Bench',
    state: 'Active',
    routingShards: shards,
  });
  await call('PUT', `/tenants/${T}/ous/root`, system, { name: 'Root', parentId: null });
  await call('PUT', `/tenants/${T}/contingency`, system, { AdvancedRouting: services + 5 });
  const teams: string[] = [];
  const taken = new Set<number>();
  for (let j = 0; teams.length < services; j++) {
    const shard = serviceShard(serviceIdForTeam(`bench-team-${j}`), services);
    if (taken.has(shard)) continue;
    taken.add(shard);
    teams.push(`bench-team-${j}`);
  }
  await call('PUT', `/tenants/${T}/users/owner`, system, {
    displayName: 'owner',
    ouId: 'root',
    roles: [],
  });
  const owner = await token({ tenantId: T, userId: 'owner' });
  await call('PUT', `/tenants/${T}/users/owner/presence`, system, { presence: 'Offline' });
  const plans = [];
  for (const [s, teamId] of teams.entries()) {
    const agents = Array.from({ length: agentsEach }, (_, i) => `agent-${s}-${i}`);
    for (const userId of agents)
      await call('PUT', `/tenants/${T}/users/${userId}`, system, {
        displayName: userId,
        ouId: 'root',
        roles: [],
      });
    const service = await call('POST', `/tenants/${T}/services:provision`, owner, {
      teamId,
      teamName: `Bench ${s}`,
      members: agents,
    });
    const tokens: Record<string, string> = {};
    for (const userId of agents) {
      tokens[userId] = await token({ tenantId: T, userId });
      await call('PUT', `/tenants/${T}/users/${userId}/presence`, system, {
        presence: 'Available',
      });
    }
    plans.push({
      tasksPath: `/tenants/${T}/services/${String(service.serviceId)}/tasks`,
      ownerToken: owner,
      agentTokens: tokens,
    });
  }
  return plans;
}

/**
 * Lifecycles/s of one tenant, and of the same lifecycles spread over four tenants run at
 * once, on a fresh embedded Azurite (behind a partition ceiling when given one).
 */
async function partitionRuns(
  lifecycles: number,
  ceiling?: number,
): Promise<{ one: number; spread: number; perLifecycle: number }> {
  const azurite = await startEmbeddedAzurite({ dataDir: ':memory:' });
  const proxy = ceiling ? await startPartitionCeiling(azurite.connectionString, ceiling) : null;
  // Each owner creates far more tasks a minute here than the edge lets one person.
  const app = await startBenchApp(proxy?.connectionString ?? azurite.connectionString, undefined, {
    RATE_LIMIT_USER_PER_MIN: '1000000',
    RATE_LIMIT_TENANT_PER_MIN: '1000000',
  });
  const PARALLEL = 8;
  const SPREAD = 4;
  const RUNS = 2;
  const tenants: Awaited<ReturnType<typeof setUpLifecycles>>[] = [];
  for (let i = 0; i < SPREAD; i++) tenants.push(await setUpLifecycles(app.url, `bench-part-${i}`));
  const plan = (t: (typeof tenants)[number], count: number, parallel: number) => ({
    url: app.url,
    ...t,
    lifecycles: count,
    parallel,
  });
  const routingOf = (i: number) => `Routing/bench-part-${i}`;
  const countedIn = (i: number) =>
    [...(proxy?.counted ?? [])]
      .filter(([partition]) => partition.endsWith(routingOf(i)))
      .reduce((n, [, count]) => n + count, 0);
  let perLifecycle = 0;
  const one = async () => {
    const before = countedIn(0);
    const load = await runLoad(plan(tenants[0]!, lifecycles, PARALLEL));
    perLifecycle = (countedIn(0) - before) / lifecycles;
    return lifecycles / load.seconds;
  };
  const spread = async () => {
    const started = performance.now();
    await Promise.all(tenants.map((t) => runLoad(plan(t, lifecycles / SPREAD, PARALLEL / SPREAD))));
    return lifecycles / ((performance.now() - started) / 1000);
  };
  await one(); // warm-up, both shapes
  await spread();
  const best = { one: 0, spread: 0 };
  for (let run = 0; run < RUNS; run++) {
    best.one = Math.max(best.one, await one());
    best.spread = Math.max(best.spread, await spread());
  }
  await app.stop();
  await proxy?.stop();
  await azurite.stop();
  return { ...best, perLifecycle };
}

/** A tenant with one service of 16 Available agents, ready for task lifecycles. */
const LIFECYCLE_AGENTS = 16;

async function setUpLifecycles(
  url: string,
  T: string,
): Promise<{ tasksPath: string; ownerToken: string; agentTokens: Record<string, string> }> {
  const call = apiCaller(url);
  const token = async (request: object) =>
    (await call('POST', '/dev/token', undefined, request)).token as string;
  const AGENTS = LIFECYCLE_AGENTS;
  const system = await token({ system: true });
  await call('PUT', `/tenants/${T}`, system, { name: 'Bench', state: 'Active' });
  await call('PUT', `/tenants/${T}/ous/root`, system, { name: 'Root', parentId: null });
  await call('PUT', `/tenants/${T}/contingency`, system, { AdvancedRouting: 5 });
  const agents = Array.from({ length: AGENTS }, (_, i) => `agent-${i}`);
  for (const userId of ['owner', ...agents])
    await call('PUT', `/tenants/${T}/users/${userId}`, system, {
      displayName: userId,
      ouId: 'root',
      roles: [],
    });
  const owner = await token({ tenantId: T, userId: 'owner' });
  const service = await call('POST', `/tenants/${T}/services:provision`, owner, {
    teamId: 'bench-team',
    teamName: 'Bench',
    members: agents,
  });
  const tokens = new Map<string, string>();
  for (const userId of agents) {
    tokens.set(userId, await token({ tenantId: T, userId }));
    await call('PUT', `/tenants/${T}/users/${userId}/presence`, system, { presence: 'Available' });
  }
  await call('PUT', `/tenants/${T}/users/owner/presence`, system, { presence: 'Offline' });
  return {
    tasksPath: `/tenants/${T}/services/${String(service.serviceId)}/tasks`,
    ownerToken: owner,
    agentTokens: Object.fromEntries(tokens),
  };
}

/**
 * What durability costs: lifecycles/s on the embedded default with its data on disk, with
 * the journal that makes a `kill -9` lose nothing acknowledged, and without it (what
 * Azurite alone does: a save every 5 s). Alternating runs, the best of each.
 */
async function benchDurability(): Promise<void> {
  const LIFECYCLES = 300;
  const WORKERS = 8;
  const RUNS = 3;
  const best = { on: 0, off: 0 };
  for (let run = 0; run < RUNS * 2; run++) {
    const journal = run % 2 === 1;
    const dataDir = await mkdtemp(join(tmpdir(), 'bench-durability-'));
    const azurite = await startEmbeddedAzurite({ dataDir, journal });
    const app = await startBenchApp(azurite.connectionString);
    const T = 'durable-tenant';
    const plan = await setUpLifecycles(app.url, T);
    const load = await runLoad({
      url: app.url,
      ...plan,
      lifecycles: LIFECYCLES,
      parallel: WORKERS,
    });
    const rate = LIFECYCLES / load.seconds;
    if (journal) best.on = Math.max(best.on, rate);
    else best.off = Math.max(best.off, rate);
    await app.stop();
    await azurite.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
  const cost = 1 - best.on / best.off;
  console.log(
    `3b. Durability of the embedded default (data on disk): ${LIFECYCLES} lifecycles, ${WORKERS} in parallel, best of ${RUNS} alternating runs each`,
  );
  console.log(
    `   lifecycles/s with the journal (kill -9 loses nothing acknowledged) ${best.on.toFixed(1)}, without it (a save every 5 s) ${best.off.toFixed(1)}: the journal costs ${(cost * 100).toFixed(1)}% (target < 20%)`,
  );
}

async function countRows(connectionString: string, table: string): Promise<number> {
  const client = TableClient.fromConnectionString(connectionString, table, {
    allowInsecureConnection: true,
  });
  let rows = 0;
  for await (const _ of client.listEntities({ queryOptions: { select: ['RowKey'] } })) rows++;
  return rows;
}

/** Runs the load generator in a worker thread and waits for its figures. */
function runLoad(plan: LoadPlan): Promise<LoadResult>;
function runLoad(plan: StepPlan): Promise<StepResult>;
function runLoad(plan: LoadPlan | StepPlan): Promise<LoadResult | StepResult> {
  const worker = new Worker(new URL('./bench-load-worker.mjs', import.meta.url), {
    workerData: plan,
  });
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    type Answer = { ok: true; result: LoadResult & StepResult } | { ok: false; error: string };
    worker.once('message', (m: Answer) => {
      void worker.terminate();
      if (m.ok) resolve(m.result);
      else reject(new Error(m.error));
    });
  });
}

/** Which tenant a storage request names (its partition key), or null for a shared one. */
function tenantOfRequest(url: string): string | null {
  const text = decodeURIComponent(url);
  const named = /PartitionKey(?: eq |=)'([^']+)'/.exec(text);
  return named?.[1] ?? null;
}

/**
 * Target 4 of issue #20: one instance (timer service, dispatcher and card drain, on the
 * system clock) over many tenants on embedded Azurite, a few of them busy (another
 * instance writes an agent's ACW with an end 1.5 to 3 s ahead, every second). Counts the
 * storage requests naming each idle tenant, and the shared ones (the change feed, the
 * tenant list), over a window after every tenant was read in; and how late each ACW end
 * fired. `compress` shortens the slow periods (a quiet partition's stamp check and reload,
 * the card drain's look now and then) by that factor, so that a short window holds what
 * a long one would.
 */
async function quietTenantsRun(options: {
  tenants: number;
  busy: number;
  windowMs: number;
  compress: number;
}): Promise<{ idlePerTenantPerS: number; sharedPerS: number; lateness: number[] }> {
  const { tenants, busy, windowMs, compress } = options;
  const azurite = await startEmbeddedAzurite({ dataDir: ':memory:' });
  const counting = { on: false, idle: 0, shared: 0 };
  const storage = new TableStorage({
    account: { connectionString: azurite.connectionString },
    prefix: 'quiet',
    cacheMaxStalenessMs: 500,
    ...(compress > 1 && {
      cacheQuietCheckMs: QUIET_CHECK_MS / compress,
      cacheReloadEveryMs: RELOAD_EVERY_MS / compress,
    }),
    onRequest: (_method, url) => {
      if (!counting.on) return;
      const tenant = tenantOfRequest(url);
      if (tenant?.startsWith('idle-')) counting.idle++;
      else if (tenant === null || !tenant.startsWith('busy-')) counting.shared++;
    },
  });
  const stores = createStores(storage);
  // The other instance, writing the busy tenants.
  const writer = createStores(
    new TableStorage({
      account: { connectionString: azurite.connectionString },
      prefix: 'quiet',
      cacheMaxStalenessMs: 500,
    }),
  );
  // The tenants as written long ago: no announcement of them is news any more.
  const seeder = createStores(
    new TableStorage({
      account: { connectionString: azurite.connectionString },
      prefix: 'quiet',
      changeFeed: false,
    }),
  );
  const now = systemClock.now();
  const idle = Array.from({ length: tenants - busy }, (_, i) =>
    asTenantId(`idle-${String(i).padStart(5, '0')}`),
  );
  const active = Array.from({ length: busy }, (_, i) => asTenantId(`busy-${i}`));
  const limit = pLimit(16);
  await Promise.all(
    [...idle, ...active].map((id) =>
      limit(async () => {
        await seeder.tenants.insert(newTenant(id, id, 'Active', now));
        await seeder.tenantIndex.add(id);
      }),
    ),
  );
  const pending = new Map<TenantId, number>(); // an ACW end written, not yet fired
  const lateness: number[] = [];
  const dispatcher = new Dispatcher({
    stores,
    clock: systemClock,
    onChanged: (tenantId) => {
      const due = pending.get(tenantId);
      if (due === undefined || Date.now() < due) return;
      pending.delete(tenantId);
      lateness.push(Date.now() - due);
    },
  });
  const cards = teamsCardOutbox({
    deps: { stores, clock: systemClock, newId: randomUUID, distribution: dispatcher },
    channel: {
      post: () => Promise.reject(new Error('no card is drawn here')),
      update: () => Promise.reject(new Error('no card is drawn here')),
    },
    log: pino({ level: 'silent' }),
    fullDrainEveryMs: FULL_DRAIN_EVERY_MS / compress,
  });
  const timers = new TimerService({
    stores,
    clock: systemClock,
    dispatcher,
    afterSweep: (tenantIds) => cards.drainAll(tenantIds),
  });
  // Every tenant read in once (the first sweep, the hourly jobs among it), then the window.
  await timers.sweep(systemClock.now());
  timers.start();
  let writing = true;
  const busyWrites = (async () => {
    while (writing) {
      for (const tenantId of active) {
        if (pending.has(tenantId)) continue;
        const until = Date.now() + 1500 + Math.floor(Math.random() * 1500);
        await writer.routing.agents.upsert({
          ...newAgentState(tenantId, asUserId('agent'), instantOf(Date.now())),
          engagement: {
            kind: 'acw',
            taskId: asTaskId('done'),
            serviceId: asServiceId('desk'),
            until: instantOf(until),
            allowEarlyEnd: true,
            allowExtension: false,
            maxExtensionSec: 0,
          },
        });
        pending.set(tenantId, until);
      }
      await sleep(1000);
    }
  })();
  await sleep(5000); // the busy tenants under way
  lateness.length = 0;
  counting.on = true;
  await sleep(windowMs);
  counting.on = false;
  writing = false;
  await busyWrites;
  await timers.stop();
  await cards.stop();
  await azurite.stop();
  const seconds = windowMs / 1000;
  return {
    idlePerTenantPerS: counting.idle / seconds / idle.length,
    sharedPerS: counting.shared / seconds,
    lateness: lateness.sort((a, b) => a - b),
  };
}

/**
 * Target 4: many tenants, nearly all idle. Two runs: one at the real periods (what an idle
 * tenant costs second by second), one with the slow periods compressed 60x (what it costs
 * over an hour, in a minute); the hourly jobs (retention purge, stamps of stopped
 * instances, the service index) are measured apart, per tenant.
 */
async function benchQuietTenants(): Promise<void> {
  const tenants = Number(process.env.BENCH_TENANTS ?? 10_000);
  const busy = Math.min(10, tenants);
  const windowMs = Number(process.env.BENCH_QUIET_WINDOW_S ?? 60) * 1000;
  const real = await quietTenantsRun({ tenants, busy, windowMs, compress: 1 });
  progress(
    `quiet tenants at the real periods: ${real.idlePerTenantPerS} per idle tenant per s, ${real.sharedPerS} shared per s, ${real.lateness.length} timers, p99 ${quantile(real.lateness, 0.99)} ms`,
  );
  // An idle tenant's slow work is its own: 1,000 tenants show it as well as 10,000 would,
  // and 60 times their load is what embedded Azurite still answers without queueing.
  const COMPRESS = 60;
  const sample = Math.min(tenants, 1000);
  const slow = await quietTenantsRun({ tenants: sample, busy, windowMs, compress: COMPRESS });
  const hourly = await hourlyJobsPerTenant();
  const idle = tenants - busy;
  const jobsEveryS = TENANT_JOBS_EVERY_MS / 1000;
  const longRun = slow.idlePerTenantPerS / COMPRESS + hourly / jobsEveryS + real.sharedPerS / idle;
  const lateness = real.lateness;
  console.log(
    `4. Quiet tenants: ${tenants.toLocaleString('en')} tenants, ${busy} busy (another instance writes an ACW end 1.5-3 s ahead in each, every second), one instance on embedded Azurite (timer service, dispatcher, card drain)`,
  );
  console.log(
    `   at the real periods, over ${windowMs / 1000} s: ${real.idlePerTenantPerS.toFixed(5)} requests per idle tenant per second; shared (the change feed, the tenant list) ${real.sharedPerS.toFixed(1)} per second`,
  );
  console.log(
    `   with the slow periods compressed ${COMPRESS}x (a quiet partition's stamp check and reload, the card drain's look), on ${sample.toLocaleString('en')} tenants: ${slow.idlePerTenantPerS.toFixed(4)} per idle tenant per second, so ${(slow.idlePerTenantPerS / COMPRESS).toFixed(5)} at the real periods; each tenant's own jobs ${hourly.toFixed(1)} requests every ${jobsEveryS / 3600} hours`,
  );
  console.log(
    `   all told, per idle tenant (the slow periods' share, its own jobs', and the shared requests spread over the idle tenants): ${longRun.toFixed(4)} requests per second (target <= 0.01)`,
  );
  console.log(
    `   timers (ACW ends in the busy tenants, at the real periods): ${lateness.length} fired, late by p50 ${quantile(lateness, 0.5).toFixed(0)} ms, p99 ${quantile(lateness, 0.99).toFixed(0)} ms (target p99 <= 1000 ms)`,
  );
}

/** Storage requests each run of a tenant's own jobs in the timer service makes (on 100 tenants). */
async function hourlyJobsPerTenant(): Promise<number> {
  const azurite = await startEmbeddedAzurite({ dataDir: ':memory:' });
  let requests = 0;
  const stores = createStores(
    new TableStorage({
      account: { connectionString: azurite.connectionString },
      prefix: 'hourly',
      cacheMaxStalenessMs: 500,
      onRequest: () => requests++,
    }),
  );
  const ids = Array.from({ length: 100 }, (_, i) => asTenantId(`hourly-${i}`));
  const now = systemClock.now();
  for (const id of ids) await stores.tenants.insert(newTenant(id, id, 'Active', now));
  for (const id of ids) await stores.routingIndex(id); // read in, as the sweeps have them
  requests = 0;
  for (const id of ids) await tenantJobs(stores, id, now);
  const perTenant = requests / ids.length;
  await azurite.stop();
  return perTenant;
}

/**
 * Tasks waiting in a service's queue written straight into storage by another instance, as
 * the intake writes them, 99 to a transaction: filling a deep queue through the API would
 * measure only the filling.
 */
async function fillQueue(
  stores: Stores,
  tenantId: TenantId,
  serviceId: ServiceId,
  from: number,
  to: number,
): Promise<void> {
  const start = Date.now() - 86_400_000;
  const limit = pLimit(4);
  const batches: Promise<unknown>[] = [];
  for (let first = from; first < to; first += 99) {
    const ops: WriteOp[] = [];
    for (let i = first; i < Math.min(to, first + 99); i++)
      ops.push(
        stores.routing.openTasks.insertOp(
          queuedTask({
            tenantId,
            id: taskIdFor(tenantId, `backlog-${String(i).padStart(8, '0')}`),
            serviceId,
            modality: 'Call',
            subject: `Waiting ${i}`,
            externalId: null,
            link: null,
            priority: 'Normal',
            exit: 'NoOneAvailable',
            enqueuedAt: instantOf(start + i),
            routing: routingOf(DEFAULT_SERVICE_SETTINGS.distribution),
          }),
        ),
      );
    batches.push(limit(() => stores.commit(ops)));
  }
  await Promise.all(batches);
}

/**
 * Target 1 of issue #20, end to end on embedded Azurite: what the app's main thread spends
 * on an enqueue (into a queue nobody can take from) and on an offer (an agent takes the
 * invitation ringing for them, accepts and completes it, and completing offers the next
 * task from the head) with 1,000 and with 100,000 tasks waiting in the same service.
 */
async function benchQueueDepth(): Promise<void> {
  const DEPTHS = (process.env.BENCH_AZURITE_DEPTHS ?? '1000,20000').split(',').map(Number);
  const ENQUEUES = 300;
  const OFFERS = 150;
  const azurite = await startEmbeddedAzurite({ dataDir: ':memory:' });
  const app = await startBenchApp(azurite.connectionString);
  const call = apiCaller(app.url);
  const token = async (request: object) =>
    (await call('POST', '/dev/token', undefined, request)).token as string;
  const T = asTenantId('depth-tenant');
  const system = await token({ system: true });
  await call('PUT', `/tenants/${T}`, system, { name: 'Depth', state: 'Active' });
  await call('PUT', `/tenants/${T}/ous/root`, system, { name: 'Root', parentId: null });
  await call('PUT', `/tenants/${T}/contingency`, system, { AdvancedRouting: 5 });
  for (const userId of ['owner', 'agent'])
    await call('PUT', `/tenants/${T}/users/${userId}`, system, {
      displayName: userId,
      ouId: 'root',
      roles: [],
    });
  const ownerToken = await token({ tenantId: T, userId: 'owner' });
  const agentToken = await token({ tenantId: T, userId: 'agent' });
  const service = await call('POST', `/tenants/${T}/services:provision`, ownerToken, {
    teamId: 'depth-team',
    teamName: 'Depth',
    members: ['agent'],
  });
  const serviceId = asServiceId(String(service.serviceId));
  const tasksPath = `/tenants/${T}/services/${serviceId}/tasks`;
  const presence = (who: string, value: string) =>
    call('PUT', `/tenants/${T}/users/${who}/presence`, system, { presence: value });
  await presence('owner', 'Offline');
  // The app's own work while nobody calls (its timer sweep each second, the card drain):
  // the deeper a partition, the longer Azurite takes per request, and the more of this
  // work falls into each step's time. It is measured at each depth and taken out.
  const idleCpuPerMs = async () => {
    const before = threadCpuMs([process.pid]);
    const start = performance.now();
    await sleep(3000);
    return (threadCpuMs([process.pid]) - before) / (performance.now() - start);
  };
  const cpuPer = async (plan: StepPlan) => {
    await runLoad({ ...plan, count: 10 }); // warm: the first steps after a fill read it in
    const idle = await idleCpuPerMs();
    const before = threadCpuMs([process.pid]);
    const result = await runLoad(plan);
    const wall = (result.seconds * 1000) / plan.count;
    const cpu = (threadCpuMs([process.pid]) - before) / plan.count;
    return { cpu: Math.max(0, cpu - idle * wall), gross: cpu, wall, result };
  };
  // Another instance writes the backlog: the app reads it in as it would another's tasks.
  const filler = createStores(
    new TableStorage({
      account: { connectionString: azurite.connectionString },
      prefix: 'bench',
      instanceId: 'filler',
    }),
  );
  const figures: { depth: number; enqueue: number; offer: number; heap: number }[] = [];
  const walls: string[] = [];
  let filled = 0;
  for (const depth of DEPTHS) {
    await presence('agent', 'Offline');
    const fillStart = performance.now();
    await fillQueue(filler, T, serviceId, filled, depth);
    progress(
      `Azurite: ${depth} waiting, filled in ${((performance.now() - fillStart) / 1000).toFixed(0)} s`,
    );
    filled = depth;
    const enqueue = await cpuPer({
      kind: 'enqueue',
      url: app.url,
      tasksPath,
      ownerToken,
      count: ENQUEUES,
    });
    await presence('agent', 'Available');
    const offer = await cpuPer({ kind: 'offers', url: app.url, agentToken, count: OFFERS });
    figures.push({ depth, enqueue: enqueue.cpu, offer: offer.cpu, heap: heapUsed() });
    walls.push(
      `   (at ${depth.toLocaleString('en')}: wall time per enqueue ${ms(enqueue.wall)}, per offer ${ms(offer.wall)}, most of it Azurite's; CPU before taking out the app's idle work ${ms(enqueue.gross)} and ${ms(offer.gross)})`,
    );
  }
  console.log(
    '5. Queue depth, end to end on embedded Azurite: tasks waiting in one service; CPU of the app’s main thread per step, net of its idle work (sweeps)',
  );
  printDepths(figures, 'the app’s heap (Azurite runs in a thread of its own)');
  for (const line of walls) console.log(line);
  console.log(
    `   (Azurite finds a row by scanning its partition, so filling one partition is quadratic: 100,000 took it 39 minutes on this machine. BENCH_AZURITE_DEPTHS=1000,100000 measures that depth.)`,
  );
  await app.stop();
  await azurite.stop();
}

/** The heap in use after a full collection (the bench runs with --expose-gc). */
function heapUsed(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

const progress = (line: string) => {
  if (process.env.BENCH_PROGRESS) process.stderr.write(`   … ${line}\n`);
};

/** Each depth's figures, the deepest against the shallowest, and memory per waiting task. */
function printDepths(
  figures: readonly {
    depth: number;
    enqueue: number;
    offer: number;
    page?: number;
    heap: number;
  }[],
  heapWhat: string | null,
): void {
  const words = (n: number) => n.toLocaleString('en');
  for (const f of figures)
    console.log(
      `   ${words(f.depth)} waiting: per enqueue ${ms(f.enqueue)}, per offer (the agent accepts and completes; completing offers the next) ${ms(f.offer)}${f.page === undefined ? '' : `, first page of the queue view (50) ${ms(f.page)}`}`,
    );
  const small = figures[0];
  for (const deep of figures.slice(1)) {
    if (!small) break;
    const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
    const page =
      deep.page !== undefined && small.page !== undefined
        ? `, page ${ratio(deep.page, small.page)}`
        : '';
    console.log(
      `   at ${words(deep.depth)} against ${words(small.depth)}: enqueue ${ratio(deep.enqueue, small.enqueue)}, offer ${ratio(deep.offer, small.offer)}${page} (target <= 2x each)`,
    );
    if (heapWhat === null) continue;
    const perTask = (deep.heap - small.heap) / (deep.depth - small.depth);
    console.log(
      `   memory per waiting task: ${perTask.toFixed(0)} bytes of ${heapWhat} (target <= 1024)`,
    );
  }
}

/**
 * The demo tenant on in-memory tables read through the partition cache, with a dispatcher
 * distributing after each step as in the app (the use cases' world, without HTTP).
 */
async function inMemoryDemo(
  memory = new MemoryTables(),
  seed = true,
  onRequest?: (method: string, url: string) => void,
): Promise<{ stores: Stores; deps: AppDeps }> {
  const stores = createStores(
    new TableStorage({
      account: { memory },
      prefix: 'bench',
      cacheMaxStalenessMs: 1000,
      ...(onRequest && { onRequest }),
    }),
  );
  const clock = systemClock;
  if (seed) await seedDemo(stores, clock.now());
  const distribution = new Dispatcher({ stores, clock });
  return { stores, deps: { stores, clock, newId: randomUUID, distribution } };
}

/**
 * Target 1's second half: the same steps through the use cases, on the in-memory tables
 * (the store contract's second implementation), up to a million tasks waiting in one
 * service, with the dispatcher distributing after each step as in the app.
 */
async function benchQueueDepthInMemory(): Promise<void> {
  const DEPTHS = (process.env.BENCH_MEMORY_DEPTHS ?? '1000,100000,1000000').split(',').map(Number);
  const memory = new MemoryTables();
  // This instance's reads of one row by its key, and of rows by a query (not stamps, not the feed).
  const reads = { row: 0, whole: 0 };
  const { stores, deps } = await inMemoryDemo(memory, true, (method, url) => {
    const kind = requestKind(method, url);
    if (kind === 'row') reads.row++;
    else if (kind === 'rows') reads.whole++;
  });
  // Another instance on the same tables, with its own cache: what it writes, this one takes in.
  const other = await inMemoryDemo(memory, false);
  const T = asTenantId(DEMO.tenant.id);
  const [helpdesk] = DEMO.services;
  const serviceId = asServiceId(helpdesk?.id ?? '');
  const person = (name: string) => {
    const user = DEMO.users.find((u) => u.displayName.startsWith(name));
    return { kind: 'user', tenantId: T, userId: asUserId(user?.id ?? ''), groups: [] } as const;
  };
  const megan = person('Megan');
  const adele = person('Adele');
  const system = { kind: 'system' } as const;
  const presence = async (who: typeof adele, value: Presence) =>
    ok(await setPresence(deps, system, T, who.userId, value));
  for (const [userId] of helpdesk?.members ?? [])
    ok(await setPresence(deps, system, T, asUserId(userId), 'Offline'));
  const cpuPer = async (count: number, step: () => Promise<void>) => {
    for (let i = 0; i < 10; i++) await step(); // warm
    const before = process.cpuUsage();
    for (let i = 0; i < count; i++) await step();
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 1000 / count;
  };
  const figures: { depth: number; enqueue: number; offer: number; page: number; heap: number }[] =
    [];
  const foreign: { depth: number; cpu: number; rowReads: number; wholeReads: number }[] = [];
  let filled = 0;
  for (const depth of DEPTHS) {
    await presence(adele, 'Offline');
    const fillStart = performance.now();
    await fillQueue(stores, T, serviceId, filled, depth);
    progress(
      `memory: ${depth} waiting, filled in ${((performance.now() - fillStart) / 1000).toFixed(0)} s`,
    );
    filled = depth;
    const enqueue = await cpuPer(300, async () => {
      const made = ok(
        await createTask(deps, megan, T, serviceId, { modality: 'Call', subject: 'bench' }),
      );
      if (made.task.state !== 'Queued') throw new Error('expected the task to wait');
    });
    const page = await cpuPer(100, async () => {
      ok(await readQueue(deps, megan, T, serviceId, { top: 50, from: null }));
    });
    await presence(adele, 'Available');
    const offer = await cpuPer(150, async () => {
      const [ringing] = ok(await myOffers(deps, adele));
      if (!ringing) throw new Error('no invitation ringing');
      ok(await accept(deps, adele, ringing.id));
      ok(await complete(deps, adele, ringing.id));
    });
    await presence(adele, 'Offline');
    figures.push({ depth, enqueue, offer, page, heap: heapUsed() });
    foreign.push({ depth, ...(await takeIn(400)) });
  }
  console.log(
    '5b. Queue depth through the use cases on the in-memory tables: tasks waiting in one service; CPU per step',
  );
  printDepths(figures, null);
  console.log(
    "   another instance's enqueue, taken in by this one's check (its stamp's log names the rows it wrote; only those are read):",
  );
  for (const f of foreign)
    console.log(
      `   ${f.depth.toLocaleString('en')} waiting: ${ms(f.cpu)} of the main thread's CPU, ${f.rowReads.toFixed(1)} rows and ${f.wholeReads} partitions read whole per check`,
    );
  const [shallow, ...deeper] = foreign;
  for (const deep of deeper)
    if (shallow)
      console.log(
        `   at ${deep.depth.toLocaleString('en')} against ${shallow.depth.toLocaleString('en')}: ${(deep.cpu / shallow.cpu).toFixed(2)}x (target <= 2x; before, each read the partition whole)`,
      );

  /** Main thread CPU of this instance's check after each of `count` enqueues by the other, and what it read. */
  async function takeIn(count: number) {
    let cpu = 0;
    const before = { ...reads };
    for (let i = 0; i < count + 40; i++) {
      ok(await createTask(other.deps, megan, T, serviceId, { modality: 'Call', subject: 'there' }));
      const started = threadCpuMs([process.pid]);
      if (!(await stores.refreshRouting(T))) throw new Error('the other instance’s write unseen');
      const used = threadCpuMs([process.pid]) - started;
      if (i === 39) heapUsed(); // a full collection first: filling's garbage would fall in the window
      if (i >= 40) cpu += used; // the first forty warm up
    }
    return {
      cpu: cpu / count,
      rowReads: (reads.row - before.row) / (count + 40),
      wholeReads: reads.whole - before.whole,
    };
  }
}

/** Writes rows 99 to a transaction (one partition each), a few transactions at once. */
async function commitAll(stores: Stores, ops: readonly WriteOp[]): Promise<void> {
  const limit = pLimit(4);
  const batches: Promise<unknown>[] = [];
  for (let i = 0; i < ops.length; i += 99)
    batches.push(limit(() => stores.commit(ops.slice(i, i + 99))));
  await Promise.all(batches);
}

/**
 * Target 2 of issue #20, through the use cases on the in-memory tables: a whole lifecycle
 * (enqueue, offer, accept, complete) in a service of 10 and of 10,000 Available agents,
 * and a presence change of one of them with nothing waiting.
 */
async function benchAgentsInMemory(): Promise<void> {
  const SIZES = (process.env.BENCH_AGENTS ?? '10,10000').split(',').map(Number);
  const figures: {
    agents: number;
    lifecycle: number;
    presence: number;
    heap: number;
    entities: number;
  }[] = [];
  // A first round at the smallest size only warms the code up (compiling it would fall on
  // whichever size came first); its figures are dropped.
  for (const [round, size] of [SIZES[0] ?? 10, ...SIZES].entries()) {
    // Another instance (no cache) writes the tenant; the app then reads it in as it routes.
    const memory = new MemoryTables();
    const filler = createStores(new TableStorage({ account: { memory }, prefix: 'bench' }));
    const now = systemClock.now();
    await seedDemo(filler, now);
    const T = asTenantId(DEMO.tenant.id);
    const serviceId = asServiceId(DEMO.services[0]?.id ?? '');
    const ouId = asOrgUnitId(DEMO.services[0]?.ouId ?? '');
    const ids = Array.from({ length: size }, (_, i) =>
      asUserId(`agent-${String(i).padStart(6, '0')}`),
    );
    await commitAll(filler, [
      ...ids.map((id) =>
        filler.users.insertOp({
          tenantId: T,
          id,
          displayName: id,
          ouId,
          roles: [],
          licenses: [],
          skills: {},
        }),
      ),
      ...ids.map((userId) =>
        filler.memberships.insertOp({
          tenantId: T,
          serviceId,
          userId,
          role: 'Member',
          active: true,
          since: now,
          activeSince: now,
        }),
      ),
    ]);
    await commitAll(
      filler,
      ids.map((id, i) =>
        filler.routing.agents.insertOp({
          ...newAgentState(T, id, now),
          lastTaskEndedAt: instantOf(now - size + i),
        }),
      ),
    );
    const stored = heapUsed();
    const { deps } = await inMemoryDemo(memory, false);
    const owner = {
      kind: 'user',
      tenantId: T,
      userId: asUserId(DEMO.users[0]?.id ?? ''),
      groups: [],
    } as const;
    for (const [userId] of DEMO.services[0]?.members ?? [])
      ok(await setPresence(deps, { kind: 'system' }, T, asUserId(userId), 'Offline'));
    // What the app holds for them once its runs read the tenant in: cached rows, the
    // routing and tenancy indexes, the service's pool (before any task adds its own rows).
    const held = heapUsed() - stored;
    const cpuPer = async (count: number, step: (i: number) => Promise<void>) => {
      for (let i = 0; i < 50; i++) await step(i); // warm (the first size also compiles the code)
      heapUsed(); // a full collection first: the larger heap's would otherwise fall in the window
      const before = process.cpuUsage();
      for (let i = 0; i < count; i++) await step(i);
      const used = process.cpuUsage(before);
      return (used.user + used.system) / 1000 / count;
    };
    const writtenBefore = memory.entitiesWritten;
    const lifecycle = await cpuPer(500, async () => {
      const made = ok(
        await createTask(deps, owner, T, serviceId, { modality: 'Call', subject: 'bench' }),
      );
      const [agent] = made.task.offeredTo;
      if (!agent) throw new Error('expected an offer');
      const as = { kind: 'user', tenantId: T, userId: agent, groups: [] } as const;
      ok(await accept(deps, as, made.task.id));
      ok(await complete(deps, as, made.task.id));
    });
    // Every entity the lifecycles wrote or deleted, warm-up included (550 of them).
    const entities = (memory.entitiesWritten - writtenBefore) / 550;
    const someone = ids[0] ?? asUserId('');
    const presenceChange = await cpuPer(1000, async (i) => {
      ok(await setPresence(deps, { kind: 'system' }, T, someone, i % 2 ? 'Available' : 'Away'));
    });
    if (round > 0)
      figures.push({
        agents: size,
        lifecycle,
        presence: presenceChange,
        heap: held,
        entities,
      });
  }
  console.log(
    '6. Agents, through the use cases on the in-memory tables: one service, every member Available; CPU per step',
  );
  for (const f of figures)
    console.log(
      `   ${f.agents.toLocaleString('en')} agents: per lifecycle (enqueue, offer, accept, complete) ${ms(f.lifecycle)} and ${f.entities.toFixed(1)} entities written (rows and stamps), per presence change ${ms(f.presence)}`,
    );
  const [few, many] = figures;
  if (few && many) {
    console.log(
      `   ${many.agents.toLocaleString('en')} against ${few.agents.toLocaleString('en')}: lifecycle ${(many.lifecycle / few.lifecycle).toFixed(2)}x (target <= 2x), presence change ${(many.presence / few.presence).toFixed(2)}x (target about 1x)`,
    );
    const perAgent = (many.heap - few.heap) / (many.agents - few.agents);
    console.log(
      `   memory per agent: ${perAgent.toFixed(0)} bytes of the app's heap (cached user, membership and state rows, both indexes, the service's pool; target <= 1024)`,
    );
  }
}

/** A decision's value, or the bench stops with its refusal. */
function ok<T>(decision: Decision<T>): T {
  if (!decision.ok) throw new Error(decision.refusal.message);
  return decision.value;
}

if (process.env.BENCH_ONLY === 'depth') {
  await benchQueueDepth();
  await benchQueueDepthInMemory();
  process.exit(0);
}
if (process.env.BENCH_ONLY === 'agents') {
  await benchAgentsInMemory();
  process.exit(0);
}
if (process.env.BENCH_ONLY === 'quiet') {
  await benchQuietTenants();
  process.exit(0);
}
if (process.env.BENCH_ONLY === 'lifecycles') {
  await benchEndToEnd();
  process.exit(0);
}
if (process.env.BENCH_ONLY === 'dashboard') {
  await benchDashboard({ startBenchApp, setUpLifecycles });
  process.exit(0);
}
if (process.env.BENCH_ONLY === 'partitions') {
  await benchPartitions();
  process.exit(0);
}
if (process.env.BENCH_ONLY === 'shards') {
  await benchShards();
  process.exit(0);
}
if (process.env.BENCH_ONLY === 'memory') {
  await benchQueueDepthInMemory();
  process.exit(0);
}
if (!process.env.BENCH_SKIP_CORE) benchCore();
await benchEndToEnd();
if (!process.env.BENCH_SKIP_DURABILITY) await benchDurability();
if (!process.env.BENCH_SKIP_SWEEP) await benchQuietTenants();
if (!process.env.BENCH_SKIP_DEPTH) {
  await benchQueueDepth();
  await benchQueueDepthInMemory();
}
if (!process.env.BENCH_SKIP_PARTITIONS) await benchPartitions();
if (!process.env.BENCH_SKIP_AGENTS) await benchAgentsInMemory();
if (!process.env.BENCH_SKIP_DASHBOARD) await benchDashboard({ startBenchApp, setUpLifecycles });
clearInterval(sampler);
console.log(
  `   peak memory (RSS, app and Azurite worker together): ${(peakRss / 1024 / 1024).toFixed(0)} MiB`,
);
