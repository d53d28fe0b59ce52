// A step of a tenant with several routing shards commits in two transactions (people's
// partition, the task's shard); an instance stopping between them leaves someone holding a
// task that does not say so. The timer sweep repairs that (see hold-repair.ts): here the
// first transaction of each kind of step is made and the second never comes.
import { strict as assert } from 'node:assert';
import { aMembership, anAgent, aService, aTask, aTenant, NOW, T } from '../../../test/builders.js';
import { IN_MEMORY, uniquePrefix } from '../../../test/table-accounts.js';
import { asUserId } from '../../domain/ids.js';
import type { AgentState } from '../../domain/routing/agent-state.js';
import { inShard, serviceShard, taskIdFor } from '../../domain/routing/task-id.js';
import { acceptTask, completeTask } from '../../domain/routing/task-lifecycle.js';
import type { Task } from '../../domain/routing/task.js';
import { ConflictError } from '../../store/conflict-error.js';
import { readingFresh } from '../../store/partition-cache.js';
import { createStores, type Stores } from '../../store/stores.js';
import { ManualClock } from '../clock.js';
import { Dispatcher } from './dispatcher.js';
import { HOLD_REPAIR_AFTER_MS } from './hold-repair.js';
import { RoutingUnit } from './routing-unit.js';

const SHARDS = 4;
const ANN = asUserId('ann');
const TASK = taskIdFor(T, inShard('t1', serviceShard('hotline', SHARDS)));

describe('repairing a step cut between its two transactions (a tenant of 4 routing shards)', () => {
  let stores: Stores;
  let clock: ManualClock;
  let dispatcher: Dispatcher;

  /** Ann's row and the task's, as this instance reads them now from storage. */
  const now = () =>
    readingFresh(async () => {
      const unit = new RoutingUnit(stores, T);
      const ann = (await unit.agents([ANN])).get(ANN);
      return { unit, ann, task: await unit.task(TASK) };
    });

  /** Writes only a step's first transaction: Ann's new row (the people's partition). */
  async function annOnly(next: (ann: AgentState) => AgentState) {
    const { unit, ann } = await now();
    assert.ok(ann);
    await stores.commit(unit.agentWrites(next(ann.value), new Map([[ANN, ann]]), clock.now()));
  }

  /** Writes only a step's first transaction: the task's rows (its shard). */
  async function taskOnly(next: (task: Task) => Task) {
    const { unit, task } = await now();
    assert.ok(task);
    await stores.commit(unit.taskWrites(next(task.value), task, clock.now()));
  }

  const sweep = async (ms: number) => {
    await clock.advance(ms);
    await dispatcher.sweep([T]);
  };

  beforeEach(async () => {
    stores = createStores(IN_MEMORY.storage(uniquePrefix(), { maxStalenessMs: 60_000 }));
    clock = new ManualClock(NOW);
    // Quiet tenants are looked at through the feed alone: the repair must not wait for a full look.
    dispatcher = new Dispatcher({ stores, clock, fullLookEveryMs: 3_600_000 });
    await stores.tenants.insert(aTenant({ routingShards: SHARDS }));
    await stores.services.insert(aService('hotline'));
    await stores.memberships.insert(aMembership('hotline', 'ann'));
    await stores.routing.agents.insert(anAgent('ann'));
    await stores.commit([stores.routing.openTasks.insertOp(aTask(TASK))]);
  });

  /** The task offered to Ann and accepted by her, both transactions each time. */
  async function acceptedByAnn() {
    await dispatcher.run(T);
    const { unit, ann, task } = await now();
    assert.ok(ann && task);
    assert.deepEqual(task.value.offeredTo, [ANN], 'the run offered it to Ann');
    const accepted = acceptTask(task.value, new Map([[ANN, ann.value]]), ANN, clock.now());
    assert.ok(accepted.ok);
    await unit.commit(unit.stepWrites(accepted.value, task, new Map([[ANN, ann]]), clock.now()));
    return accepted.value.task;
  }

  it('frees someone rung for a task whose offer never committed, after the grace, and fences the task', async () => {
    // The offer's people part: Ann rings for the task (offline: nobody is offered it after).
    await annOnly((ann) => ({
      ...ann,
      presence: 'Offline',
      engagement: { kind: 'offered', taskId: TASK, serviceId: aTask(TASK).serviceId },
    }));
    const stalled = (await now()).task;
    assert.ok(stalled);
    await sweep(0);
    await sweep(HOLD_REPAIR_AFTER_MS - 1);
    assert.equal((await now()).ann?.value.engagement?.kind, 'offered', 'not before the grace');
    await sweep(1);
    const after = await now();
    assert.equal(after.ann?.value.engagement, null, 'free of the task that never rang for her');
    assert.equal(after.task?.value.state, 'Queued', 'the task still waits, untouched');
    const card = await stores.cards.outbox.pending(T, TASK, ANN);
    assert.ok(card, 'her card is redrawn');
    // The stalled instance's task write, decided before the repair, now fails.
    const offered: Task = { ...stalled.value, state: 'Offered', offeredTo: [ANN] };
    await assert.rejects(
      stores.commit([stores.routing.openTasks.replaceOp(offered, stalled.etag)]),
      ConflictError,
    );
  });

  it('makes someone hold a task accepted by them whose people part never committed', async () => {
    await dispatcher.run(T);
    const ringing = (await now()).task;
    assert.ok(ringing);
    await taskOnly((task) => ({
      ...task,
      state: 'Accepted',
      acceptedBy: ANN,
      acceptedAt: clock.now(),
      offerExpiresAt: null,
    }));
    assert.equal((await now()).ann?.value.engagement?.kind, 'offered');
    await sweep(HOLD_REPAIR_AFTER_MS);
    await sweep(HOLD_REPAIR_AFTER_MS);
    const ann = (await now()).ann?.value;
    assert.deepEqual(
      [ann?.engagement?.kind, ann?.engagement?.taskId],
      ['accepted', TASK],
      'she holds the task she accepted',
    );
  });

  it('moves someone on as a complete would have, when only the task part of it committed', async () => {
    const accepted = await acceptedByAnn();
    const { ann } = await now();
    assert.ok(ann);
    const endedAt = clock.now();
    const completed = completeTask(accepted, ann.value, endedAt);
    assert.ok(completed.ok);
    await taskOnly(() => completed.value.task);
    await sweep(HOLD_REPAIR_AFTER_MS);
    await sweep(HOLD_REPAIR_AFTER_MS);
    const after = (await now()).ann?.value;
    const expected = completed.value.agents[0];
    assert.ok(expected && after);
    assert.equal(after.engagement?.kind ?? null, expected.engagement?.kind ?? null);
    assert.notEqual(after.engagement?.kind, 'accepted', 'no longer busy with an ended task');
    assert.equal((await now()).task?.value.state, 'Completed', 'the task as it ended');
  });

  it('leaves a tenant of agreeing rows be', async () => {
    await acceptedByAnn();
    const before = await now();
    await sweep(HOLD_REPAIR_AFTER_MS);
    await sweep(HOLD_REPAIR_AFTER_MS);
    const after = await now();
    assert.equal(after.ann?.etag, before.ann?.etag, 'Ann untouched');
    assert.equal(after.task?.etag, before.task?.etag, 'the task not fenced');
  });
});
