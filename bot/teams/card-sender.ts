import { CardOutbox, type CardOutboxOptions } from '../../core/app/routing/card-outbox.js';
import type { AdaptiveCard } from './cards/adaptive-card.js';
import { drawTaskCard } from './cards/task-card.js';
import { TEAMS_SEND_POLICY } from './send-policy.js';

/**
 * The card outbox (a use case of core/app) drawing Teams' adaptive cards under Teams' send
 * rules: the bot's part is the channel, the card and the policy, never the store.
 */
export const teamsCardOutbox = (
  options: Omit<CardOutboxOptions<AdaptiveCard>, 'render' | 'policy'>,
): CardOutbox<AdaptiveCard> =>
  new CardOutbox({ ...options, render: drawTaskCard, policy: TEAMS_SEND_POLICY });
