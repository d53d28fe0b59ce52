import type { AdminRole } from '../domain/directory-user.js';
import type { License } from '../domain/license.js';

/**
 * The demo tenant `npm start` seeds. Its ids match `.m365agentsplayground.yml`, so the
 * Agents Playground's users are the tenant's users.
 */
export const DEMO = {
  tenant: { id: '0d3e0000-0000-4000-8000-000000000001', name: 'Contoso (demo)' },
  orgUnits: [
    { id: 'ou-contoso', name: 'Contoso', parentId: null },
    { id: 'ou-sales', name: 'Sales', parentId: 'ou-contoso' },
    { id: 'ou-support', name: 'Support', parentId: 'ou-contoso' },
  ],
  users: [
    user('0d3e0000-0000-4000-8000-0000000000a1', 'Alex Wilber', 'ou-contoso', ['TenantAdmin']),
    user('0d3e0000-0000-4000-8000-0000000000a2', 'Nestor Wilke', 'ou-support', ['OuAdmin']),
    user('0d3e0000-0000-4000-8000-0000000000b1', 'Megan Bowen', 'ou-support', []),
    user('0d3e0000-0000-4000-8000-0000000000c1', 'Adele Vance', 'ou-support', []),
    user('0d3e0000-0000-4000-8000-0000000000c2', 'Isaiah Langer', 'ou-support', []),
    user('0d3e0000-0000-4000-8000-0000000000c3', 'Patti Fernandez', 'ou-sales', []),
    user('0d3e0000-0000-4000-8000-0000000000c4', 'Lynne Robbins', 'ou-sales', []),
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
    InstantMessaging: 5,
    ExternalTask: 5,
    Email: 5,
    VirtualUser: 0,
  } satisfies Record<License, number>,
} as const;

function user(id: string, displayName: string, ouId: string, roles: readonly AdminRole[]) {
  return { id, displayName, ouId, roles };
}
