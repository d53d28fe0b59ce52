import type { ServiceId } from '../../../core/domain/ids.js';
import type { Instant } from '../../../core/domain/instant.js';
import { isInRona } from '../../../core/domain/routing/agent-state.js';
import { chatsWords, reasonWords } from '../../../core/domain/routing/reason-words.js';
import type { MyState } from '../../../core/app/routing/me-actions.js';
import { licenseGapWords } from '../../../core/domain/routing/task-licenses.js';
import {
  actionSet,
  card,
  execute,
  heading,
  localTime,
  text,
  type AdaptiveCard,
  type CardElement,
} from './adaptive-card.js';

function serviceBlock(state: MyState, entry: MyState['services'][number], now: Instant) {
  const { service, membership, availability } = entry;
  const names = new Map(state.services.map((s) => [s.service.id, s.service.name]));
  const words = availability.reasons.map((reason) =>
    reasonWords(reason, {
      agent: state.agent,
      now,
      serviceName: (id: ServiceId) => names.get(id) ?? 'another service',
      clockTime: localTime,
      chatsAtOnce: service.settings.distribution.chatsAtOnce,
    }),
  );
  const held = state.agent.chats.length;
  const skillBased = service.assignmentType === 'SkillBased';
  // Plain text on the card's own background: Teams' warning yellow is hard to read on white.
  const blocks: CardElement[] = [
    { type: 'TextBlock', text: service.name, weight: 'Bolder', wrap: true, separator: true },
    text(
      availability.available
        ? held
          ? `Available for further chats: ${chatsWords(held, service.settings.distribution.chatsAtOnce).toLowerCase()}.`
          : 'Available: you can get its next task.'
        : `Not available: ${words.join('; ')}.`,
      availability.available ? { color: 'Good' } : {},
    ),
  ];
  if (skillBased)
    blocks.push(
      text('Skill-based: you are chosen by your skills, so there is no switch.', { subtle: true }),
    );
  else
    blocks.push(
      text(
        membership.active
          ? `You are Active in ${service.name}.`
          : `You are not Active in ${service.name}: you get none of its tasks.`,
      ),
      actionSet([
        execute(
          membership.active ? 'Switch off' : 'Switch on',
          'setActive',
          { serviceId: service.id, active: !membership.active },
          membership.active ? undefined : 'positive',
        ),
      ]),
    );
  return blocks;
}

/**
 * Each of my services with my Active state and its switch and, when I get nothing, every
 * reason why; after a missed task, "I'm back" ends the pause at once.
 */
export function myServicesCard(state: MyState, now: Instant): AdaptiveCard {
  if (state.services.length === 0)
    return card([
      heading('My services'),
      text(
        'You are not a member of any service yet. A team owner adds you by provisioning their team.',
      ),
    ]);
  const paused = isInRona(state.agent, now);
  const gaps = licenseGapWords(state.licenseGaps);
  return card(
    [
      heading('My services'),
      ...(gaps ? [text(gaps, { subtle: true })] : []),
      ...state.services.flatMap((entry) => serviceBlock(state, entry, now)),
    ],
    [
      ...(paused ? [execute("I'm back: take tasks again", 'imBack', {}, 'positive')] : []),
      execute('Refresh', 'myServices'),
    ],
  );
}
