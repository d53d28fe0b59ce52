import { strict as assert } from 'node:assert';
import { SignJWT } from 'jose';
import { DEMO } from '../../core/app/demo-tenant.js';
import { startTestApp, type TestApp } from '../../test/app-harness.js';
import { PEOPLE } from '../../test/demo-people.js';
import { testStorage } from '../../test/azurite-fixture.js';
import { createStores } from '../../core/store/stores.js';
import { asTenantId } from '../../core/domain/ids.js';
import { randomUUID } from 'node:crypto';
import { ActivityTypes, TestAdapter, type Activity } from 'botbuilder';
import { systemClock } from '../../core/app/clock.js';
import { Dispatcher } from '../../core/app/routing/dispatcher.js';
import { ServiceRoutingBot } from '../teams/service-routing-bot.js';

const T = DEMO.tenant.id;
const { ALEX, MEGAN, ADELE, ISAIAH } = PEOPLE;
const HELPDESK = 'svc-it-helpdesk'; // members: Megan (owner), Adele, Isaiah; all Available

interface ChatView {
  chat: string;
  state: string;
  position?: number;
  beyond?: boolean;
  agentName?: string;
  how?: string;
  messages: { key: string; from: string; text: string }[];
}

/** Website chat end to end through the API: the customer's side public, the agent's with a token. */
describe('website chat (Interact) through the API (CLOCK=manual)', () => {
  let app: TestApp;
  let widgetKey = '';
  const call = async (who: string, method: string, path: string, body?: unknown) =>
    app.call(method, path, { token: await app.token({ tenantId: T, userId: who }), body });
  const anonymous = (path: string, body: unknown) => app.call('POST', path, { body });
  const start = (name: string, over: object = {}) =>
    anonymous('/interact/chats', { widgetKey, serviceId: HELPDESK, name, ...over });
  const poll = async (chat: string, after?: string) =>
    (await anonymous('/interact/chats/poll', { chat, ...(after && { after }) })).body as ChatView;
  const presence = (userId: string, value: string) =>
    call(ALEX, 'PUT', `/tenants/${T}/users/${userId}/presence`, { presence: value });
  const taskOf = async (taskIdFrom: string) =>
    (await call(ALEX, 'GET', `/tasks/${taskIdFrom}`)).body;
  const offersOf = async (userId: string) =>
    (await call(userId, 'GET', '/me/offers')).body as { taskId: string; subject: string }[];
  const advance = (ms: number) => app.call('POST', '/dev/clock', { body: { advanceMs: ms } });

  beforeEach(async () => {
    app = await startTestApp({ SEED: 'demo', CLOCK: 'manual' });
    const ok = (reply: { status: number; body: unknown }) =>
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
    ok(await call(ALEX, 'PATCH', `/tenants/${T}/settings`, { interact: { enabled: true } }));
    ok(
      await call(ALEX, 'PUT', `/tenants/${T}/services/${HELPDESK}/license`, {
        license: 'EnterpriseRouting',
      }),
    );
    ok(
      await call(ALEX, 'PATCH', `/tenants/${T}/services/${HELPDESK}/settings`, {
        extensions: { interact: true },
      }),
    );
    widgetKey = (await call(ALEX, 'GET', `/tenants/${T}/interact/keys`)).body.widgetKey;
  });
  afterEach(() => app.stop());

  it('a customer reaches a free agent, and they talk both ways; the end closes it for both', async () => {
    const started = await start('Ann Customer');
    assert.equal(started.status, 201, JSON.stringify(started.body));
    const chat = (started.body as ChatView).chat;
    // The chat rang Megan (longest idle) as an Im task of the interact channel.
    const [offer] = await offersOf(MEGAN);
    assert.ok(offer, 'offered to Megan');
    assert.equal(offer.subject, 'Website chat with Ann Customer');
    const said = await anonymous('/interact/chats/messages', {
      chat,
      text: 'My printer is on fire',
    });
    assert.equal(said.status, 201);
    assert.equal((await call(MEGAN, 'POST', `/tasks/${offer.taskId}/accept`)).status, 200);
    const connected = await poll(chat);
    assert.deepEqual([connected.state, connected.agentName], ['connected', 'Megan Bowen']);
    const reply = await call(MEGAN, 'POST', `/tasks/${offer.taskId}/chat/messages`, {
      text: 'Please step away from it.',
    });
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    const seen = await poll(chat, connected.messages.at(-1)?.key);
    assert.deepEqual(
      seen.messages.map((m) => [m.from, m.text]),
      [['agent', 'Please step away from it.']],
      'only the lines after the last one the page had',
    );
    const transcript = (await call(MEGAN, 'GET', `/tasks/${offer.taskId}/chat`)).body;
    assert.deepEqual(
      transcript.messages.map((m: { from: string; text: string }) => [m.from, m.text]),
      [
        ['customer', 'My printer is on fire'],
        ['agent', 'Please step away from it.'],
      ],
    );
    assert.equal(transcript.customerName, 'Ann Customer');
    assert.equal((await call(MEGAN, 'POST', `/tasks/${offer.taskId}/complete`)).status, 200);
    const ended = await poll(chat);
    assert.deepEqual([ended.state, ended.how], ['ended', 'agent']);
    const late = await anonymous('/interact/chats/messages', { chat, text: 'hello?' });
    assert.equal(late.status, 409, 'the customer cannot write into an ended chat');
    const agentLate = await call(MEGAN, 'POST', `/tasks/${offer.taskId}/chat/messages`, {
      text: 'bye',
    });
    assert.equal(agentLate.status, 409);
  });

  it('a waiting customer sees their place in the queue; leaving cancels the waiting chat', async () => {
    for (const who of [MEGAN, ADELE, ISAIAH]) await presence(who, 'Offline');
    const first = (await start('First')).body as ChatView;
    const second = (await start('Second')).body as ChatView;
    assert.deepEqual([first.state, first.position, first.beyond], ['waiting', 1, false]);
    assert.deepEqual([second.state, second.position], ['waiting', 2]);
    assert.equal((await anonymous('/interact/chats/leave', { chat: first.chat })).status, 200);
    assert.deepEqual((await poll(first.chat)).state, 'ended');
    assert.deepEqual((await poll(second.chat)).position, 1, 'the second moves up');
  });

  it('after the recovery timeout, a waiting chat is canceled and a taken one is marked "customer left"', async () => {
    await presence(ADELE, 'Offline');
    await presence(ISAIAH, 'Offline');
    const taken = (await start('Taken')).body as ChatView;
    const [offer] = await offersOf(MEGAN);
    assert.ok(offer);
    await call(MEGAN, 'POST', `/tasks/${offer.taskId}/accept`);
    const waiting = (await start('Waiting')).body as ChatView;
    assert.equal(waiting.state, 'waiting');
    const queue = async () =>
      (await call(ALEX, 'GET', `/tenants/${T}/services/${HELPDESK}/queue`)).body.items as unknown[];
    const transcript = async () => (await call(MEGAN, 'GET', `/tasks/${offer.taskId}/chat`)).body;
    /** Waits for the chat sweep (every 2 s of real time) to have done what `done` looks for. */
    const eventually = async (done: () => Promise<boolean>) => {
      while (!(await done())) await new Promise((resolve) => setTimeout(resolve, 50));
    };
    assert.equal((await queue()).length, 1);
    // Within the timeout a page that asks (a reload does) keeps its chat.
    await advance(15_000);
    assert.equal((await poll(taken.chat)).state, 'connected');
    await advance(10_000); // the waiting page was last seen 25 s ago, the taken one 10 s ago
    await eventually(async () => (await queue()).length === 0);
    assert.equal((await transcript()).leftHow, null, 'the taken chat is still there');
    await advance(15_000);
    await eventually(async () => (await transcript()).leftHow === 'timeout');
    assert.deepEqual(
      [(await poll(waiting.chat)).state, (await poll(waiting.chat)).how],
      ['ended', 'timeout'],
    );
    assert.equal((await taskOf(offer.taskId)).state, 'Accepted', 'the agent ends it themselves');
    const agentWrites = await call(MEGAN, 'POST', `/tasks/${offer.taskId}/chat/messages`, {
      text: 'still there?',
    });
    assert.equal(agentWrites.status, 409);
    assert.match(agentWrites.body.error.message, /Taken has left the chat/);
  });

  it('refuses a wrong or refreshed widget key, a service without Interact, and chat switched off', async () => {
    const wrong = await start('Eve', { widgetKey: `wk~${T}~not-the-key-at-all` });
    assert.equal(wrong.status, 403);
    assert.match(wrong.body.error.message, /widget key is not valid/);
    await call(ALEX, 'POST', `/tenants/${T}/interact/keys`, { refresh: 'widgetKey' });
    const stale = await start('Eve');
    assert.equal(stale.status, 403, 'the old key stops at once');
    widgetKey = (await call(ALEX, 'GET', `/tenants/${T}/interact/keys`)).body.widgetKey;
    assert.equal((await start('Eve')).status, 201);
    const vip = await start('Eve', { serviceId: 'svc-vip-sales' });
    assert.equal(vip.status, 403);
    assert.match(vip.body.error.message, /does not take website chats/);
    await call(ALEX, 'PATCH', `/tenants/${T}/settings`, { interact: { enabled: false } });
    const off = await start('Eve');
    assert.equal(off.status, 403);
    assert.match(off.body.error.message, /switched off/);
    const garbage = await anonymous('/interact/chats/poll', { chat: 'a~b~c' });
    assert.equal(garbage.status, 404);
  });

  it('with Verify token, only a token the website signed with the token secret starts a chat', async () => {
    await call(ALEX, 'PATCH', `/tenants/${T}/settings`, {
      interact: { authorization: 'VerifyToken' },
    });
    const { tokenSecret } = (await call(ALEX, 'GET', `/tenants/${T}/interact/keys`)).body;
    const sign = (secret: string) =>
      new SignJWT({ name: 'Signed Sam' })
        .setProtectedHeader({ alg: 'HS256' })
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(secret));
    assert.equal((await start('Sam')).status, 403, 'no token');
    assert.equal(
      (await start('Sam', { token: await sign('another-secret-entirely') })).status,
      403,
    );
    const signed = await anonymous('/interact/chats', {
      widgetKey,
      serviceId: HELPDESK,
      token: await sign(tokenSecret),
    });
    assert.equal(signed.status, 201, JSON.stringify(signed.body));
    assert.equal(signed.body.customerName, 'Signed Sam', 'the name the website vouched for');
  });

  it('keeps customer text as text, bounds its size, and limits how fast a chat may write', async () => {
    const chat = ((await start('<b>Mallory</b>')).body as ChatView).chat;
    const script = '<script>alert(1)</script> **bold** [link](https://evil.example)';
    assert.equal((await anonymous('/interact/chats/messages', { chat, text: script })).status, 201);
    assert.equal((await poll(chat)).messages[0]?.text, script, 'kept as written, shown as text');
    const long = await anonymous('/interact/chats/messages', { chat, text: 'x'.repeat(2001) });
    assert.equal(long.status, 400);
    const empty = await anonymous('/interact/chats/messages', { chat, text: '   ' });
    assert.equal(empty.status, 400);
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++)
      statuses.push((await anonymous('/interact/chats/messages', { chat, text: `#${i}` })).status);
    assert.ok(statuses.includes(429), `rate-limited: ${statuses.join(',')}`);
    const transcript = (await poll(chat)).messages;
    assert.ok(transcript.length <= 20, 'refused lines are not kept');
  });

  it('keeps the transcript for the agent, the owners and admins; without share PII only the agent reads the name', async () => {
    await presence(MEGAN, 'Offline');
    const chat = ((await start('Ann Customer')).body as ChatView).chat;
    await anonymous('/interact/chats/messages', { chat, text: 'Hello' });
    const [offer] = await offersOf(ADELE);
    assert.ok(offer);
    await call(ADELE, 'POST', `/tasks/${offer.taskId}/accept`);
    const read = async (who: string) => call(who, 'GET', `/tasks/${offer.taskId}/chat`);
    assert.equal((await read(ADELE)).body.customerName, 'Ann Customer', 'the agent who talked');
    const owner = await read(MEGAN);
    assert.equal(owner.status, 200);
    assert.match(owner.body.customerName, /^Customer \w{6}$/, 'a pseudonym without share PII');
    assert.deepEqual(
      owner.body.messages.map((m: { text: string }) => m.text),
      ['Hello'],
    );
    assert.equal((await read(ISAIAH)).status, 403, 'a member who did not take it');
    const operator = await app.token({ system: true });
    const pii = await app.call('PATCH', `/tenants/${T}/settings`, {
      token: operator,
      body: { dataPrivacy: { sharePii: true } },
    });
    assert.equal(pii.status, 200, JSON.stringify(pii.body));
    assert.equal((await read(MEGAN)).body.customerName, 'Ann Customer');
  });

  it('purges a chat’s transcript with its task after the retention time', async () => {
    const chat = ((await start('Ann Customer')).body as ChatView).chat;
    await anonymous('/interact/chats/messages', { chat, text: 'Hello' });
    await anonymous('/interact/chats/leave', { chat });
    const stores = createStores(testStorage(app.prefix));
    const rows = async () => [
      ...(await stores.interact.sessions.list(asTenantId(T))),
      ...(await stores.interact.messages.list(asTenantId(T))),
    ];
    assert.equal((await rows()).length, 2);
    await advance(89 * 24 * 3600 * 1000);
    assert.equal((await rows()).length, 2, 'kept within the retention time');
    await advance(2 * 24 * 3600 * 1000);
    assert.deepEqual(await rows(), []);
  });

  it('offers a website chat only to people holding Interact, and tells the others why', async () => {
    await presence(MEGAN, 'Offline');
    await presence(ADELE, 'Offline');
    const removed = await call(ALEX, 'POST', `/tenants/${T}/licenses/changes`, {
      changes: [{ op: 'remove', license: 'Interact', userId: ISAIAH }],
    });
    assert.equal(removed.status, 200, JSON.stringify(removed.body));
    const chat = (await start('Ann Customer')).body as ChatView;
    assert.equal(chat.state, 'waiting', 'Isaiah is free, but holds no Interact');
    assert.deepEqual(await offersOf(ISAIAH), []);
    const mine = (await call(ISAIAH, 'GET', '/me/state')).body;
    assert.deepEqual(mine.missingLicenses, [
      { modality: 'Email', license: 'Email' },
      { modality: 'Im', license: 'Interact', channel: 'interact' },
    ]);
    // A chat through the API (not a website chat) needs Instant Messaging only: it rings him.
    const plain = await call(ALEX, 'POST', `/tenants/${T}/services/${HELPDESK}/tasks`, {
      modality: 'Im',
      subject: 'Internal chat',
    });
    assert.deepEqual(plain.body.offeredTo, [ISAIAH]);
  });

  it('with chats at once, an agent holds two website chats and answers each; the bot asks to answer from the cards', async () => {
    for (const who of [ADELE, ISAIAH]) await presence(who, 'Offline');
    const set = await call(MEGAN, 'PATCH', `/tenants/${T}/services/${HELPDESK}/settings`, {
      distribution: { chatsAtOnce: 2 },
    });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    const ann = ((await start('Ann')).body as ChatView).chat;
    const bea = ((await start('Bea')).body as ChatView).chat;
    const [first] = await offersOf(MEGAN);
    assert.equal(first?.subject, 'Website chat with Ann');
    assert.equal((await call(MEGAN, 'POST', `/tasks/${first.taskId}/accept`)).status, 200);
    // Holding one chat of two, the second rings for her at once.
    const [second] = await offersOf(MEGAN);
    assert.equal(second?.subject, 'Website chat with Bea');
    assert.equal((await call(MEGAN, 'POST', `/tasks/${second.taskId}/accept`)).status, 200);
    for (const [taskId, text] of [
      [first.taskId, 'Hello Ann'],
      [second.taskId, 'Hello Bea'],
    ] as const)
      assert.equal(
        (await call(MEGAN, 'POST', `/tasks/${taskId}/chat/messages`, { text })).status,
        201,
      );
    const linesOf = async (chat: string) =>
      (await poll(chat)).messages.filter((m) => m.from === 'agent').map((m) => m.text);
    assert.deepEqual(await linesOf(ann), ['Hello Ann']);
    assert.deepEqual(await linesOf(bea), ['Hello Bea']);

    // In her chat with the bot, a line could be for either customer: she is asked to use the cards.
    const stores = createStores(testStorage(app.prefix));
    const bot = new ServiceRoutingBot({
      app: {
        stores,
        clock: systemClock,
        newId: randomUUID,
        distribution: new Dispatcher({ stores, clock: systemClock }),
      },
    });
    const fromMegan: Partial<Activity> = {
      type: ActivityTypes.Message,
      text: 'Which of you was first?',
      from: { id: '29:megan', name: 'Megan Bowen', aadObjectId: MEGAN },
      conversation: {
        id: 'personal-megan',
        tenantId: T,
        conversationType: 'personal',
      } as Activity['conversation'],
    };
    await new TestAdapter((context) => bot.run(context))
      .send(fromMegan)
      .assertReply((reply) => assert.match(reply.text ?? '', /You are in 2 website chats/))
      .startTest();
    assert.deepEqual(await linesOf(ann), ['Hello Ann'], 'no line went to a guessed customer');
    assert.deepEqual(await linesOf(bea), ['Hello Bea']);

    // Ending one, she is back to one chat, and her chat with the bot goes to that customer.
    assert.equal((await call(MEGAN, 'POST', `/tasks/${first.taskId}/complete`)).status, 200);
    assert.equal((await poll(ann)).state, 'ended');
    await new TestAdapter((context) => bot.run(context)).send(fromMegan).startTest();
    assert.deepEqual(await linesOf(bea), ['Hello Bea', 'Which of you was first?']);
  });
});
