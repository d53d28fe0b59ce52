// The routing use cases with two instances on one account, in the unit tier: both keep the
// tenant in memory with reads up to a minute old, on the in-memory tables (which keep the
// same contracts as Azurite; see core/store/memory-tables.test.ts). What works here works
// because the unit of work's rules hold, not because a read happened to be fresh.
import { strict as assert } from 'node:assert';
import { uniquePrefix, IN_MEMORY } from '../../../test/table-accounts.js';
import { PEOPLE } from '../../../test/demo-people.js';
import type { Identity } from '../../domain/actor.js';
import { asServiceId, asTenantId, asUserId, type UserId } from '../../domain/ids.js';
import type { Decision } from '../../domain/refusal.js';
import { agentKey } from '../../store/routing-rows.js';
import { serviceShard, shardOfTask } from '../../domain/routing/task-id.js';
import { createStores, type Stores } from '../../store/stores.js';
import type { AppDeps } from '../app-deps.js';
import { systemClock } from '../clock.js';
import { DEMO } from '../demo-tenant.js';
import { seedDemo } from '../seed-demo.js';
import { Dispatcher } from './dispatcher.js';
import { setPresence } from './me-actions.js';
import { accept, cancel, complete, readTask } from './task-actions.js';
import { createTask } from './task-intake.js';
import { readingFresh } from '../../store/partition-cache.js';

const T = asTenantId(DEMO.tenant.id);
const HELPDESK = asServiceId('svc-it-helpdesk'); // members: Megan (owner), Adele, Isaiah
const [MEGAN, ADELE, ISAIAH] = [PEOPLE.MEGAN, PEOPLE.ADELE, PEOPLE.ISAIAH].map(asUserId) as [
  UserId,
  UserId,
  UserId,
];
const SYSTEM: Identity = { kind: 'system' };
const person = (userId: UserId): Identity => ({ kind: 'user', tenantId: T, userId, groups: [] });

let ids = 0;
function instance(prefix: string): AppDeps {
  const stores = createStores(IN_MEMORY.storage(prefix, { maxStalenessMs: 60_000 }));
  const dispatcher = new Dispatcher({ stores, clock: systemClock });
  return {
    stores,
    clock: systemClock,
    newId: () => `id-${++ids}`,
    distribution: { run: (t) => dispatcher.run(t), changed: (t) => dispatcher.changed(t) },
  };
}

function ok<T>(decision: Decision<T>): T {
  if (!decision.ok) assert.fail(`refused: ${decision.refusal.message}`);
  return decision.value;
}

for (const shards of [1, 4])
  describe(`two instances keeping the tenant in memory (use cases, in memory${shards > 1 ? `, ${shards} routing shards` : ''})`, () => {
    let first: AppDeps;
    let second: AppDeps;
    const storage = (deps: AppDeps): Stores => deps.stores;

    beforeEach(async () => {
      const prefix = uniquePrefix();
      first = instance(prefix);
      second = instance(prefix);
      await seedDemo(first.stores, systemClock.now(), shards);
      // Both have read the tenant before anything below happens.
      for (const deps of [first, second]) await deps.distribution.run(T);
    });

    const create = async (deps: AppDeps, subject: string) =>
      ok(await createTask(deps, person(MEGAN), T, HELPDESK, { modality: 'Call', subject })).task;

    it('reads on one instance a task the other created a moment ago', async () => {
      const task = await create(first, 'created on the first');
      assert.equal(ok(await readTask(second, person(MEGAN), task.id)).id, task.id);
      assert.equal(shardOfTask(task.id), serviceShard(HELPDESK, shards), 'in its service’s shard');
      if (shards > 1) assert.notEqual(shardOfTask(task.id), 0, 'not with people');
    });

    it('completes on one instance a task accepted on the other (no one left busy)', async () => {
      const task = await create(first, 'accept here, complete there');
      const [ringing] = task.offeredTo;
      assert.ok(ringing);
      ok(await accept(first, person(ringing), task.id));
      const done = ok(await complete(second, person(ringing), task.id));
      assert.equal(done.state, 'Completed');
      const agent = await readingFresh(() =>
        storage(first).routing.agents.get(agentKey(T, ringing)),
      );
      assert.notEqual(agent?.value.engagement?.kind, 'accepted', 'not left busy');
    });

    it('cancels a task one instance saw waiting while the other offered it: nobody left ringing', async () => {
      for (const id of [MEGAN, ADELE, ISAIAH])
        ok(await setPresence(first, SYSTEM, T, id, 'Offline'));
      const task = await create(first, 'waiting');
      assert.equal(ok(await readTask(second, person(MEGAN), task.id)).state, 'Queued');
      ok(await setPresence(first, SYSTEM, T, ADELE, 'Available'));
      assert.deepEqual(ok(await readTask(first, person(MEGAN), task.id)).offeredTo, [ADELE]);
      assert.equal(ok(await cancel(second, person(MEGAN), task.id)).state, 'Canceled');
      const adele = await readingFresh(() => storage(first).routing.agents.get(agentKey(T, ADELE)));
      assert.equal(adele?.value.engagement, null);
    });

    it('offers a task queued on one instance when someone becomes available on the other', async () => {
      for (const id of [MEGAN, ADELE, ISAIAH])
        ok(await setPresence(first, SYSTEM, T, id, 'Offline'));
      const task = await create(first, 'nobody there');
      assert.equal(task.state, 'Queued');
      ok(await setPresence(second, SYSTEM, T, ADELE, 'Available'));
      const seen = ok(await readTask(second, person(MEGAN), task.id));
      assert.deepEqual([seen.state, seen.offeredTo], ['Offered', [ADELE]]);
    });
  });
