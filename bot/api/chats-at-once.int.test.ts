import { strict as assert } from 'node:assert';
import { DEMO } from '../../core/app/demo-tenant.js';
import { startTestApp, type TestApp } from '../../test/app-harness.js';
import { PEOPLE } from '../../test/demo-people.js';
import { demoCalls } from '../../test/demo-calls.js';

const T = DEMO.tenant.id;
const { ALEX, MEGAN, ADELE, ISAIAH } = PEOPLE;
// Members: Megan (owner), Adele, Isaiah; all hold Instant Messaging.
const HELPDESK = 'svc-it-helpdesk';

describe('chats at once: someone holding chats gets further chats up to the service’s number (CLOCK=manual)', () => {
  let app: TestApp;
  const { call, newTask, task } = demoCalls(() => app, HELPDESK);
  const act = async (who: string, taskId: string, verb: string) => {
    const reply = await call(who, 'POST', `/tasks/${taskId}/${verb}`);
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
  };
  const ringingFor = async (taskId: string) => {
    const t = await task(taskId);
    return t.state === 'Offered' ? t.offeredTo : t.state;
  };
  const settings = (who: string, chatsAtOnce: unknown) =>
    call(who, 'PATCH', `/tenants/${T}/services/${HELPDESK}/settings`, {
      distribution: { chatsAtOnce },
    });
  const helpdesk = async (who: string) =>
    (await call(who, 'GET', '/me/services')).body.find(
      (s: { serviceId: string }) => s.serviceId === HELPDESK,
    );

  beforeEach(async () => {
    app = await startTestApp({ SEED: 'demo', CLOCK: 'manual' });
    // Only Isaiah is free to take a task.
    for (const who of [MEGAN, ADELE])
      await call(ALEX, 'PUT', `/tenants/${T}/users/${who}/presence`, { presence: 'Offline' });
  });
  afterEach(() => app.stop());

  it('keeps today’s rule at one: a chat held makes the person busy for everything', async () => {
    assert.equal((await helpdesk(ISAIAH)).chatsAtOnce, 1, 'the default');
    const first = await newTask('Im', 'Password reset');
    await act(ISAIAH, first.taskId, 'accept');
    const second = await newTask('Im', 'VPN');
    assert.equal(second.state, 'Queued');
    const mine = await helpdesk(ISAIAH);
    assert.deepEqual([mine.available, mine.reasons], [false, ['busyElsewhere']]);
  });

  it('offers further chats while someone holds fewer than allowed, a call only when they hold none', async () => {
    const set = await settings(MEGAN, 2);
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.equal(set.body.settings.distribution.chatsAtOnce, 2);
    const chat1 = await newTask('Im', 'Password reset');
    const chat2 = await newTask('Im', 'VPN');
    assert.deepEqual(await ringingFor(chat1.taskId), [ISAIAH]);
    assert.equal(chat2.state, 'Queued', 'one invitation at a time');
    await act(ISAIAH, chat1.taskId, 'accept');
    // Taking a chat leaves room for one more: the waiting chat rings for him at once.
    assert.deepEqual(await ringingFor(chat2.taskId), [ISAIAH]);
    await act(ISAIAH, chat2.taskId, 'accept');
    const state = (await call(ISAIAH, 'GET', '/me/state')).body;
    assert.equal(state.engagement, null);
    assert.deepEqual(
      state.chats.map((c: { taskId: string }) => c.taskId),
      [chat1.taskId, chat2.taskId],
    );

    const chat3 = await newTask('Im', 'Printer');
    const phone = await newTask('Call', 'Laptop');
    assert.deepEqual([chat3.state, phone.state], ['Queued', 'Queued']);
    const full = await helpdesk(ISAIAH);
    assert.deepEqual([full.available, full.reasons], [false, ['chats']]);
    const board = (await call(MEGAN, 'GET', `/tenants/${T}/services/${HELPDESK}/members`)).body;
    const isaiah = board.members.find((m: { userId: string }) => m.userId === ISAIAH);
    assert.equal(board.chatsAtOnce, 2);
    assert.equal(isaiah.inHand.taskId, chat1.taskId, 'the one held longest');
    assert.equal(isaiah.agent.chats.length, 2);

    // Ending one frees a place for a chat, not for the call (he still holds a chat).
    await act(ISAIAH, chat1.taskId, 'complete');
    assert.deepEqual(await ringingFor(chat3.taskId), [ISAIAH]);
    assert.equal((await task(phone.taskId)).state, 'Queued');
    await act(ISAIAH, chat3.taskId, 'accept');
    await act(ISAIAH, chat2.taskId, 'complete');
    assert.equal((await task(phone.taskId)).state, 'Queued', 'a chat is still held');
    await act(ISAIAH, chat3.taskId, 'complete');
    assert.deepEqual(await ringingFor(phone.taskId), [ISAIAH]);
    const done = (await call(ISAIAH, 'GET', '/me/state')).body;
    assert.deepEqual(done.chats, []);
  });

  it('counts the chats held in every service against each service’s own number', async () => {
    assert.equal((await settings(MEGAN, 3)).status, 200);
    const chat1 = await newTask('Im', 'Password reset');
    await act(ISAIAH, chat1.taskId, 'accept');
    // Back at one, the chat he holds fills his only place.
    assert.equal((await settings(MEGAN, 1)).status, 200);
    const chat2 = await newTask('Im', 'VPN');
    assert.equal(chat2.state, 'Queued');
    assert.equal((await settings(MEGAN, 2)).status, 200);
    assert.deepEqual(await ringingFor(chat2.taskId), [ISAIAH], 'a new number counts at once');
  });

  it('refuses a number outside 1 to 5 with the field named, and changes nothing', async () => {
    for (const bad of [0, 6, 2.5, '2', null]) {
      const reply = await settings(MEGAN, bad);
      assert.equal(reply.status, 400, `${JSON.stringify(bad)}: ${JSON.stringify(reply.body)}`);
      assert.ok(
        JSON.stringify(reply.body).includes('chatsAtOnce'),
        `the field is named: ${JSON.stringify(reply.body)}`,
      );
    }
    assert.equal((await helpdesk(ISAIAH)).chatsAtOnce, 1);
    const member = await settings(ISAIAH, 2);
    assert.equal(member.status, 403, 'a member changes no service settings');
  });
});
