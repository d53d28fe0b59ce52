import { strict as assert } from 'node:assert';
import { DEMO } from '../../core/app/demo-tenant.js';
import { asTaskId, asTenantId } from '../../core/domain/ids.js';
import { createStores } from '../../core/store/stores.js';
import { startTestApp, type TestApp } from '../../test/app-harness.js';
import { testStorage } from '../../test/azurite-fixture.js';
import { PEOPLE } from '../../test/demo-people.js';

const T = DEMO.tenant.id;
const { ALEX, MEGAN, ADELE, ISAIAH } = PEOPLE;
const HELPDESK = 'svc-it-helpdesk';

/**
 * A website chat served by two instances on one set of tables (CLOCK=manual on each): the
 * customer's requests land on either, and both sweep for customers gone away.
 */
describe('a website chat across two instances', () => {
  let first: TestApp;
  let second: TestApp;
  const call = async (app: TestApp, who: string, method: string, path: string, body?: unknown) =>
    app.call(method, path, { token: await app.token({ tenantId: T, userId: who }), body });
  const anonymous = (app: TestApp, path: string, body: unknown) => app.call('POST', path, { body });

  beforeEach(async () => {
    first = await startTestApp({ SEED: 'demo', CLOCK: 'manual' });
    second = await startTestApp({ SEED: 'none', CLOCK: 'manual', TABLE_PREFIX: first.prefix });
    const ok = (reply: { status: number; body: unknown }) =>
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
    ok(await call(first, ALEX, 'PATCH', `/tenants/${T}/settings`, { interact: { enabled: true } }));
    ok(
      await call(first, ALEX, 'PUT', `/tenants/${T}/services/${HELPDESK}/license`, {
        license: 'EnterpriseRouting',
      }),
    );
    ok(
      await call(first, ALEX, 'PATCH', `/tenants/${T}/services/${HELPDESK}/settings`, {
        extensions: { interact: true },
      }),
    );
    for (const who of [MEGAN, ADELE, ISAIAH])
      ok(
        await call(first, ALEX, 'PUT', `/tenants/${T}/users/${who}/presence`, {
          presence: 'Offline',
        }),
      );
  });
  afterEach(async () => {
    await second.stop();
    await first.stop();
  });

  it('takes lines on either instance, and a customer gone away is let go once, by one of them', async () => {
    const { widgetKey } = (await call(first, ALEX, 'GET', `/tenants/${T}/interact/keys`)).body;
    const started = await anonymous(first, '/interact/chats', {
      widgetKey,
      serviceId: HELPDESK,
      name: 'Ann Customer',
    });
    assert.equal(started.status, 201, JSON.stringify(started.body));
    const chat = started.body.chat as string;
    assert.equal(
      (await anonymous(second, '/interact/chats/messages', { chat, text: 'one' })).status,
      201,
    );
    assert.equal(
      (await anonymous(first, '/interact/chats/messages', { chat, text: 'two' })).status,
      201,
    );
    const seen = await anonymous(second, '/interact/chats/poll', { chat });
    assert.deepEqual(
      seen.body.messages.map((m: { text: string }) => m.text),
      ['one', 'two'],
    );
    const queue = async () =>
      (await call(first, ALEX, 'GET', `/tenants/${T}/services/${HELPDESK}/queue`)).body.items as {
        taskId: string;
      }[];
    const [waiting] = await queue();
    assert.ok(waiting);
    // Both clocks pass the recovery timeout; both instances sweep.
    for (const app of [first, second])
      await app.call('POST', '/dev/clock', { body: { advanceMs: 25_000 } });
    const stores = createStores(testStorage(first.prefix));
    const canceled = async () =>
      (await stores.history.ofTask(asTenantId(T), asTaskId(waiting.taskId))).filter(
        (r) => r.step.kind === 'canceled',
      ).length;
    while ((await canceled()) === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    // Each instance has swept at least twice more once the live row is gone.
    const live = async () => (await stores.interact.openChats()).length;
    while ((await live()) > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(await canceled(), 1, 'canceled once');
    const ended = await anonymous(first, '/interact/chats/poll', { chat });
    assert.deepEqual([ended.body.state, ended.body.how], ['ended', 'timeout']);
    assert.deepEqual(await queue(), []);
  });

  it('lets the agent answer on either instance, right after taking the chat on the other', async () => {
    await call(first, ALEX, 'PUT', `/tenants/${T}/users/${MEGAN}/presence`, {
      presence: 'Available',
    });
    const { widgetKey } = (await call(first, ALEX, 'GET', `/tenants/${T}/interact/keys`)).body;
    const started = await anonymous(first, '/interact/chats', {
      widgetKey,
      serviceId: HELPDESK,
      name: 'Ann Customer',
    });
    const chat = started.body.chat as string;
    const [offer] = (await call(first, MEGAN, 'GET', '/me/offers')).body as { taskId: string }[];
    assert.ok(offer);
    assert.equal((await call(first, MEGAN, 'POST', `/tasks/${offer.taskId}/accept`)).status, 200);
    for (const [app, text] of [
      [second, 'from the second'],
      [first, 'from the first'],
    ] as const) {
      const said = await call(app, MEGAN, 'POST', `/tasks/${offer.taskId}/chat/messages`, { text });
      assert.equal(said.status, 201, JSON.stringify(said.body));
    }
    const view = await anonymous(second, '/interact/chats/poll', { chat });
    assert.equal(view.body.state, 'connected');
    assert.deepEqual(
      view.body.messages.map((m: { text: string }) => m.text),
      ['from the second', 'from the first'],
    );
  });
});
