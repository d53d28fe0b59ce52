// Where a tenant's routing rows live when they spread over several shards (issue #20):
// keys, task ids, and the reads that gather a task's rows from its shard and shard 0.
import { strict as assert } from 'node:assert';
import { aTask, aTenant, NOW, T } from '../../test/builders.js';
import { STAMP_PREFIX } from './partition-cache.js';
import { IN_MEMORY, uniquePrefix } from '../../test/table-accounts.js';
import { asServiceId, asUserId } from '../domain/ids.js';
import { instantOf } from '../domain/instant.js';
import { newAgentState } from '../domain/routing/agent-state.js';
import {
  inShard,
  isValidTaskId,
  MAX_ROUTING_SHARDS,
  serviceShard,
  shardOfTask,
  shardsOf,
  taskIdFor,
} from '../domain/routing/task-id.js';
import { markCardOp } from './card-rows.js';
import { historySeq } from './history-rows.js';
import {
  agentKey,
  ROUTING_TABLE,
  openTaskKey,
  partitionOwner,
  queueKey,
  routingPartition,
} from './routing-rows.js';
import { createStores } from './stores.js';

const SERVICE = asServiceId('svc-1');
const ADA = asUserId('ada');

describe('routing shards', () => {
  it('puts a service in one of a tenant’s task shards (1..n), always the same, and every service in shard 0 of one', () => {
    for (const shards of [2, 4, MAX_ROUTING_SHARDS]) {
      const seen = new Set<number>();
      for (let i = 0; i < 200; i++) {
        const shard = serviceShard(`svc-${i}`, shards);
        assert.ok(shard >= 1 && shard <= shards);
        assert.equal(serviceShard(`svc-${i}`, shards), shard);
        seen.add(shard);
      }
      assert.equal(seen.size, shards, 'services spread over every shard');
    }
    assert.equal(serviceShard('svc-1', 1), 0);
    assert.deepEqual(shardsOf(1), [0]);
    assert.deepEqual(shardsOf(4), [0, 1, 2, 3, 4], 'people in 0, tasks in 1..4');
  });

  it('names a task’s shard in its id, and ids without one (all before shards) are in shard 0', () => {
    const id = taskIdFor(T, inShard('0abc-0001-deadbeef', 3));
    assert.ok(isValidTaskId(id));
    assert.equal(shardOfTask(id), 3);
    assert.equal(shardOfTask(taskIdFor(T, inShard('0abc-0001-deadbeef', 0))), 0);
    assert.equal(shardOfTask(taskIdFor(T, 'task-1')), 0);
    assert.equal(taskIdFor(T, inShard('x', 0)), taskIdFor(T, 'x'));
  });

  it('keeps shard 0 in the tenant’s own partition and the others beside it', () => {
    assert.equal(routingPartition(T, 0), T);
    assert.equal(routingPartition(T, 2), `${T}~2`);
    assert.deepEqual(partitionOwner(`${T}~2`), { tenantId: T, shard: 2 });
    assert.deepEqual(partitionOwner(T), { tenantId: T, shard: 0 });
    const task = taskIdFor(T, inShard('t', 2));
    assert.equal(openTaskKey(T, task).partitionKey, `${T}~2`);
    assert.equal(queueKey(T, SERVICE, 2).partitionKey, `${T}~2`);
    assert.equal(agentKey(T, ADA).partitionKey, T, 'people stay in the tenant’s partition');
  });

  it('forgets stopped instances’ stamps in every partition of a tenant on shards', async () => {
    const prefix = uniquePrefix();
    const stores = createStores(IN_MEMORY.storage(prefix));
    await stores.tenants.insert(aTenant({ routingShards: 4 }));
    const raw = await IN_MEMORY.storage(prefix).client(ROUTING_TABLE);
    for (const partitionKey of [T, routingPartition(T, 2), routingPartition(T, 4)])
      await raw.upsertEntity({
        partitionKey,
        rowKey: `${STAMP_PREFIX}stopped-long-ago`,
        writtenAt: Date.now() - 25 * 3600 * 1000,
      });
    assert.equal(await stores.forgetStaleStamps(T), 3);
  });

  describe('rows of a task in shard 2', () => {
    const id = taskIdFor(T, inShard('task-1', 2));
    const task = aTask(id, { serviceId: SERVICE });

    for (const cached of [false, true]) {
      it(`are written to and read from its shard, its tenant read back as the tenant (${cached ? 'cached' : 'storage'})`, async () => {
        const stores = createStores(
          IN_MEMORY.storage(uniquePrefix(), cached ? { maxStalenessMs: 60_000 } : {}),
        );
        await stores.routing.agents.insert(newAgentState(T, ADA, NOW));
        await stores.commit([stores.routing.openTasks.insertOp(task)]);
        await stores.commit([
          stores.routing.queues.insertOp({
            tenantId: T,
            serviceId: SERVICE,
            roundRobin: {},
            shard: 2,
          }),
        ]);
        assert.deepEqual(await stores.routing.openTasks.list(T), [], 'nothing in shard 0');
        const [row] = await stores.routing.openTasks.list(`${T}~2`);
        assert.equal(row?.value.tenantId, T);
        assert.equal(row?.value.id, id);
        const queue = await stores.routing.queues.get(queueKey(T, SERVICE, 2));
        assert.deepEqual(queue?.value, {
          tenantId: T,
          serviceId: SERVICE,
          roundRobin: {},
          shard: 2,
        });
        assert.equal((await stores.routing.agents.get(agentKey(T, ADA)))?.value.tenantId, T);
      });
    }

    it('keep its history and card marks where their steps wrote them, and a task’s reads gather both', async () => {
      const stores = createStores(IN_MEMORY.storage(uniquePrefix()));
      const step = (at: number) => ({ kind: 'completed' as const, at: instantOf(NOW + at) });
      const record = (at: number, shard?: number) => ({
        tenantId: T,
        taskId: id,
        serviceId: SERVICE,
        step: step(at),
        seq: historySeq(),
        ...(shard !== undefined && { shard }),
      });
      // A task's step in its shard; a person's (after-call work ending) in shard 0.
      await stores.commit([stores.history.insertOp(record(0, 2)), markCardOp(T, id, ADA, NOW)]);
      await stores.commit([
        stores.history.insertOp(record(5)),
        markCardOp(T, id, ADA, instantOf(NOW + 5), null, 0),
      ]);
      const history = await stores.history.ofTask(T, id);
      assert.deepEqual(
        history.map((r) => [r.step.at, r.shard ?? 0]),
        [
          [NOW, 2],
          [NOW + 5, 0],
        ],
      );
      assert.equal((await stores.history.all(T)).length, 1, 'one shard read: one row');
      assert.equal((await stores.history.all(T, 4)).length, 2, 'every shard read: both');
      const pending = await stores.cards.outbox.pending(T, id, ADA);
      assert.equal(pending?.rows.length, 2, 'both marks ask for the one card');
      assert.equal((await stores.cards.outbox.due(T, false, 4))[0]?.rows.length, 2);
      // Drawn, each mark goes from where it is.
      for (const r of pending?.rows ?? []) await stores.commit([stores.cards.outbox.drawnOp(r)]);
      assert.deepEqual(await stores.cards.outbox.due(T, false, 4), []);
    });
  });
});
