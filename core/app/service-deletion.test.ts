// Deleting a service, in the unit tier (in-memory tables with the Azurite contracts).
import { strict as assert } from 'node:assert';
import { IN_MEMORY, uniquePrefix } from '../../test/table-accounts.js';
import { PEOPLE } from '../../test/demo-people.js';
import type { Identity } from '../domain/actor.js';
import { asServiceId, asTenantId, asUserId, type UserId } from '../domain/ids.js';
import type { Decision } from '../domain/refusal.js';
import type { Task } from '../domain/routing/task.js';
import { agentKey, doneTaskKey } from '../store/routing-rows.js';
import { createStores } from '../store/stores.js';
import { licensePoolKey } from '../store/table-license-pool-store.js';
import { serviceKey } from '../store/table-service-store.js';
import type { AppDeps } from './app-deps.js';
import { systemClock } from './clock.js';
import { DEMO } from './demo-tenant.js';
import { Dispatcher } from './routing/dispatcher.js';
import { accept, readTask } from './routing/task-actions.js';
import { createTask } from './routing/task-intake.js';
import { seedDemo } from './seed-demo.js';
import { deleteService, ENDED_BY_DELETION } from './service-deletion.js';
import { followTeamEvent } from './teams-roster.js';

const T = asTenantId(DEMO.tenant.id);
const HELPDESK = asServiceId('svc-it-helpdesk'); // Advanced Routing; Megan (owner), Adele, Isaiah
const [ALEX, MEGAN] = [PEOPLE.ALEX, PEOPLE.MEGAN].map(asUserId) as [UserId, UserId];
const as = (userId: UserId): Identity => ({ kind: 'user', tenantId: T, userId, groups: [] });
const SYSTEM: Identity = { kind: 'system' };

function ok<T>(decision: Decision<T>): T {
  if (!decision.ok) assert.fail(`refused: ${decision.refusal.message}`);
  return decision.value;
}

describe('deleting a service (unit)', () => {
  let deps: AppDeps;
  const used = async () =>
    (await deps.stores.licensePools.get(licensePoolKey(T, 'AdvancedRouting')))?.value.used;
  const exists = async () =>
    (await deps.stores.services.get(serviceKey(T, HELPDESK))) !== undefined;
  const newTask = async (subject: string) =>
    ok(await createTask(deps, SYSTEM, T, HELPDESK, { modality: 'Call', subject })).task;

  beforeEach(async () => {
    const stores = createStores(IN_MEMORY.storage(uniquePrefix()));
    const dispatcher = new Dispatcher({ stores, clock: systemClock });
    let n = 0;
    deps = {
      stores,
      clock: systemClock,
      newId: () => `id-${++n}`,
      distribution: { run: (t) => dispatcher.run(t), changed: (t) => dispatcher.changed(t) },
    };
    await seedDemo(stores, systemClock.now());
  });

  it('is for admins of the service’s OU, not its owners', async () => {
    const refused = await deleteService(deps, as(MEGAN), T, HELPDESK, { cancelOpenTasks: true });
    assert.ok(!refused.ok);
    assert.equal(refused.refusal.code, 'forbidden');
    assert.ok(await exists());
  });

  it('is refused while tasks are open unless the admin confirms, and then changes nothing', async () => {
    const first = await newTask('Printer on fire'); // offered to someone
    await newTask('VPN down');
    const before = await used();
    const refused = await deleteService(deps, as(ALEX), T, HELPDESK, { cancelOpenTasks: false });
    assert.ok(!refused.ok);
    assert.equal(refused.refusal.code, 'confirmation_required');
    assert.match(
      refused.refusal.message,
      /IT Helpdesk has 2 waiting tasks and 0 in someone’s hands/,
    );
    assert.ok(await exists());
    assert.equal(await used(), before);
    assert.equal(ok(await readTask(deps, SYSTEM, first.id)).state, 'Offered');
    ok(await createTask(deps, SYSTEM, T, HELPDESK, { modality: 'Im', subject: 'still open' }));
  });

  it('with confirmation cancels the waiting tasks, ends the ones in hand (freeing the person), then frees its license', async () => {
    const inHand = await newTask('Printer on fire');
    const taker = inHand.offeredTo[0];
    assert.ok(taker);
    ok(await accept(deps, as(taker), inHand.id));
    const waiting = await newTask('VPN down');
    const before = await used();
    const deleted = ok(await deleteService(deps, as(ALEX), T, HELPDESK, { cancelOpenTasks: true }));
    assert.deepEqual(deleted, {
      serviceId: HELPDESK,
      license: 'AdvancedRouting',
      canceled: 1,
      ended: 1,
    });
    assert.equal(await exists(), false);
    assert.equal(await used(), (before ?? 0) - 1, 'its license is back in the pool');
    assert.deepEqual(await deps.stores.memberships.list(T, `${HELPDESK}:`), []);
    // Their history stays (the service is gone, so it is read from storage).
    const done = async (id: Task['id']) =>
      (await deps.stores.routing.doneTasks.get(doneTaskKey(T, id)))?.value;
    assert.equal((await done(inHand.id))?.ending?.reason, ENDED_BY_DELETION);
    assert.equal((await done(waiting.id))?.state, 'Canceled');
    const agent = await deps.stores.routing.agents.get(agentKey(T, taker));
    assert.equal(
      agent?.value.engagement ?? null,
      null,
      'the person is free (no after-call work for an ended task)',
    );
    const gone = await createTask(deps, SYSTEM, T, HELPDESK, { modality: 'Call', subject: 'x' });
    assert.ok(!gone.ok);
    assert.equal(gone.refusal.code, 'not_found');
    // The team in Teams is untouched; the bot leaves its events alone from now on.
    assert.equal(await followTeamEvent(deps, T, 'team-it-helpdesk', { kind: 'archived' }), false);
  });

  it('takes no new task while it is being deleted (a deletion cut short), and finishes when asked again', async () => {
    const row = await deps.stores.services.get(serviceKey(T, HELPDESK));
    assert.ok(row);
    await deps.stores.services.replace(
      { ...row.value, deletingSince: systemClock.now() },
      row.etag,
    );
    const refused = await createTask(deps, SYSTEM, T, HELPDESK, { modality: 'Call', subject: 'x' });
    assert.ok(!refused.ok);
    assert.match(refused.refusal.message, /IT Helpdesk takes no new tasks: it is being deleted/);
    ok(await deleteService(deps, as(ALEX), T, HELPDESK, { cancelOpenTasks: false }));
    assert.equal(await exists(), false);
  });
});
