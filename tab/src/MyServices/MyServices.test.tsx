import { strict as assert } from 'node:assert';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiProblem } from '../api/api-problem';
import { fakeApi } from '../testing/fake-api';
import { aMyService, aMyState, at, NOW } from '../testing/builders';
import { renderInTeamsTheme } from '../testing/render';
import { MyServices } from './MyServices';

const href = (id: string) => `#/service/${id}`;
const now = Date.parse(NOW);

describe('My Services', () => {
  afterEach(cleanup);

  it('shows each service with its Active switch, availability and time in state', () => {
    const { api } = fakeApi({});
    renderInTeamsTheme(<MyServices state={aMyState()} now={now} api={api} hrefOf={href} />);
    const card = screen.getByRole('group', { name: 'IT Helpdesk' });
    assert.equal(
      within(card).getByRole<HTMLInputElement>('switch', { name: 'Active in IT Helpdesk' }).checked,
      true,
    );
    within(card).getByText('Available');
    within(card).getByText('for 2 min');
    assert.equal(
      within(card).getByRole('link', { name: 'IT Helpdesk' }).getAttribute('href'),
      '#/service/svc-helpdesk',
    );
  });

  it('says which kinds of tasks I get none of for want of a license, and nothing when I hold them all', () => {
    const { api } = fakeApi({});
    const state = aMyState({
      missingLicenses: [
        { modality: 'Im', license: 'InstantMessaging' },
        { modality: 'Email', license: 'Email' },
      ],
    });
    renderInTeamsTheme(<MyServices state={state} now={now} api={api} hrefOf={href} />);
    screen.getByText(
      'You get no chats or e-mails: they need Instant Messaging and Email licenses, which an admin assigns.',
    );
    cleanup();
    renderInTeamsTheme(<MyServices state={aMyState()} now={now} api={api} hrefOf={href} />);
    assert.ok(!screen.queryByText(/^You get no/), 'not shown');
  });

  it('says how many chats I hold of how many a service allows (chats at once), in words', () => {
    const { api } = fakeApi({
      'GET /tasks/c1': {
        taskId: 'c1',
        serviceId: 'svc-helpdesk',
        modality: 'Im',
        subject: 'Password',
        state: 'Accepted',
        acceptedAt: at(-30),
      },
    });
    const chats = [{ taskId: 'c1', serviceId: 'svc-helpdesk' }];
    const state = aMyState({
      chats,
      services: [
        aMyService({ chatsAtOnce: 3 }),
        aMyService({
          serviceId: 'svc-sales',
          name: 'Sales',
          chatsAtOnce: 1,
          available: false,
          reasons: ['busyElsewhere'],
        }),
        aMyService({
          serviceId: 'svc-vip',
          name: 'VIP',
          chatsAtOnce: 1,
          available: false,
          reasons: ['chats'],
        }),
      ],
    });
    renderInTeamsTheme(<MyServices state={state} now={now} api={api} hrefOf={href} />);
    const helpdesk = screen.getByRole('group', { name: 'IT Helpdesk' });
    within(helpdesk).getByText('Available for chats');
    within(helpdesk).getByText('Only further chats come: in 1 of 3 chats.');
    within(screen.getByRole('group', { name: 'Sales' })).getByText('Busy in IT Helpdesk');
    within(screen.getByRole('group', { name: 'VIP' })).getByText('In 1 of 1 chat');
  });

  it('shows no time in state where the tenant hides it', () => {
    const { api } = fakeApi({});
    const state = aMyState();
    const hidden = { ...state, services: state.services.map((s) => ({ ...s, stateSince: null })) };
    renderInTeamsTheme(<MyServices state={hidden} now={now} api={api} hrefOf={href} />);
    const card = screen.getByRole('group', { name: 'IT Helpdesk' });
    within(card).getByText('Available');
    assert.ok(!within(card).queryByText(/^for /), 'not shown');
  });

  it('has no switch for a skill-based service and says why', () => {
    const { api } = fakeApi({});
    const state = aMyState({
      services: [
        aMyService({ serviceId: 'svc-vip', name: 'VIP Sales', assignmentType: 'SkillBased' }),
      ],
    });
    renderInTeamsTheme(<MyServices state={state} now={now} api={api} hrefOf={href} />);
    assert.ok(!screen.queryByRole('switch'), 'not shown');
    screen.getByText(/Skill-based service: you get its tasks whenever your skills match/);
  });

  const reasonCases = [
    {
      name: 'after-call work with the time left on the server clock',
      state: aMyState({
        engagement: {
          kind: 'acw',
          taskId: 't1',
          serviceId: 'svc-helpdesk',
          until: at(72),
          allowEarlyEnd: true,
          allowExtension: false,
          maxExtensionSec: 300,
        },
        services: [aMyService({ available: false, reasons: ['acw'] })],
      }),
      words: 'In after-call work — 1:12 left',
    },
    {
      name: 'presence',
      state: aMyState({
        presence: 'DoNotDisturb',
        services: [aMyService({ available: false, reasons: ['presence'] })],
      }),
      words: 'Do not disturb in Teams',
    },
    {
      name: 'busy in another service, by its name',
      state: aMyState({
        engagement: { kind: 'accepted', taskId: 't1', serviceId: 'svc-sales' },
        services: [
          aMyService({ available: false, reasons: ['busyElsewhere'] }),
          aMyService({ serviceId: 'svc-sales', name: 'Sales Line', available: false }),
        ],
      }),
      words: 'Busy in Sales Line',
    },
    {
      name: 'switched off',
      state: aMyState({
        services: [aMyService({ active: false, available: false, reasons: ['inactive'] })],
      }),
      words: 'Switched off for this service',
    },
  ];
  for (const c of reasonCases)
    it(`says why not available: ${c.name}`, () => {
      const { api } = fakeApi({});
      renderInTeamsTheme(<MyServices state={c.state} now={now} api={api} hrefOf={href} />);
      const reasons = screen.getByRole('list', { name: 'Why not available in IT Helpdesk' });
      within(reasons).getByText(c.words);
      within(screen.getByRole('group', { name: 'IT Helpdesk' })).getByText('Not available');
    });

  it('switching Active off asks the API once for this service', async () => {
    const { api, calls } = fakeApi({
      'PUT /me/services/svc-helpdesk/active': { serviceId: 'svc-helpdesk', active: false },
    });
    renderInTeamsTheme(<MyServices state={aMyState()} now={now} api={api} hrefOf={href} />);
    await userEvent.click(screen.getByRole('switch', { name: 'Active in IT Helpdesk' }));
    await waitFor(() => assert.equal(calls.length, 1));
    assert.deepEqual(calls[0], {
      method: 'PUT',
      path: '/me/services/svc-helpdesk/active',
      body: { active: false },
    });
  });

  it('shows the API’s refusal in its own words', async () => {
    const { api } = fakeApi({
      'PUT /me/services/svc-helpdesk/active': new ApiProblem(
        409,
        'tenant_inactive',
        'The tenant is suspended: service routing is paused.',
      ),
    });
    renderInTeamsTheme(<MyServices state={aMyState()} now={now} api={api} hrefOf={href} />);
    await userEvent.click(screen.getByRole('switch', { name: 'Active in IT Helpdesk' }));
    await screen.findByText('The tenant is suspended: service routing is paused.');
  });

  it('offers End after-call work where the service allows it', async () => {
    const { api, calls } = fakeApi({ 'POST /me/acw/end': {} });
    const state = aMyState({
      engagement: {
        kind: 'acw',
        taskId: 't1',
        serviceId: 'svc-helpdesk',
        until: at(30),
        allowEarlyEnd: true,
        allowExtension: false,
        maxExtensionSec: 300,
      },
    });
    renderInTeamsTheme(<MyServices state={state} now={now} api={api} hrefOf={href} />);
    assert.ok(!screen.queryByRole('button', { name: /Extend/ }), 'not shown');
    await userEvent.click(screen.getByRole('button', { name: 'End after-call work' }));
    await waitFor(() =>
      assert.deepEqual(
        calls.filter((c) => c.method === 'POST').map((c) => c.path),
        ['/me/acw/end'],
      ),
    );
  });
});
