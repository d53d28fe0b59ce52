// One tenant's day of tasks, played the same way on one routing shard and on four: every
// reader of the rows a step writes (reporting's tallies and feed, retention) answers the
// same, though the rows lie in the people's partition and the tasks' shard.
import { strict as assert } from 'node:assert';
import { IN_MEMORY, uniquePrefix } from '../../../test/table-accounts.js';
import { PEOPLE } from '../../../test/demo-people.js';
import type { Identity } from '../../domain/actor.js';
import { asServiceId, asTenantId, asUserId, type UserId } from '../../domain/ids.js';
import { instantOf, type Instant } from '../../domain/instant.js';
import type { Decision } from '../../domain/refusal.js';
import { DAY_MS } from '../../domain/reporting/tally.js';
import { createStores } from '../../store/stores.js';
import type { AppDeps } from '../app-deps.js';
import { ManualClock } from '../clock.js';
import { DEMO } from '../demo-tenant.js';
import { readFeed } from '../reporting/odata-feed.js';
import { serviceTallies } from '../reporting/service-dashboard.js';
import { foldTallies } from '../reporting/tally-folder.js';
import { seedDemo } from '../seed-demo.js';
import { Dispatcher } from './dispatcher.js';
import { purgeExpiredTasks } from './retention.js';
import { accept, cancel, complete } from './task-actions.js';
import { createTask } from './task-intake.js';

const T = asTenantId(DEMO.tenant.id);
const HELPDESK = asServiceId('svc-it-helpdesk');
const MEGAN = asUserId(PEOPLE.MEGAN);
const person = (userId: UserId): Identity => ({ kind: 'user', tenantId: T, userId, groups: [] });
const START = instantOf(Date.UTC(2026, 10, 2, 9));

function ok<T>(decision: Decision<T>): T {
  if (!decision.ok) assert.fail(`refused: ${decision.refusal.message}`);
  return decision.value;
}

/**
 * Task ids without their shard and intake sequence, event ids without their history
 * sequence (counters of the process, further on in the second run): the same of either run.
 */
const unsharded = (value: unknown): unknown =>
  JSON.parse(
    JSON.stringify(value)
      .replace(/-s\d{1,2}\b/g, '')
      .replace(/(\.[0-9a-z]{10})-[0-9a-z]{4}-/g, '$1-')
      .replace(/(:\d{13}):[0-9a-f]{13}(:\d{5})/g, '$1$2'),
  );

/** The day played on a fresh demo tenant of `shards` routing shards; what its readers say. */
async function day(shards: number) {
  const stores = createStores(IN_MEMORY.storage(uniquePrefix(), { maxStalenessMs: 60_000 }));
  const clock = new ManualClock(START);
  const dispatcher = new Dispatcher({ stores, clock });
  let ids = 0;
  const deps: AppDeps = {
    stores,
    clock,
    newId: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
    distribution: { run: (t) => dispatcher.run(t), changed: (t) => dispatcher.changed(t) },
  };
  await seedDemo(stores, clock.now(), shards);
  const tick = async (ms: number) => {
    await clock.advance(ms);
    await dispatcher.sweep([T]);
  };
  for (let i = 0; i < 4; i++) {
    const task = ok(
      await createTask(deps, person(MEGAN), T, HELPDESK, { modality: 'Call', subject: `#${i}` }),
    ).task;
    const [ringing] = task.offeredTo;
    assert.ok(ringing, 'someone is free');
    ok(await accept(deps, person(ringing), task.id));
    await tick(60_000);
    ok(await complete(deps, person(ringing), task.id));
    await tick(5 * 60_000); // past after-call work: its end is a person's step (shard 0)
  }
  const canceled = ok(
    await createTask(deps, person(MEGAN), T, HELPDESK, { modality: 'Call', subject: 'never mind' }),
  ).task;
  ok(await cancel(deps, person(MEGAN), canceled.id));
  await tick(60_000);
  await foldTallies(stores, T);
  const period = { from: instantOf(START - DAY_MS), to: instantOf(START + DAY_MS) };
  const tallies = await serviceTallies(deps, T, HELPDESK, period);
  const tenantTallies = await stores.tallies.between(T, null, period.from, period.to);
  const feed = async (set: string) =>
    ok(await readFeed(deps, { kind: 'key', tenantId: T }, set, {}, 10_000)).rows;
  const [tasks, events] = [await feed('Tasks'), await feed('TaskEvents')];
  // Past the retention time, everything of those tasks goes, from every partition.
  const purgeAt: Instant = instantOf(clock.now() + 91 * DAY_MS);
  const purged = await purgeExpiredTasks(stores, T, purgeAt);
  const left = {
    history: (await stores.history.all(T, shards)).length,
    marks: (await stores.history.pending(T, shards)).length,
    outbox: (await stores.cards.outbox.all(T, shards)).length,
    done: (
      await Promise.all(
        (await stores.routingPartitions(T)).map((p) => stores.routing.doneTasks.list(p)),
      )
    ).flat().length,
  };
  return { tallies, tenantTallies, tasks, events, purged, left, ids: canceled.id };
}

describe('one tenant on one routing shard and on four: the same answers', () => {
  it('tallies, the reporting feed and the retention purge agree', async () => {
    const [one, four] = [await day(1), await day(4)];
    assert.match(four.ids, /-s\d+$/, 'the four-shard tenant’s tasks are in a shard');
    assert.ok(one.tallies.length > 0 && one.tallies.some((t) => t.tally.accepted > 0));
    assert.deepEqual(unsharded(four.tallies), unsharded(one.tallies), 'the service’s tallies');
    assert.deepEqual(
      unsharded(four.tenantTallies),
      unsharded(one.tenantTallies),
      'the tenant’s tallies',
    );
    assert.equal(one.tasks.length, 5);
    assert.deepEqual(unsharded(four.tasks), unsharded(one.tasks), 'the feed’s tasks');
    assert.ok(one.events.length > 10);
    assert.deepEqual(unsharded(four.events), unsharded(one.events), 'the feed’s task events');
    assert.equal(four.purged, 5);
    assert.equal(one.purged, 5);
    assert.deepEqual(four.left, { history: 0, marks: 0, outbox: 0, done: 0 }, 'nothing left');
    assert.deepEqual(one.left, four.left);
  });
});
