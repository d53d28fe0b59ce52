// The routing unit of work's rules with two instances on one account (see routing-unit.ts):
// run against Azurite (routing-unit.int.test.ts) and the in-memory tables
// (routing-unit.test.ts), each with every read going to storage and through the cache.
import { strict as assert } from 'node:assert';
import { aTenant, NOW, T } from '../../../test/builders.js';
import { uniquePrefix, type TestAccount } from '../../../test/table-accounts.js';
import { asServiceId, asUserId, type UserId } from '../../domain/ids.js';
import { instantOf, type Instant } from '../../domain/instant.js';
import { newAgentState, type AgentState } from '../../domain/routing/agent-state.js';
import { acceptTask, cancelTask, completeTask } from '../../domain/routing/task-lifecycle.js';
import { inShard, serviceShard, shardOfTask, taskIdFor } from '../../domain/routing/task-id.js';
import { queueShard } from '../../domain/routing/queue-state.js';
import { queuedTask, type Task } from '../../domain/routing/task.js';
import { allow, forbidden, refuse, type Decision } from '../../domain/refusal.js';
import type { CardNote } from '../../domain/routing/cards.js';
import { DEFAULT_SERVICE_SETTINGS } from '../../domain/service-settings.js';
import { ConflictError } from '../../store/conflict-error.js';
import { readingFresh } from '../../store/partition-cache.js';
import { createStores, type Stores } from '../../store/stores.js';
import { routingPartition } from '../../store/routing-rows.js';
import { routingOf } from '../../domain/routing/task.js';
import { RoutingUnit, routingStep } from './routing-unit.js';

const SERVICE = asServiceId('svc-1');
const ADA = asUserId('ada');
const GRACE = asUserId('grace');
/** The task of a tenant of `shards` routing shards: in its service's (shard 3 of 4, or 0). */
const taskIn = (shards: number, unique: string) =>
  taskIdFor(T, inShard(unique, serviceShard(SERVICE, shards)));
let TASK = taskIn(1, 'task-1');

const later = (at: Instant, seconds: number): Instant => instantOf(at + seconds * 1000);

const aQueuedTask = (): Task =>
  queuedTask({
    tenantId: T,
    id: TASK,
    serviceId: SERVICE,
    modality: 'Im',
    subject: 'Printer on fire',
    externalId: null,
    link: null,
    priority: 'Normal',
    exit: 'DirectAvailable',
    enqueuedAt: NOW,
    routing: routingOf(DEFAULT_SERVICE_SETTINGS.distribution),
  });

/** The task as an offer to one person rings, and that person ringing for it. */
function offered(task: Task, agent: AgentState): { task: Task; agent: AgentState } {
  return {
    task: {
      ...task,
      state: 'Offered',
      offeredTo: [agent.userId],
      offerExpiresAt: later(NOW, 30),
    },
    agent: { ...agent, engagement: { kind: 'offered', taskId: task.id, serviceId: SERVICE } },
  };
}

const agentsOf = (rows: ReadonlyMap<UserId, { value: AgentState }>) =>
  new Map([...rows].map(([id, row]) => [id, row.value]));

/** Offers the waiting task to Ada as a distribution run does: task, Ada, and the queue row. */
async function offerToAda(unit: RoutingUnit): Promise<void> {
  const index = await unit.index();
  const row = index.task(TASK);
  const agents = new Map(index.agents);
  const ada = agents.get(ADA)?.value;
  assert.ok(row && ada);
  const toAda = offered(row.value, ada);
  await unit.commit([
    ...unit.stepWrites({ ...toAda, agents: [toAda.agent] }, row, agents, NOW),
    unit.queueWrite(
      { tenantId: T, serviceId: SERVICE, roundRobin: { [ADA]: 1 }, ...queueShard(TASK) },
      index.queue(SERVICE)?.etag,
    ),
  ]);
}

