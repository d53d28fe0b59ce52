import {
  MessageFactory,
  type CloudAdapter,
  type ConversationReference,
  type TurnContext,
} from 'botbuilder';
import type { CardChannel } from '../../core/app/routing/card-outbox.js';
import type { TeamsUserLink } from '../../core/domain/teams-link.js';
import { asAttachment, type AdaptiveCard } from './cards/adaptive-card.js';

/** What the card outbox asks of Teams: post a card in a person's chat, or update it. */
export type TeamsChannel = CardChannel<AdaptiveCard>;

/** Bot Framework's audience for calls from a bot to a channel. */
const CHANNEL_AUDIENCE = 'https://api.botframework.com';

const referenceOf = (
  link: TeamsUserLink,
  conversationId: string,
): Partial<ConversationReference> => ({
  channelId: 'msteams',
  serviceUrl: link.serviceUrl,
  bot: { id: link.botId, name: '' },
  user: { id: link.teamsId, name: link.name },
  conversation: {
    id: conversationId,
    isGroup: false,
    conversationType: 'personal',
    name: '',
    tenantId: link.tenantId,
  },
});

/** Proactive messages through botbuilder's CloudAdapter (channel auth from the bot's credentials). */
export function cloudAdapterChannel(adapter: CloudAdapter, appId: string): TeamsChannel {
  const inConversation = (
    link: TeamsUserLink,
    conversationId: string,
    logic: (context: TurnContext) => Promise<void>,
  ) => adapter.continueConversationAsync(appId, referenceOf(link, conversationId), logic);

  async function openChat(link: TeamsUserLink): Promise<string> {
    let id = '';
    await adapter.createConversationAsync(
      appId,
      'msteams',
      link.serviceUrl,
      CHANNEL_AUDIENCE,
      {
        isGroup: false,
        bot: { id: link.botId, name: '' },
        members: [{ id: link.teamsId, name: link.name }],
        tenantId: link.tenantId,
        channelData: { tenant: { id: link.tenantId } },
        activity: undefined,
        topicName: '',
      },
      (context) => {
        id = context.activity.conversation.id;
        return Promise.resolve();
      },
    );
    if (!id) throw new Error('Teams opened no personal chat');
    return id;
  }

  return {
    async post(link, card) {
      const conversationId = link.conversationId ?? (await openChat(link));
      let activityId = '';
      await inConversation(link, conversationId, async (context) => {
        const sent = await context.sendActivity(MessageFactory.attachment(asAttachment(card)));
        activityId = sent?.id ?? '';
      });
      return { conversationId, activityId };
    },
    async update(link, sent, card) {
      await inConversation(link, sent.conversationId, async (context) => {
        await context.updateActivity({
          id: sent.activityId,
          type: 'message',
          attachments: [asAttachment(card)],
        });
      });
    },
  };
}
