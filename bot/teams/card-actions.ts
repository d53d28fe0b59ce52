import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { AppDeps } from '../../core/app/app-deps.js';
import { loadCardContext } from '../../core/app/routing/card-context.js';
import {
  endMyAcw,
  extendMyAcw,
  myServices,
  resetMyRona,
  setMyActive,
} from '../../core/app/routing/me-actions.js';
import { accept, complete, decline } from '../../core/app/routing/task-actions.js';
import { asServiceId, asTaskId, ID_PATTERN, type TaskId } from '../../core/domain/ids.js';
import { agentSays } from '../../core/app/interact/interact-chat.js';
import { isValidTaskId } from '../../core/domain/routing/task-id.js';
import type { Decision } from '../../core/domain/refusal.js';
import { card, heading, text, type AdaptiveCard } from './cards/adaptive-card.js';
import { myServicesCard } from './cards/my-services-card.js';
import { drawTaskCard } from './cards/task-card.js';
import { provisionFromTeam } from './provision-from-team.js';
import { callerOf, type TurnIdentity } from './turn-identity.js';

const taskId = z.object({ taskId: z.string().refine(isValidTaskId).transform(asTaskId) });

/** What each button sends back, checked before anything acts on it. */
export const cardAction = z.discriminatedUnion('verb', [
  z.object({ verb: z.literal('provision'), data: z.object({}).loose() }),
  z.object({ verb: z.literal('accept'), data: taskId }),
  z.object({ verb: z.literal('decline'), data: taskId }),
  z.object({ verb: z.literal('complete'), data: taskId }),
  z.object({ verb: z.literal('endAcw'), data: taskId }),
  z.object({ verb: z.literal('extendAcw'), data: taskId }),
  z.object({ verb: z.literal('resetRona'), data: taskId }),
  z.object({
    verb: z.literal('setActive'),
    data: z.object({
      serviceId: z.string().regex(ID_PATTERN).transform(asServiceId),
      active: z.boolean(),
    }),
  }),
  z.object({ verb: z.literal('myServices'), data: z.object({}).loose() }),
  /** After a missed task, from My services: take tasks again now. */
  z.object({ verb: z.literal('imBack'), data: z.object({}).loose() }),
  /** A website chat's Reply: the box's text comes back as `reply`. */
  z.object({
    verb: z.literal('chatReply'),
    data: taskId.extend({ reply: z.string().max(10_000).optional() }).loose(),
  }),
]);
export type CardAction = z.infer<typeof cardAction>;

export interface CardActionDeps {
  readonly app: AppDeps;
}

/** A card that only says something (a refusal where no better card exists). */
export const noticeCard = (title: string, message: string): AdaptiveCard =>
  card([heading(title), text(message, { color: 'Attention' })]);

type TaskVerb = 'accept' | 'decline' | 'complete' | 'endAcw' | 'extendAcw' | 'resetRona';

async function taskAction(
  deps: CardActionDeps,
  turn: TurnIdentity,
  action: Extract<CardAction, { verb: TaskVerb }>,
): Promise<AdaptiveCard> {
  const caller = callerOf(turn);
  if (!caller) return noticeCard('Not possible', 'Teams did not say who you are.');
  const { app } = deps;
  const id = action.data.taskId;
  const result: Decision<unknown> = await {
    accept: () => accept(app, caller, id),
    decline: () => decline(app, caller, id),
    complete: () => complete(app, caller, id),
    endAcw: () => endMyAcw(app, caller),
    extendAcw: () => extendMyAcw(app, caller, undefined),
    resetRona: () => resetMyRona(app, caller),
  }[action.verb]();
  const context = await loadCardContext(app, turn.tenantId, id, caller.userId);
  if (!context)
    return noticeCard(
      'This task is gone',
      result.ok ? 'Nothing left to do.' : result.refusal.message,
    );
  const { view, card: drawn } = drawTaskCard(context, caller.userId, app.clock.now());
  if (result.ok) return drawn;
  const notice = view.kind === 'taken' ? `Already taken by ${view.by}.` : result.refusal.message;
  return { ...drawn, body: [...drawn.body, text(notice, { color: 'Attention' })] };
}

/** The agent's reply to a website chat's customer, from the box on the chat's card. */
async function chatReply(
  deps: CardActionDeps,
  turn: TurnIdentity,
  id: TaskId,
  reply: string,
): Promise<AdaptiveCard> {
  const caller = callerOf(turn);
  if (!caller) return noticeCard('Not possible', 'Teams did not say who you are.');
  const said = await agentSays(deps.app, caller, id, reply);
  const context = await loadCardContext(deps.app, turn.tenantId, id, caller.userId);
  if (!context)
    return noticeCard('This chat is gone', said.ok ? 'Nothing left to do.' : said.refusal.message);
  const { card: drawn } = drawTaskCard(context, caller.userId, deps.app.clock.now());
  return said.ok
    ? drawn
    : { ...drawn, body: [...drawn.body, text(said.refusal.message, { color: 'Attention' })] };
}

/** My services as a card, with a notice when the last switch was refused. */
export async function servicesCard(deps: CardActionDeps, turn: TurnIdentity, notice?: string) {
  const caller = callerOf(turn);
  if (!caller) return noticeCard('My services', 'Teams did not say who you are.');
  const state = await myServices(deps.app, caller);
  if (!state.ok) return noticeCard('My services', state.refusal.message);
  const drawn = myServicesCard(state.value, deps.app.clock.now());
  return notice ? { ...drawn, body: [...drawn.body, text(notice, { color: 'Attention' })] } : drawn;
}

/** Acts on a button and answers with the card as it must look now (Teams swaps it in place). */
export async function runCardAction(
  deps: CardActionDeps,
  context: TurnContext,
  turn: TurnIdentity,
  action: CardAction,
): Promise<AdaptiveCard> {
  switch (action.verb) {
    case 'provision':
      return provisionFromTeam(deps, context, turn);
    case 'setActive': {
      const caller = callerOf(turn);
      const result = caller
        ? await setMyActive(deps.app, caller, action.data.serviceId, action.data.active)
        : undefined;
      return servicesCard(deps, turn, result && !result.ok ? result.refusal.message : undefined);
    }
    case 'myServices':
      return servicesCard(deps, turn);
    case 'imBack': {
      const caller = callerOf(turn);
      const result = caller ? await resetMyRona(deps.app, caller) : undefined;
      return servicesCard(deps, turn, result && !result.ok ? result.refusal.message : undefined);
    }
    case 'chatReply':
      return chatReply(deps, turn, action.data.taskId, action.data.reply ?? '');
    case 'accept':
    case 'decline':
    case 'complete':
    case 'endAcw':
    case 'extendAcw':
    case 'resetRona':
      return taskAction(deps, turn, action);
  }
}
