import type { Service } from '../../../core/domain/service.js';
import { card, execute, facts, heading, text, type AdaptiveCard } from './adaptive-card.js';

const LICENSE_WORDS: Record<Service['license'], string> = {
  AdvancedRouting: 'Advanced Routing',
  EnterpriseRouting: 'Enterprise Routing',
  ContactCenter: 'Contact Center',
};

/** Posted in the team when the app is added: what it does, and the one button to start. */
export function welcomeCard(teamName: string): AdaptiveCard {
  return card(
    [
      heading(`Service routing for ${teamName}`),
      text(
        'Turn this team into a service: its members receive the calls, chats, e-mails and tasks ' +
          'customers send, one at a time, and each of them decides when they are active.',
      ),
      text('Type **provision** here at any time to do the same.', { subtle: true }),
    ],
    [execute('Provision this team as a service', 'provision', {}, 'positive')],
  );
}

export interface ProvisionedFacts {
  readonly service: Service;
  readonly ouName: string;
  readonly role: string;
  readonly created: boolean;
}

export function provisionedCard({
  service,
  ouName,
  role,
  created,
}: ProvisionedFacts): AdaptiveCard {
  return card([
    heading(created ? `${service.name} is now a service` : `${service.name} is already a service`),
    facts([
      ['License', LICENSE_WORDS[service.license]],
      ['Organization unit', ouName],
      ['Your role', role],
    ]),
    text(
      created
        ? 'Members now get its tasks while they are active. Each member can switch this in **my services**.'
        : 'Members missing from the service were added.',
      { subtle: true },
    ),
  ]);
}

/** The refusal in plain words, with the button to try again once an admin has acted. */
export function provisionRefusedCard(teamName: string, reason: string): AdaptiveCard {
  return card(
    [heading(`${teamName} could not be provisioned`), text(reason, { color: 'Attention' })],
    [execute('Try again', 'provision')],
  );
}
