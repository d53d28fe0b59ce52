import type { AdminRole, Skills } from '../domain/directory-user.js';
import type { License, ModalityLicense, ServiceLicense, UserLicense } from '../domain/license.js';
import type { AssignmentType, MemberRole } from '../domain/service.js';

/**
 * The demo tenant `npm start` seeds. Its ids match `.m365agentsplayground.yml`, so the
 * Agents Playground's people are the tenant's users. The Playground's team ("Support
 * Line") is left unprovisioned so a newcomer can provision it from Teams.
 */
/** What the helpdesk's people hold: chats, e-mails, external tasks and website chats. */
const HELPDESK: readonly (UserLicense | ModalityLicense)[] = [
  'InstantMessaging',
  'ExternalTask',
  'Email',
  'Interact',
];

export const DEMO = {
  tenant: { id: '0d3e0000-0000-4000-8000-000000000001', name: 'Contoso (demo)' },
  orgUnits: [
    { id: 'ou-contoso', name: 'Contoso', parentId: null },
    { id: 'ou-sales', name: 'Sales', parentId: 'ou-contoso' },
    { id: 'ou-support', name: 'Support', parentId: 'ou-contoso' },
  ],
  defaultOuId: 'ou-support',
  users: [
    user('0d3e0000-0000-4000-8000-0000000000a1', 'Alex Wilber', 'ou-contoso', ['TenantAdmin']),
    user('0d3e0000-0000-4000-8000-0000000000a2', 'Nestor Wilke', 'ou-support', ['OuAdmin']),
    // The helpdesk takes every kind of task; Isaiah has no Email license, so e-mails pass
    // him by and My Services says why.
    user('0d3e0000-0000-4000-8000-0000000000b1', 'Megan Bowen', 'ou-support', [], HELPDESK),
    user('0d3e0000-0000-4000-8000-0000000000c1', 'Adele Vance', 'ou-support', [], HELPDESK),
    user(
      '0d3e0000-0000-4000-8000-0000000000c2',
      'Isaiah Langer',
      'ou-support',
      [],
      ['InstantMessaging', 'ExternalTask', 'Interact'],
    ),
    user(
      '0d3e0000-0000-4000-8000-0000000000c3',
      'Patti Fernandez',
      'ou-sales',
      [],
      ['ContactCenterUser', 'InstantMessaging', 'Email', 'ExternalTask'],
      { english: 90, sales: 80 },
    ),
    user(
      '0d3e0000-0000-4000-8000-0000000000c4',
      'Lynne Robbins',
      'ou-sales',
      [],
      ['ContactCenterUser', 'InstantMessaging', 'Email', 'ExternalTask'],
      { english: 70, german: 85 },
    ),
  ],
  services: [
    service(
      'svc-it-helpdesk',
      'IT Helpdesk',
      'ou-support',
      'AdvancedRouting',
      'TeamsBased',
      'team-it-helpdesk',
      [
        ['0d3e0000-0000-4000-8000-0000000000b1', 'Owner'],
        ['0d3e0000-0000-4000-8000-0000000000c1', 'Member'],
        ['0d3e0000-0000-4000-8000-0000000000c2', 'Member'],
      ],
    ),
    service('svc-vip-sales', 'VIP Sales', 'ou-sales', 'ContactCenter', 'SkillBased', null, [
      ['0d3e0000-0000-4000-8000-0000000000c3', 'Member'],
      ['0d3e0000-0000-4000-8000-0000000000c4', 'Member'],
    ]),
  ],
  contingency: {
    AdvancedRouting: 10,
    EnterpriseRouting: 5,
    ContactCenter: 2,
    ContactCenterUser: 10,
    Interact: 5,
    AttendantConsole: 2,
    Assistant: 2,
    Companion: 2,
    InstantMessaging: 10,
    ExternalTask: 10,
    Email: 10,
    VirtualUser: 0,
  } satisfies Record<License, number>,
} as const;

function user(
  id: string,
  displayName: string,
  ouId: string,
  roles: readonly AdminRole[] = [],
  licenses: readonly (UserLicense | ModalityLicense)[] = [],
  skills: Skills = {},
) {
  return { id, displayName, ouId, roles, licenses, skills };
}

function service(
  id: string,
  name: string,
  ouId: string,
  license: ServiceLicense,
  assignmentType: AssignmentType,
  teamId: string | null,
  members: readonly (readonly [string, MemberRole])[],
) {
  return { id, name, ouId, license, assignmentType, teamId, members };
}
