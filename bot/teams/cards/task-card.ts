import type { UserId } from '../../../core/domain/ids.js';
import type { Instant } from '../../../core/domain/instant.js';
import type { AgentState } from '../../../core/domain/routing/agent-state.js';
import type { Task } from '../../../core/domain/routing/task.js';
import { PRIORITY_WORDS } from '../../../core/domain/service-settings.js';
import { minutesSeconds, modalityWords } from '../../../core/domain/routing/reason-words.js';
import type { WithdrawalCause } from '../../../core/domain/routing/stale-offers.js';
import { type CardNote } from '../../../core/domain/routing/cards.js';
import type { CardChat, CardContext } from '../../../core/app/routing/card-context.js';
import { MAX_CHAT_TEXT } from '../../../core/app/interact/interact-chat.js';
import {
  card,
  execute,
  facts,
  heading,
  localTime,
  openLink,
  plainText,
  text,
  textInput,
  type AdaptiveCard,
  type CardElement,
} from './adaptive-card.js';

/** What one person's card about one task says now; drawn from the task, never stored. */
export type TaskCardView =
  | {
      readonly kind: 'offered';
      /** How long the person has to answer, from when the card is drawn (null: no limit). */
      readonly withinMs: number | null;
      /** Rung again at once: nobody else was free when they passed it (declined or missed). */
      readonly again: boolean;
    }
  | { readonly kind: 'accepted' }
  | {
      readonly kind: 'acw';
      readonly until: Instant;
      readonly canEnd: boolean;
      readonly canExtend: boolean;
    }
  | { readonly kind: 'completed' }
  /** Someone else ended the task this person had accepted. */
  | { readonly kind: 'ended'; readonly by: string; readonly reason: string }
  | { readonly kind: 'taken'; readonly by: string }
  | { readonly kind: 'declined' }
  | { readonly kind: 'missed'; readonly ronaUntil: Instant | null }
  | { readonly kind: 'canceled' }
  /** No longer offered to me: why, where the step that withdrew it said (see staleOffers). */
  | { readonly kind: 'withdrawn'; readonly why: WithdrawalCause | null };

export interface TaskCardInput {
  readonly task: Task;
  readonly userId: UserId;
  readonly agent: AgentState | undefined;
  readonly note: CardNote | null;
  readonly nameOf: (userId: UserId) => string;
  readonly now: Instant;
}

function ownView(input: TaskCardInput): TaskCardView {
  const { task, agent } = input;
  if (task.state === 'Accepted') return { kind: 'accepted' };
  if (task.ending)
    return {
      kind: 'ended',
      by: task.ending.by ? input.nameOf(task.ending.by) : 'the operator',
      reason: task.ending.reason,
    };
  const e = agent?.engagement;
  if (e?.kind === 'acw' && e.taskId === task.id)
    return { kind: 'acw', until: e.until, canEnd: e.allowEarlyEnd, canExtend: e.allowExtension };
  return { kind: 'completed' };
}

/** Offered, taken, declined, missed...: the person's view of a task at this moment. */
export function taskCardView(input: TaskCardInput): TaskCardView {
  const { task, userId, agent, note, now } = input;
  if (task.state === 'Offered' && task.offeredTo.includes(userId)) {
    const [before, last] = task.decisions.slice(-2);
    return {
      kind: 'offered',
      withinMs: task.offerExpiresAt === null ? null : Math.max(0, task.offerExpiresAt - now),
      again:
        !!before && !!last && before.offeredTo.includes(userId) && last.offeredTo.includes(userId),
    };
  }
  if (task.acceptedBy === userId) return ownView(input);
  if (note === 'declined') return { kind: 'declined' };
  if (note === 'missed') {
    const rona = agent?.ronaUntil ?? null;
    return { kind: 'missed', ronaUntil: rona !== null && rona > now ? rona : null };
  }
  if (note !== null) return { kind: 'withdrawn', why: note };
  if (task.acceptedBy) return { kind: 'taken', by: input.nameOf(task.acceptedBy) };
  if (task.state === 'Canceled' || task.state === 'Rejected') return { kind: 'canceled' };
  return { kind: 'withdrawn', why: null };
}

