import { strict as assert } from 'node:assert';
import { DEMO } from '../../core/app/demo-tenant.js';
import { startTestApp, type TestApp } from '../../test/app-harness.js';
import { PEOPLE } from '../../test/demo-people.js';
import { demoCalls } from '../../test/demo-calls.js';

const T = DEMO.tenant.id;
const { ALEX, MEGAN, ADELE, ISAIAH } = PEOPLE;
// Members: Megan (owner), Adele, Isaiah; all Available. Isaiah holds no Email license.
const HELPDESK = 'svc-it-helpdesk';

describe('modality licenses decide who gets chats, e-mails and external tasks (CLOCK=manual)', () => {
  let app: TestApp;
  const { call, newTask, task } = demoCalls(() => app, HELPDESK);
  const presence = (userId: string, value: string) =>
    call(ALEX, 'PUT', `/tenants/${T}/users/${userId}/presence`, { presence: value });
  const licenses = async (op: 'assign' | 'remove', license: string, userId: string) => {
    const reply = await call(ALEX, 'POST', `/tenants/${T}/licenses/changes`, {
      changes: [{ op, license, userId }],
    });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
  };

  beforeEach(async () => {
    app = await startTestApp({ SEED: 'demo', CLOCK: 'manual' });
    // Only Isaiah is free to take a task.
    await presence(MEGAN, 'Offline');
    await presence(ADELE, 'Offline');
  });
  afterEach(() => app.stop());

  it('passes an e-mail by someone without the Email license, says so, and serves the call behind it', async () => {
    const mail = await newTask('Email', 'Invoice question');
    assert.equal(mail.state, 'Queued');
    assert.equal(mail.exit, 'InTimeAvailable', 'nobody free may take it now');
    const call1 = await newTask('Call', 'Printer');
    assert.deepEqual(
      [call1.state, call1.offeredTo],
      ['Offered', [ISAIAH]],
      'the e-mail holds up nothing',
    );
    const chat = await newTask('Im', 'Password reset');
    assert.equal(chat.state, 'Queued', 'Isaiah is busy with the call');
    await call(ISAIAH, 'POST', `/tasks/${call1.taskId}/decline`);
    // Declined: the call rings again for him, as the only one free; the e-mail still waits.
    assert.equal((await task(mail.taskId)).state, 'Queued');
    const skipped = (await task(mail.taskId)).decisions;
    assert.deepEqual(skipped, [], 'no decision: nobody was ever offered it');
    const mine = (await call(ISAIAH, 'GET', '/me/services')).body.find(
      (s: { serviceId: string }) => s.serviceId === HELPDESK,
    );
    assert.deepEqual(mine.missingLicenses, [{ modality: 'Email', license: 'Email' }]);
    const state = (await call(ISAIAH, 'GET', '/me/state')).body;
    assert.deepEqual(state.missingLicenses, [{ modality: 'Email', license: 'Email' }]);
  });

  it('offers the waiting e-mail as soon as an admin assigns the license, and records who lacked it', async () => {
    const mail = await newTask('Email', 'Invoice question');
    assert.equal(mail.state, 'Queued');
    await licenses('assign', 'Email', ISAIAH);
    const offered = await task(mail.taskId);
    assert.deepEqual([offered.state, offered.offeredTo], ['Offered', [ISAIAH]]);
    const board = (await call(MEGAN, 'GET', `/tenants/${T}/services/${HELPDESK}/members`)).body;
    const isaiah = board.members.find((m: { userId: string }) => m.userId === ISAIAH);
    assert.deepEqual(isaiah.missingLicenses, []);
  });

  it('records the license as the reason in the decision that passes someone by', async () => {
    await presence(ADELE, 'Available');
    const mail = await newTask('Email', 'Invoice question');
    const decision = (await task(mail.taskId)).decisions.at(-1);
    assert.deepEqual(decision.offeredTo, [ADELE]);
    const isaiah = decision.skipped.find((s: { userId: string }) => s.userId === ISAIAH);
    assert.deepEqual(isaiah.reasons, ['license']);
    const board = (await call(MEGAN, 'GET', `/tenants/${T}/services/${HELPDESK}/members`)).body;
    const member = board.members.find((m: { userId: string }) => m.userId === ISAIAH);
    assert.deepEqual(member.missingLicenses, [{ modality: 'Email', license: 'Email' }]);
  });

  it('stops offering chats to someone whose Instant Messaging license is removed; calls still come', async () => {
    await licenses('remove', 'InstantMessaging', ISAIAH);
    const chat = await newTask('Im', 'Password reset');
    assert.deepEqual([chat.state, chat.exit], ['Queued', 'InTimeAvailable']);
    const external = await newTask('ExternalTask', 'Ticket 42');
    assert.deepEqual([external.state, external.offeredTo], ['Offered', [ISAIAH]]);
  });

  it('withdraws a ringing chat from someone whose Instant Messaging license is removed; it waits again', async () => {
    const chat = await newTask('Im', 'Password reset');
    assert.deepEqual([chat.state, chat.offeredTo], ['Offered', [ISAIAH]]);
    await licenses('remove', 'InstantMessaging', ISAIAH);
    const after = await task(chat.taskId);
    assert.deepEqual([after.state, after.offeredTo], ['Queued', []]);
    const mine = (await call(ISAIAH, 'GET', '/me/state')).body;
    assert.equal(mine.engagement, null, 'he is free for calls again');
  });
});
