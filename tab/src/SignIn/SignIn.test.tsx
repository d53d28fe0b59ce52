import { strict as assert } from 'node:assert';
import { cleanup, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { DevWho } from '../auth/session';
import { renderInTeamsTheme } from '../testing/render';
import { SignIn } from './SignIn';

const PEOPLE = [
  {
    tenantId: 't1',
    name: 'Contoso (demo)',
    users: [
      { userId: 'u-alex', displayName: 'Alex Wilber', roles: ['TenantAdmin'], owns: [] },
      { userId: 'u-megan', displayName: 'Megan Bowen', roles: [], owns: ['IT Helpdesk'] },
      { userId: 'u-adele', displayName: 'Adele Vance', roles: [], owns: [] },
    ],
  },
];

describe('Sign in as (dev mode)', () => {
  const realFetch = globalThis.fetch;
  beforeEach(() => {
    globalThis.fetch = (input: RequestInfo | URL) =>
      Promise.resolve(
        (input instanceof Request ? input.url : input.toString()) === '/api/v1/dev/people'
          ? new Response(JSON.stringify(PEOPLE), {
              headers: { 'content-type': 'application/json' },
            })
          : new Response('{}', { status: 404 }),
      );
  });
  afterEach(() => {
    globalThis.fetch = realFetch;
    cleanup();
  });

  it('says what each person may do: admin roles and the services they own', async () => {
    renderInTeamsTheme(<SignIn onPick={() => undefined} />);
    await screen.findByRole('button', { name: 'Alex Wilber (tenant admin)' });
    screen.getByRole('button', { name: 'Megan Bowen (owner of IT Helpdesk)' });
    screen.getByRole('button', { name: 'Adele Vance' });
  });

  it('signs in as a person, or as the system operator', async () => {
    const picked: DevWho[] = [];
    renderInTeamsTheme(<SignIn onPick={(who) => picked.push(who)} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Adele Vance' }));
    await userEvent.click(screen.getByRole('button', { name: 'System operator' }));
    assert.deepEqual(picked, [{ tenantId: 't1', userId: 'u-adele' }, { system: true }]);
  });
});