function status(view: TaskCardView, serviceName: string) {
  const id = (verb: Parameters<typeof execute>[1], title: string, style?: 'positive') =>
    execute(title, verb, {}, style);
  switch (view.kind) {
    case 'offered':
      return {
        line: [
          ...(view.again ? ['Nobody else is free, so it rings you again.'] : []),
          view.withinMs === null
            ? 'Waiting for you.'
            : `Answer within ${minutesSeconds(view.withinMs)}.`,
        ].join(' '),
        color: 'Accent' as const,
        actions: [id('accept', 'Accept', 'positive'), id('decline', 'Decline')],
      };
    case 'accepted':
      return {
        line: 'You accepted this task.',
        color: 'Good' as const,
        actions: [id('complete', 'Complete')],
      };
    case 'acw':
      return {
        line: `After-call work until ${localTime(view.until)}`,
        color: 'Accent' as const,
        actions: [
          ...(view.canEnd ? [id('endAcw', 'End now')] : []),
          ...(view.canExtend ? [id('extendAcw', 'Extend')] : []),
        ],
      };
    case 'completed':
      return { line: 'Completed.', color: 'Good' as const, actions: [] };
    case 'ended':
      return {
        line: `Ended by ${view.by}: ${view.reason}. You are free for the next task.`,
        color: 'Attention' as const,
        actions: [],
      };
    case 'taken':
      return { line: `Taken by ${view.by}.`, color: undefined, actions: [] };
    case 'declined':
      return { line: 'You declined this task.', color: undefined, actions: [] };
    case 'missed':
      return {
        line: view.ronaUntil
          ? `Missed. You get no new tasks until ${localTime(view.ronaUntil)}.`
          : 'Missed: it was offered to someone else.',
        color: 'Attention' as const,
        actions: view.ronaUntil ? [id('resetRona', "I'm back: take tasks again")] : [],
      };
    case 'canceled':
      return { line: 'Canceled: nobody needs to take it any more.', color: undefined, actions: [] };
    case 'withdrawn':
      return { line: withdrawnLine(view.why, serviceName), color: undefined, actions: [] };
  }
}

function withdrawnLine(why: WithdrawalCause | null, serviceName: string): string {
  switch (why) {
    case 'left':
      return `Withdrawn: you are no longer a member of ${serviceName}.`;
    case 'presence':
      return 'Withdrawn: you went Offline or Do not disturb in Teams, so it went to someone else.';
    case 'paused':
      return 'Withdrawn: this organization takes no tasks for now. The task waits in the queue.';
    case 'license':
      return 'Withdrawn: you no longer hold the license this kind of task needs, so it went to someone else.';
    case null:
      return 'Withdrawn: it is no longer offered to you.';
  }
}

/**
 * A website chat's lines on the card of whoever it rings for or took it: the customer's
 * words as text (never markdown), and while it is theirs and the customer is there, a box to
 * reply in. Typing in the chat with the bot replies too.
 */
function chatBlock(chat: CardChat, view: TaskCardView): CardElement[] {
  if (view.kind !== 'offered' && view.kind !== 'accepted') return [];
  const name = plainText(chat.customerName);
  const lines = chat.lines.map((line) =>
    text(`**${line.from === 'customer' ? name : 'You'}:** ${plainText(line.text)}`),
  );
  const blocks: CardElement[] = [
    {
      type: 'Container',
      style: 'emphasis',
      items: lines.length ? lines : [text(`${name} has not written yet.`, { subtle: true })],
    },
  ];
  if (view.kind === 'accepted')
    blocks.push(
      chat.left
        ? text(`${name} left the chat. End it when you are done.`, { color: 'Attention' })
        : textInput('reply', `Reply to ${chat.customerName}`, MAX_CHAT_TEXT),
    );
  return blocks;
}

/** The card itself: what the task is, where it stands for this person, and what they can do. */
export function renderTaskCard(
  task: Task,
  serviceName: string,
  view: TaskCardView,
  chat: CardChat | null = null,
): AdaptiveCard {
  const now = status(view, serviceName);
  const replying = chat && view.kind === 'accepted' && !chat.left;
  const actions = now.actions.map((a) =>
    chat && a.verb === 'complete' ? { ...a, title: 'End chat' } : a,
  );
  return card(
    [
      heading(`${modalityWords(task.modality)} for ${serviceName}`),
      facts([
        ['Subject', chat ? plainText(task.subject) : task.subject],
        ['Priority', PRIORITY_WORDS[task.priority]],
        ['Service', serviceName],
      ]),
      text(now.line, now.color ? { color: now.color } : {}),
      // Where the task itself is, for whoever is asked to take it or took it.
      ...(task.link && (view.kind === 'offered' || view.kind === 'accepted' || view.kind === 'acw')
        ? [openLink('Open', task.link)]
        : []),
      ...(chat ? chatBlock(chat, view) : []),
    ],
    [...(replying ? [execute('Reply', 'chatReply', {}, 'positive')] : []), ...actions].map((a) => ({
      ...a,
      data: { taskId: task.id },
    })),
  );
}

/** The card for a person, drawn from a freshly read context. */
export function drawTaskCard(context: CardContext, userId: UserId, now: Instant) {
  const view = taskCardView({
    task: context.task,
    userId,
    agent: context.agent,
    note: context.note,
    nameOf: () => context.acceptedByName ?? 'a colleague',
    now,
  });
  return { view, card: renderTaskCard(context.task, context.serviceName, view, context.chat) };
}
