import { strict as assert } from 'node:assert';
import { ActivityTypes, TestAdapter } from 'botbuilder';
import { HELP_TEXT, ServiceRoutingBot } from './service-routing-bot.js';

describe('ServiceRoutingBot', () => {
  it('answers a message with what it does', async () => {
    const bot = new ServiceRoutingBot();
    const adapter = new TestAdapter((context) => bot.run(context));
    await adapter.send('hello').assertReply(HELP_TEXT).startTest();
  });

  it('greets the team when the bot itself is added, and nobody else', async () => {
    const bot = new ServiceRoutingBot();
    const adapter = new TestAdapter((context) => bot.run(context));
    const added = (id: string) => ({
      type: ActivityTypes.ConversationUpdate,
      membersAdded: [{ id, name: id }],
      recipient: { id: 'bot', name: 'bot' },
    });
    await adapter
      .send(added('bot'))
      .assertReply((activity) => assert.match(activity.text ?? '', /^Hello!/))
      .startTest();
    const quiet = new TestAdapter((context) => bot.run(context));
    await quiet.send(added('someone')).startTest();
    assert.equal(quiet.activeQueue.length, 0);
  });
});
