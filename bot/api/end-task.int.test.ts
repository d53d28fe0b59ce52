import { strict as assert } from 'node:assert';
import { DEMO } from '../../core/app/demo-tenant.js';
import { startTestApp, type TestApp } from '../../test/app-harness.js';
import { PEOPLE } from '../../test/demo-people.js';
import { until } from '../../test/until.js';
import { testStorage } from '../../test/azurite-fixture.js';
import { createStores } from '../../core/store/stores.js';
import { asTenantId } from '../../core/domain/ids.js';

const T = DEMO.tenant.id;
const { ALEX, MEGAN, ADELE, ISAIAH } = PEOPLE;
const HELPDESK = 'svc-it-helpdesk'; // Megan owns it; Adele and Isaiah are members

/** The way out of a task someone accepted and will never finish. */
describe('an owner or admin ends an accepted task', () => {
  let app: TestApp;
  const call = async (who: string, method: string, path: string, body?: unknown) =>
    app.call(method, path, {
      token: await app.token(who === 'system' ? { system: true } : { tenantId: T, userId: who }),
      body,
    });
  const newTask = (subject: string) =>
    call('system', 'POST', `/tenants/${T}/services/${HELPDESK}/tasks`, {
      modality: 'Call',
      subject,
    });
  /** A task Adele accepted, with Megan and Isaiah out of the way. */
  async function acceptedByAdele(): Promise<string> {
    for (const u of [MEGAN, ISAIAH])
      await call('system', 'PUT', `/tenants/${T}/users/${u}/presence`, { presence: 'Offline' });
    const created = await newTask('Printer on fire');
    assert.deepEqual(created.body.offeredTo, [ADELE]);
    const accepted = await call(ADELE, 'POST', `/tasks/${created.body.taskId}/accept`);
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
    return created.body.taskId as string;
  }

  beforeEach(async () => {
    app = await startTestApp({ SEED: 'demo', CLOCK: 'manual' });
  });
  afterEach(() => app.stop());

  it('keeps when it was accepted, and who ended it and why; the person is free at once for what waits', async () => {
    const taskId = await acceptedByAdele();
    const before = await call(ALEX, 'GET', `/tasks/${taskId}`);
    assert.ok(before.body.acceptedAt, 'the task says since when it is in hand');
    const waiting = await newTask('Next in line');
    assert.equal(waiting.body.state, 'Queued', 'Adele is busy');
    await app.call('POST', '/dev/clock', { body: { advanceMs: 3 * 3600_000 } });
    const ended = await call(MEGAN, 'POST', `/tasks/${taskId}/end`, {
      reason: 'Adele went home; the caller was called back',
    });
    assert.equal(ended.status, 200, JSON.stringify(ended.body));
    assert.equal(ended.body.state, 'Completed');
    assert.deepEqual(ended.body.endedBy, {
      userId: MEGAN,
      reason: 'Adele went home; the caller was called back',
    });
    assert.ok(Date.parse(ended.body.endedAt) - Date.parse(before.body.acceptedAt) >= 3 * 3600_000);
    const state = await call(ADELE, 'GET', '/me/state');
    assert.notEqual(
      state.body.engagement?.kind,
      'acw',
      'no after-call work for a task she did not end',
    );
    const next = await call(ALEX, 'GET', `/tasks/${waiting.body.taskId}`);
    assert.deepEqual(
      [next.body.state, next.body.offeredTo],
      ['Offered', [ADELE]],
      'what waited goes to her at once',
    );
  });

  it('a tenant admin may, a member may not, and nothing changes when refused', async () => {
    const taskId = await acceptedByAdele();
    const byMember = await call(ISAIAH, 'POST', `/tasks/${taskId}/end`, { reason: 'mine now' });
    assert.equal(byMember.status, 403, JSON.stringify(byMember.body));
    assert.equal((await call(ALEX, 'GET', `/tasks/${taskId}`)).body.state, 'Accepted');
    const byAdmin = await call(ALEX, 'POST', `/tasks/${taskId}/end`, {
      reason: 'stuck since Friday',
    });
    assert.equal(byAdmin.status, 200, JSON.stringify(byAdmin.body));
    assert.equal(byAdmin.body.endedBy.userId, ALEX);
  });

  it('asks for a reason, and refuses a task not in hand (cancel that instead)', async () => {
    const taskId = await acceptedByAdele();
    for (const body of [{}, { reason: '   ' }, { reason: 'x', extra: 1 }]) {
      const reply = await call(MEGAN, 'POST', `/tasks/${taskId}/end`, body);
      assert.equal(reply.status, 400, JSON.stringify(reply.body));
    }
    assert.equal((await call(ALEX, 'GET', `/tasks/${taskId}`)).body.state, 'Accepted');
    const waiting = await newTask('Nobody free');
    const refused = await call(MEGAN, 'POST', `/tasks/${waiting.body.taskId}/end`, {
      reason: 'no',
    });
    assert.equal(refused.status, 409, JSON.stringify(refused.body));
    assert.match(refused.body.error.message, /cancel it instead/);
  });

  it('the service page shows the task in hand, flags it past the usual handling time, and who may end it', async () => {
    const taskId = await acceptedByAdele();
    const board = async (who: string) =>
      (await call(who, 'GET', `/tenants/${T}/services/${HELPDESK}/members`)).body;
    const adeleOn = (b: { members: { userId: string; inHand: unknown }[] }) =>
      b.members.find((m) => m.userId === ADELE)?.inHand as {
        taskId: string;
        subject: string;
        acceptedAt: string | null;
        longerThanUsual: boolean;
      } | null;
    const now = await board(MEGAN);
    assert.equal(now.viewerMayEdit, true);
    assert.equal(now.usualHandlingMs, 3600_000, 'an hour while the service has no history');
    assert.deepEqual(
      { ...adeleOn(now), acceptedAt: Boolean(adeleOn(now)?.acceptedAt) },
      {
        taskId,
        subject: 'Printer on fire',
        modality: 'Call',
        acceptedAt: true,
        longerThanUsual: false,
      },
    );
    await app.call('POST', '/dev/clock', { body: { advanceMs: 3600_000 + 1000 } });
    assert.equal(adeleOn(await board(MEGAN))?.longerThanUsual, true);
    const member = await board(ISAIAH);
    assert.equal(member.viewerMayEdit, false);
    assert.equal(adeleOn(member)?.longerThanUsual, true, 'time in state is shown in the demo');
    const hidden = await call(ALEX, 'PATCH', `/tenants/${T}/settings`, {
      dataPrivacy: { showTimeInState: false },
    });
    assert.equal(hidden.status, 200, JSON.stringify(hidden.body));
    const private_ = adeleOn(await board(ISAIAH));
    assert.deepEqual(
      [private_?.subject, private_?.acceptedAt, private_?.longerThanUsual],
      ['Printer on fire', null, false],
    );
    assert.equal(adeleOn(await board(MEGAN))?.longerThanUsual, true, 'the owner still finds it');
  });

  it('takes the usual handling time from the service’s completed tasks', async () => {
    for (const u of [MEGAN, ISAIAH])
      await call('system', 'PUT', `/tenants/${T}/users/${u}/presence`, { presence: 'Offline' });
    const advance = (ms: number) => app.call('POST', '/dev/clock', { body: { advanceMs: ms } });
    for (let i = 0; i < 5; i++) {
      const created = await newTask(`Quick one ${i}`);
      assert.deepEqual(created.body.offeredTo, [ADELE], JSON.stringify(created.body));
      await call(ADELE, 'POST', `/tasks/${created.body.taskId}/accept`);
      await advance(2 * 60_000);
      assert.equal(
        (await call(ADELE, 'POST', `/tasks/${created.body.taskId}/complete`)).status,
        200,
      );
      await advance(3600_000); // past any after-call work
    }
    const slow = await newTask('The slow one');
    await call(ADELE, 'POST', `/tasks/${slow.body.taskId}/accept`);
    await advance(3 * 60_000);
    const boardNow = async () =>
      (await call(MEGAN, 'GET', `/tenants/${T}/services/${HELPDESK}/members`)).body;
    // From reporting's tallies, which count each step within seconds of it.
    await until(
      'the completed tasks counted',
      async () => (await boardNow()).usualHandlingMs !== 3600_000,
    );
    // Read from the tallies alone, never from the ended tasks (a busy tenant keeps millions).
    const stores = createStores(testStorage(app.prefix));
    const ended = (
      await Promise.all(
        (await stores.routingPartitions(asTenantId(T))).map((p) =>
          stores.routing.doneTasks.list(p),
        ),
      )
    ).flat();
    assert.equal(ended.length, 5);
    await stores.commit(
      ended.map((t) => stores.routing.doneTasks.deleteOp(stores.routing.doneTasks.keyOf(t.value))),
    );
    const board = await boardNow();
    assert.equal(board.usualHandlingMs, 2 * 60_000);
    const adele = board.members.find((m: { userId: string }) => m.userId === ADELE);
    assert.equal(adele.inHand.longerThanUsual, true);
  });
});