/** The waiting task offered to Ada, and accepted by her. */
async function acceptedByAda(unit: RoutingUnit): Promise<void> {
  await offerToAda(unit);
  const ringing = await unit.task(TASK);
  const rows = await unit.agents([ADA]);
  assert.ok(ringing);
  const accepted = acceptTask(ringing.value, agentsOf(rows), ADA, NOW);
  assert.ok(accepted.ok);
  await unit.commit(unit.stepWrites(accepted.value, ringing, rows, NOW));
}

/** The routing rows as a step reads them, with their versions, fixed at the time of reading. */
async function read(unit: RoutingUnit) {
  const index = await unit.index();
  return {
    waiting: [...index.levels(SERVICE).values()].flatMap((level) => [...level].map((t) => t.id)),
    task: index.task(TASK),
    agents: new Map(index.agents),
  };
}

export function describeRoutingUnitContract(account: TestAccount, shards = 1): void {
  for (const cached of [false, true]) {
    const how = `${account.name}, ${cached ? 'reading through the cache' : 'reading storage'}${shards > 1 ? `, ${shards} routing shards: people in shard 0, the task in shard ${serviceShard(SERVICE, shards)}` : ''}`;
    describe(`the routing unit of work, two instances on one account (${how})`, () => {
      let a: Stores;
      let b: Stores;
      beforeEach(async () => {
        TASK = taskIn(shards, 'task-1');
        const prefix = uniquePrefix();
        const options = cached ? { maxStalenessMs: 60_000 } : {};
        a = createStores(account.storage(prefix, options));
        b = createStores(account.storage(prefix, options));
        if (shards > 1) await a.tenants.insert(aTenant({ routingShards: shards }));
        await a.routing.agents.insert(newAgentState(T, ADA, NOW));
        await a.routing.agents.insert(newAgentState(T, GRACE, NOW));
        await a.routing.openTasks.insert(aQueuedTask());
        // Both instances have seen the tenant's rows as they are now.
        await new RoutingUnit(a, T).index();
        await new RoutingUnit(b, T).index();
      });

      it('loads the routing state with its versions; of two instances deciding on them one commits, and nothing of the other is written', async () => {
        const [onA, onB] = [new RoutingUnit(a, T), new RoutingUnit(b, T)];
        const [loadedA, loadedB] = await Promise.all([read(onA), read(onB)]);
        assert.deepEqual(loadedA.waiting, [TASK]);
        assert.ok(loadedA.agents.get(ADA)?.etag, 'every row comes with its version');
        const row = loadedA.task;
        const rowB = loadedB.task;
        const ada = loadedA.agents.get(ADA)?.value;
        const grace = loadedB.agents.get(GRACE)?.value;
        assert.ok(row && rowB && ada && grace);
        const toAda = offered(row.value, ada);
        await onA.commit(
          onA.stepWrites({ ...toAda, agents: [toAda.agent] }, row, loadedA.agents, NOW),
        );
        const toGrace = offered(rowB.value, grace);
        await assert.rejects(
          onB.commit(
            onB.stepWrites({ ...toGrace, agents: [toGrace.agent] }, rowB, loadedB.agents, NOW),
          ),
          ConflictError,
        );
        const after = await new RoutingUnit(b, T).task(TASK);
        assert.deepEqual(after?.value.offeredTo, [ADA]);
        const graceNow = await b.routing.agents.list(T);
        assert.equal(
          graceNow.find((r) => r.value.userId === GRACE)?.value.engagement,
          null,
          'the losing offer rang nobody',
        );
      });

      /** Offers the task to Ada, then cancels it on instance a, giving her card `notes`. */
      async function cancelRinging(notes?: ReadonlyMap<UserId, CardNote>) {
        const unit = new RoutingUnit(a, T);
        await offerToAda(unit);
        const ringing = await unit.task(TASK);
        const agents = await unit.agents([ADA]);
        assert.ok(ringing);
        const canceled = cancelTask(ringing.value, agentsOf(agents), NOW);
        assert.ok(canceled.ok);
        await unit.commit(unit.stepWrites(canceled.value, ringing, agents, NOW, notes));
      }

      it('ends a task by moving it from open to done, its cards in the outbox, in one transaction', async () => {
        await cancelRinging();
        const onB = new RoutingUnit(b, T);
        await onB.refresh(); // reads may lag others' writes until checked
        assert.equal((await onB.task(TASK))?.value.state, 'Canceled');
        const home = routingPartition(T, shardOfTask(TASK));
        assert.deepEqual(await b.routing.openTasks.list(home), [], 'not open any more');
        assert.equal((await b.routing.doneTasks.list(home)).length, 1, 'done, once');
        const outbox = await b.cards.outbox.due(T, false, shards);
        assert.deepEqual(
          outbox.map((card) => card.userId),
          [ADA],
          'Ada’s card is to be redrawn',
        );
        assert.equal((await onB.agents([ADA])).get(ADA)?.value.engagement, null, 'Ada is free');
        assert.equal(outbox[0]?.note, null, 'nothing to say beyond what the task says');
      });

      it('marks a person’s card with the note the step gives them, in its transaction', async () => {
        await cancelRinging(new Map([[ADA, 'left']]));
        const [card] = await b.cards.outbox.due(T, false, shards);
        assert.deepEqual([card?.userId, card?.note], [ADA, 'left']);
        assert.equal((await b.cards.outbox.pending(T, TASK, ADA))?.note, 'left');
      });

      it('finds a task another instance created a moment ago', async () => {
        const id = taskIn(shards, 'task-2');
        await new RoutingUnit(a, T).commit([
          a.routing.openTasks.insertOp({ ...aQueuedTask(), id }),
        ]);
        assert.equal((await new RoutingUnit(b, T).task(id))?.value.id, id);
      });

      it('decides a refusal again on fresh reads when another instance changed the rows: an accept there, a complete here', async () => {
        // Ada accepts on instance A.
        await acceptedByAda(new RoutingUnit(a, T));
        // Her complete reaches instance B, which decides whether she holds the task.
        let runs = 0;
        const decided = await routingStep(b, T, async (unit): Promise<Decision<string>> => {
          runs++;
          const task = await unit.task(TASK);
          return task?.value.acceptedBy === ADA
            ? allow('hers')
            : refuse(forbidden('Only the person who accepted this task may complete it.'));
        });
        assert.deepEqual(decided, allow('hers'));
        assert.equal(runs, cached ? 2 : 1, 'decided again only when it read an old view');
      });

      it('keeps both a step’s change of a person and another instance’s change of them meanwhile (a complete here, a presence change there)', async () => {
        await acceptedByAda(new RoutingUnit(a, T));
        let runs = 0;
        const done = await routingStep(a, T, async (unit): Promise<Decision<string>> => {
          runs++;
          const task = await unit.task(TASK);
          const people = await unit.agents([ADA]);
          assert.ok(task);
          if (runs === 1)
            // Graph tells instance B that Ada went into a meeting, after A read her row.
            await routingStep(b, T, async (other) => {
              const mine = await other.agents([ADA]);
              const ada = mine.get(ADA)?.value;
              assert.ok(ada);
              await other.commit(
                other.agentWrites({ ...ada, presence: 'BusyInMeeting' }, mine, NOW),
              );
              return allow(null);
            });
          const completed = completeTask(task.value, people.get(ADA)?.value, later(NOW, 60));
          assert.ok(completed.ok);
          await unit.commit(unit.stepWrites(completed.value, task, people, later(NOW, 60)));
          return allow('completed');
        });
        assert.deepEqual(done, allow('completed'));
        const ada = (await readingFresh(() => new RoutingUnit(b, T).agents([ADA]))).get(ADA)?.value;
        assert.equal(ada?.presence, 'BusyInMeeting', 'the other instance’s change stays');
        assert.notEqual(ada?.engagement?.kind, 'accepted', 'the complete freed her of the task');
        const task = await readingFresh(() => new RoutingUnit(b, T).task(TASK));
        assert.equal(task?.value.state, 'Completed', 'completed once');
      });

      if (shards > 1)
        it('commits an offer run over two shards where it won, and frees whom the lost shard would have rung', async () => {
          // A second service in another shard, with a task of its own waiting.
          let other = asServiceId('svc-2');
          for (let i = 2; serviceShard(other, shards) === serviceShard(SERVICE, shards); i++)
            other = asServiceId(`svc-${i}`);
          const otherId = taskIdFor(T, inShard('task-3', serviceShard(other, shards)));
          await a.commit([
            a.routing.openTasks.insertOp({ ...aQueuedTask(), id: otherId, serviceId: other }),
          ]);
          const onA = new RoutingUnit(a, T);
          const index = await onA.index();
          const [first, second] = [index.task(TASK), index.task(otherId)];
          const agents = new Map(index.agents);
          const [ada, grace] = [agents.get(ADA)?.value, agents.get(GRACE)?.value];
          assert.ok(first && second && ada && grace);
          // Instance B cancels the second task while A plans.
          const onB = new RoutingUnit(b, T);
          const waiting = await onB.task(otherId);
          assert.ok(waiting);
          const canceled = cancelTask(waiting.value, new Map(), NOW);
          assert.ok(canceled.ok);
          await onB.commit([
            ...onB.stepWrites(canceled.value, waiting, new Map(), NOW),
            await onB.queueGuard(waiting),
          ]);
          const toAda = offered(first.value, ada);
          const toGrace = offered(second.value, grace);
          await assert.rejects(
            onA.commit([
              ...onA.stepWrites({ ...toAda, agents: [toAda.agent] }, first, agents, NOW),
              ...onA.stepWrites({ ...toGrace, agents: [toGrace.agent] }, second, agents, NOW),
            ]),
            ConflictError,
          );
          const people = await readingFresh(() => new RoutingUnit(b, T).agents([ADA, GRACE]));
          assert.equal(people.get(ADA)?.value.engagement?.kind, 'offered', 'Ada’s offer stands');
          assert.equal(people.get(GRACE)?.value.engagement, null, 'Grace rings for nothing');
          const tasks = await readingFresh(async () => {
            const unit = new RoutingUnit(b, T);
            return [await unit.task(TASK), await unit.task(otherId)];
          });
          assert.deepEqual(
            tasks.map((t) => t?.value.state),
            ['Offered', 'Canceled'],
          );
        });

      it('runs a step that lost a race again on fresh reads, so no write is lost', async () => {
        const bump = (stores: Stores) =>
          routingStep(stores, T, async (unit) => {
            const rows = await unit.agents([ADA]);
            const ada = rows.get(ADA)?.value;
            assert.ok(ada);
            const next = { ...ada, lastTaskEndedAt: later(ada.lastTaskEndedAt ?? NOW, 1) };
            await unit.commit(unit.agentWrites(next, rows, NOW));
            return allow(next);
          });
        const results = await Promise.all([bump(a), bump(b), bump(a), bump(b)]);
        assert.ok(results.every((r) => r.ok));
        const ada = await readingFresh(() => new RoutingUnit(b, T).agents([ADA]));
        assert.equal(ada.get(ADA)?.value.lastTaskEndedAt, later(NOW, 4), 'four steps, four bumps');
      });

      it('refuses to end a waiting task that another instance offered meanwhile (the queue row guards it)', async () => {
        const onB = new RoutingUnit(b, T);
        const waiting = await onB.task(TASK);
        assert.equal(waiting?.value.state, 'Queued');
        // Instance A offers it to Ada, rewriting the queue row as every offer does.
        await offerToAda(new RoutingUnit(a, T));
        // B cancels the task as it read it: waiting, nobody to free.
        const canceled = cancelTask(waiting.value, new Map(), NOW);
        assert.ok(canceled.ok);
        await assert.rejects(
          (async () =>
            onB.commit([
              ...onB.stepWrites(canceled.value, waiting, new Map(), NOW),
              await onB.queueGuard(waiting),
            ]))(),
          ConflictError,
        );
        assert.equal((await new RoutingUnit(a, T).task(TASK))?.value.state, 'Offered');
        const adaNow = (await new RoutingUnit(a, T).agents([ADA])).get(ADA)?.value;
        assert.equal(
          adaNow?.engagement?.kind,
          'offered',
          'Ada still rings for it, not for nothing',
        );
      });
    });
  }
}
