import { strict as assert } from 'node:assert';
import { ActivityTypes, TestAdapter, type Activity } from 'botbuilder';
import { randomUUID } from 'node:crypto';
import { systemClock } from '../../core/app/clock.js';
import { Dispatcher } from '../../core/app/routing/dispatcher.js';
import { createStores } from '../../core/store/stores.js';
import { testStorage, uniquePrefix } from '../../test/azurite-fixture.js';
import { HELP_TEXT, NOT_SET_UP, ServiceRoutingBot } from './service-routing-bot.js';

describe('ServiceRoutingBot turns (botbuilder TestAdapter)', () => {
  let bot: ServiceRoutingBot;
  before(() => {
    const stores = createStores(testStorage(uniquePrefix()));
    bot = new ServiceRoutingBot({
      app: { stores, clock: systemClock, newId: randomUUID },
      dispatcher: new Dispatcher({ stores, clock: systemClock }),
    });
  });
  const inTenant = (activity: Partial<Activity>): Partial<Activity> => ({
    ...activity,
    from: { id: '29:someone', name: 'Someone', aadObjectId: 'user-1' },
    conversation: {
      id: 'chat-1',
      tenantId: 'no-such-tenant',
      conversationType: 'personal',
    } as Activity['conversation'],
  });

  it('tells people of an unknown tenant that it is not set up', async () => {
    const adapter = new TestAdapter((context) => bot.run(context));
    await adapter
      .send(inTenant({ type: ActivityTypes.Message, text: 'my services' }))
      .assertReply(NOT_SET_UP)
      .startTest();
  });

  it('answers a message without a tenant with what it does', async () => {
    const adapter = new TestAdapter((context) => bot.run(context));
    await adapter.send('hello').assertReply(HELP_TEXT).startTest();
  });

  it('answers a malformed or unknown card action with an error, not a crash', async () => {
    for (const value of [
      { action: { type: 'Action.Execute', verb: 'launchRockets', data: {} } },
      { action: { type: 'Action.Execute', verb: 'accept', data: { taskId: '../x' } } },
    ]) {
      const adapter = new TestAdapter((context) => bot.run(context));
      await adapter
        .send(inTenant({ type: ActivityTypes.Invoke, name: 'adaptiveCard/action', value }))
        .assertReply((reply) => {
          assert.equal(reply.type, 'invokeResponse');
          const body = reply.value as {
            status: number;
            body: { statusCode: number; type: string };
          };
          assert.equal(body.body.statusCode, 400);
          assert.equal(body.body.type, 'application/vnd.microsoft.error');
        })
        .startTest();
    }
  });
});
