import { strict as assert } from 'node:assert';
import { cleanup, screen, within } from '@testing-library/react';
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
    renderInTeamsTheme(
      <ServicePage
        api={api}
        tenantId="t1"
        serviceId="svc-helpdesk"
        myState={null}
        now={Date.parse(NOW)}
        canManage={false}
        changes={0}
        onSettings={() => undefined}
      />,
    );
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
});
