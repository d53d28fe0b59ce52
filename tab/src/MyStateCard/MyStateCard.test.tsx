import { strict as assert } from 'node:assert';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiProblem } from '../api/api-problem';
import type { MyState, Offer } from '../api/schemas';
import { aMyState, at, NOW } from '../testing/builders';
import { fakeApi } from '../testing/fake-api';
import { renderInTeamsTheme } from '../testing/render';
import { MyStateCard } from './MyStateCard';

const now = Date.parse(NOW);
const ringing: MyState['engagement'] = { kind: 'offered', taskId: 't1', serviceId: 'svc-helpdesk' };
const offer: Offer = {
  taskId: 't1',
  serviceId: 'svc-helpdesk',
  modality: 'Call',
  subject: 'VPN down',
  link: null,
  channel: null,
  state: 'Offered',
  priority: 'Normal',
  enqueuedAt: at(-5),
  offerExpiresAt: at(32),
  decisions: [{ at: at(-1), offeredTo: ['me'], skipped: [] }],
};
const show = (state: MyState, api: ReturnType<typeof fakeApi>['api']) =>
  renderInTeamsTheme(
    <MyStateCard state={state} now={now} api={api} serviceName={() => 'IT Helpdesk'} />,
  );

describe('My state', () => {
  afterEach(cleanup);

  for (const [button, verb] of [
    ['Accept', 'accept'],
    ['Decline', 'decline'],
  ] as const)
    it(`shows what rings for me, and ${verb}s it with one request`, async () => {
      const path = `/tasks/t1/${verb}`;
      const { api, calls } = fakeApi({ 'GET /me/offers': [offer], [`POST ${path}`]: {} });
      show(aMyState({ engagement: ringing }), api);
      screen.getByText('A task of IT Helpdesk is ringing for you.');
      await screen.findByText('Call: VPN down — answer within 0:32');
      await userEvent.click(screen.getByRole('button', { name: button }));
      await waitFor(() =>
        assert.deepEqual(
          calls.filter((c) => c.method === 'POST').map((c) => c.path),
          [path],
        ),
      );
    });

  it('says so in the API’s words when someone else took it first', async () => {
    const { api } = fakeApi({
      'GET /me/offers': [offer],
      'POST /tasks/t1/accept': new ApiProblem(409, 'conflict', 'Someone else accepted this task.'),
    });
    show(aMyState({ engagement: ringing }), api);
    await userEvent.click(screen.getByRole('button', { name: 'Accept' }));
    await screen.findByText(/Someone else accepted this task/);
  });

  it('keeps the task I took in view (what, since when) and completes it, offering nothing to accept', async () => {
    const { api, calls } = fakeApi({
      'GET /tasks/t1': {
        ...offer,
        state: 'Accepted',
        acceptedAt: at(-192),
        link: 'https://crm.contoso.com/cases/42',
      },
      'POST /tasks/t1/complete': {},
    });
    show(
      aMyState({ engagement: { kind: 'accepted', taskId: 't1', serviceId: 'svc-helpdesk' } }),
      api,
    );
    screen.getByText('On a task of IT Helpdesk.');
    await screen.findByText(/^Call: VPN down — since \d{1,2}:\d{2}.* \(3:12\)$/);
    assert.equal(
      screen.getByRole('link', { name: 'Open the task' }).getAttribute('href'),
      'https://crm.contoso.com/cases/42',
    );
    assert.ok(!screen.queryByRole('button', { name: 'Accept' }), 'not shown');
    await userEvent.click(screen.getByRole('button', { name: 'Complete' }));
    await waitFor(() =>
      assert.deepEqual(
        calls.filter((c) => c.method === 'POST').map((c) => `${c.method} ${c.path}`),
        ['POST /tasks/t1/complete'],
      ),
    );
  });

  it('says so when the details of the task in hand cannot be read', async () => {
    const { api } = fakeApi({
      'GET /tasks/t1': new ApiProblem(404, 'not_found', 'The task was not found.'),
    });
    show(
      aMyState({ engagement: { kind: 'accepted', taskId: 't1', serviceId: 'svc-helpdesk' } }),
      api,
    );
    await screen.findByText('The task’s details could not be loaded');
    screen.getByText(/The task was not found\./);
  });

  it('has no task buttons without a task', () => {
    const { api, calls } = fakeApi({});
    show(aMyState(), api);
    screen.getByText('No task right now.');
    for (const name of ['Accept', 'Decline', 'Complete'])
      assert.ok(!screen.queryByRole('button', { name }), 'not shown');
    assert.deepEqual(calls, [], 'asks nothing when nothing rings');
  });

  it('shows each chat I hold (chats at once) with its own lines and End chat, and ends the one asked', async () => {
    const chatTask = (id: string, subject: string) => ({
      ...offer,
      taskId: id,
      subject,
      modality: 'Im' as const,
      channel: 'interact' as const,
      state: 'Accepted' as const,
      acceptedAt: at(-30),
    });
    const lines = (id: string, name: string) => ({
      taskId: id,
      customerName: name,
      agentName: 'Me',
      leftAt: null,
      messages: [{ key: 'k1', from: 'customer', text: `I am ${name}`, at: at(-20) }],
    });
    const { api, calls } = fakeApi({
      'GET /tasks/c1': chatTask('c1', 'Password'),
      'GET /tasks/c2': chatTask('c2', 'Printer'),
      'GET /tasks/c1/chat': lines('c1', 'Ann'),
      'GET /tasks/c2/chat': lines('c2', 'Bea'),
      'POST /tasks/c2/complete': {},
    });
    show(
      aMyState({
        chats: [
          { taskId: 'c1', serviceId: 'svc-helpdesk' },
          { taskId: 'c2', serviceId: 'svc-helpdesk' },
        ],
      }),
      api,
    );
    screen.getByText('In 2 chats.');
    await screen.findByRole('log', { name: 'Chat with Ann' });
    await screen.findByRole('log', { name: 'Chat with Bea' });
    const second = screen.getByRole('group', { name: 'Chat: Printer' });
    await userEvent.click(within(second).getByRole('button', { name: 'End chat' }));
    await waitFor(() =>
      assert.deepEqual(
        calls.filter((c) => c.method === 'POST').map((c) => c.path),
        ['/tasks/c2/complete'],
      ),
    );
  });

  it('shows the website chat in my hands with its lines as text, and sends my reply', async () => {
    const hostile = '<img src=x onerror="alert(1)"> **hi**';
    const { api, calls } = fakeApi({
      'GET /tasks/t1': {
        ...offer,
        modality: 'Im',
        channel: 'interact',
        state: 'Accepted',
        acceptedAt: at(-30),
      },
      'GET /tasks/t1/chat': {
        taskId: 't1',
        customerName: 'Ann Customer',
        agentName: 'Me',
        leftAt: null,
        messages: [{ key: 'k1', from: 'customer', text: hostile, at: at(-20) }],
      },
      'POST /tasks/t1/chat/messages': { key: 'k2', from: 'agent', text: 'Hello Ann', at: at(0) },
    });
    show(
      aMyState({ engagement: { kind: 'accepted', taskId: 't1', serviceId: 'svc-helpdesk' } }),
      api,
    );
    const log = await screen.findByRole('log', { name: 'Chat with Ann Customer' });
    within(log).getByText(hostile);
    assert.ok(!document.querySelector('section[aria-label="Website chat"] img'), 'no markup made');
    screen.getByRole('button', { name: 'End chat' });
    await userEvent.type(
      screen.getByRole('textbox', { name: 'Reply to Ann Customer' }),
      'Hello Ann',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() =>
      assert.deepEqual(
        calls.filter((c) => c.method === 'POST').map((c) => [c.path, c.body]),
        [['/tasks/t1/chat/messages', { text: 'Hello Ann' }]],
      ),
    );
  });
});
