import { strict as assert } from 'node:assert';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiProblem } from '../api/api-problem';
import type { BoardMember, QueuedTask } from '../api/schemas';
import { at, NOW } from '../testing/builders';
import { fakeApi } from '../testing/fake-api';
import { renderInTeamsTheme } from '../testing/render';
import { ServicePage } from './ServicePage';

const BASE = '/tenants/t1/services/svc-helpdesk';
const member = (userId: string, displayName: string): BoardMember => ({
  userId,
  displayName,
  role: 'Member',
  active: true,
  available: false,
  reasons: ['presence'],
  stateSince: at(-60),
  agent: {
    presence: 'Away',
    engagement: null,
    ronaUntil: null,
    idleSince: at(-600),
    changedAt: at(-60),
  },
  engagedIn: null,
});
const task = (over: Partial<QueuedTask>): QueuedTask => ({
  taskId: 't-1',
  serviceId: 'svc-helpdesk',
  modality: 'Im',
  subject: 'Printer on fire',
  state: 'Queued',
  priority: 'Normal',
  enqueuedAt: at(-90),
  decisions: [],
  ...over,
});

/** The page as an owner (canManage) or a member sees it. */
const page = (api: ReturnType<typeof fakeApi>['api'], canManage: boolean) =>
  renderInTeamsTheme(
    <ServicePage
      api={api}
      tenantId="t1"
      serviceId="svc-helpdesk"
      myState={null}
      now={Date.parse(NOW)}
      canManage={canManage}
      changes={0}
      onSettings={() => undefined}
    />,
  );

describe('Service page', () => {
  afterEach(cleanup);

  it('says for each waiting task whom it rang and whom the last try skipped, and why', async () => {
    const { api } = fakeApi({
      [`GET ${BASE}/members`]: {
        now: NOW,
        serviceId: 'svc-helpdesk',
        name: 'IT Helpdesk',
        members: [
          member('u-adele', 'Adele Vance'),
          member('u-isaiah', 'Isaiah Langer'),
          member('u-megan', 'Megan Bowen'),
        ],
      },
      [`GET ${BASE}/queue`]: [
        task({
          decisions: [
            { at: at(-80), offeredTo: ['u-adele'], skipped: [] },
            {
              at: at(-40),
              offeredTo: ['u-isaiah'],
              skipped: [
                { userId: 'u-adele', reasons: ['declined'] },
                { userId: 'u-megan', reasons: ['presence', 'inactive'] },
              ],
            },
          ],
        }),
        task({ taskId: 't-2', subject: 'New laptop', modality: 'Email' }),
      ],
    });
    page(api, false);
    const queue = await screen.findByRole('table', { name: 'Queue in serving order' });
    const [, first, second] = within(queue).getAllByRole('row');
    assert.ok(first && second);
    within(first).getByText('Chat');
    within(first).getByText('Rang Adele Vance, Isaiah Langer');
    const skipped = within(first).getByText(/skipped/).textContent ?? '';
    assert.match(
      skipped,
      /^At \d\d:\d\d(\s?[AP]M)?, skipped Adele Vance \(had declined or missed it\) · Megan Bowen \(presence not admitted, switched off\)$/,
    );
    within(second).getByText('E-mail');
    within(second).getByText('Not yet');
  });

  describe('canceling a waiting task', () => {
    const board = {
      now: NOW,
      serviceId: 'svc-helpdesk',
      name: 'IT Helpdesk',
      members: [member('u-adele', 'Adele Vance')],
    };
    it('asks first, then cancels it and loads the queue again', async () => {
      let canceled = false;
      const { api, calls } = fakeApi({
        [`GET ${BASE}/members`]: board,
        [`GET ${BASE}/queue`]: () => Promise.resolve(canceled ? [] : [task({})]),
        'POST /tasks/t-1/cancel': () => {
          canceled = true;
          return Promise.resolve({ taskId: 't-1', state: 'Canceled' });
        },
      });
      page(api, true);
      await userEvent.click(
        await screen.findByRole('button', { name: 'Cancel “Printer on fire”' }),
      );
      const dialog = await screen.findByRole('dialog');
      within(dialog).getByText('Cancel “Printer on fire”?');
      await userEvent.click(within(dialog).getByRole('button', { name: 'Keep it' }));
      await waitFor(() => assert.equal(screen.queryByRole('dialog'), null));
      assert.ok(!calls.some((c) => c.method === 'POST'), 'kept: nothing sent');
      await userEvent.click(screen.getByRole('button', { name: 'Cancel “Printer on fire”' }));
      await userEvent.click(await screen.findByRole('button', { name: 'Cancel the task' }));
      await screen.findByText('No task is waiting.');
      assert.deepEqual(
        calls.filter((c) => c.method === 'POST').map((c) => c.path),
        ['/tasks/t-1/cancel'],
      );
    });

    it('says why when the task can no longer be canceled', async () => {
      const { api } = fakeApi({
        [`GET ${BASE}/members`]: board,
        [`GET ${BASE}/queue`]: [task({})],
        'POST /tasks/t-1/cancel': new ApiProblem(
          409,
          'policy_denied',
          'This task is accepted, so it can no longer be canceled.',
        ),
      });
      page(api, true);
      await userEvent.click(
        await screen.findByRole('button', { name: 'Cancel “Printer on fire”' }),
      );
      await userEvent.click(await screen.findByRole('button', { name: 'Cancel the task' }));
      await screen.findByText('The task could not be canceled');
      screen.getByText(/accepted, so it can no longer be canceled/);
    });

    it('offers no cancel to members', async () => {
      const { api } = fakeApi({
        [`GET ${BASE}/members`]: board,
        [`GET ${BASE}/queue`]: [task({})],
      });
      page(api, false);
      await screen.findByRole('table', { name: 'Queue in serving order' });
      assert.equal(screen.queryByRole('button', { name: /^Cancel/ }), null);
    });
  });
});
