import { strict as assert } from 'node:assert';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiProblem } from '../api/api-problem';
import type { BoardMember, QueuedTask } from '../api/schemas';
import { aServiceDetail, at, NOW } from '../testing/builders';
import { fakeApi } from '../testing/fake-api';
import { renderInTeamsTheme } from '../testing/render';
import { ServicePage } from './ServicePage';
import { EVEN_IF_ARIA_HIDDEN } from '../testing/even-if-aria-hidden';

const BASE = '/tenants/t1/services/svc-helpdesk';
const member = (userId: string, displayName: string): BoardMember => ({
  userId,
  displayName,
  role: 'Member',
  active: true,
  available: false,
  reasons: ['presence'],
  missingLicenses: [],
  stateSince: at(-60),
  agent: {
    presence: 'Away',
    engagement: null,
    chats: [],
    ronaUntil: null,
    idleSince: at(-600),
    changedAt: at(-60),
  },
  engagedIn: null,
  inHand: null,
});
const task = (over: Partial<QueuedTask>): QueuedTask => ({
  taskId: 't-1',
  serviceId: 'svc-helpdesk',
  modality: 'Im',
  channel: null,
  subject: 'Printer on fire',
  link: null,
  state: 'Queued',
  priority: 'Normal',
  enqueuedAt: at(-90),
  decisions: [],
  ...over,
});
/** A queue's only page. */
const queuePage = (items: QueuedTask[], next: string | null = null, waiting = items.length) => ({
  items,
  next,
  waiting,
});

/** The page as an admin, an owner (canManage) or a member sees it. */
const page = (
  api: ReturnType<typeof fakeApi>['api'],
  canManage: boolean,
  admin = false,
  onDashboard?: () => void,
) =>
  renderInTeamsTheme(
    <ServicePage
      api={api}
      tenantId="t1"
      serviceId="svc-helpdesk"
      myState={null}
      now={Date.parse(NOW)}
      canManage={canManage}
      admin={admin}
      changes={0}
      onSettings={() => undefined}
      {...(onDashboard && { onDashboard })}
    />,
  );

describe('Service page', () => {
  afterEach(cleanup);

  it('tells someone outside the service, in one sentence, why its page is not theirs', async () => {
    const refused = new ApiProblem(403, 'forbidden', 'You are not a member of this service.');
    const { api } = fakeApi({
      [`GET ${BASE}/members?top=200`]: refused,
      [`GET ${BASE}/queue?top=50`]: refused,
      [`GET ${BASE}`]: refused,
    });
    page(api, false);
    await screen.findByRole('heading', { level: 1, name: 'Service not available' });
    screen.getByText(/This service’s page is for its members, its owners and admins/);
    const errorBars = screen.queryAllByText(/could not be loaded/).length;
    assert.equal(errorBars, 0, 'no error bars');
  });

  it('says a deleted service is gone', async () => {
    const gone = new ApiProblem(404, 'not_found', 'The service was not found.');
    const { api } = fakeApi({
      [`GET ${BASE}/members?top=200`]: gone,
      [`GET ${BASE}/queue?top=50`]: gone,
      [`GET ${BASE}`]: gone,
    });
    page(api, false);
    await screen.findByText(/There is no service at this address: it may have been deleted/);
  });

  it('opens the service’s dashboard for a member too', async () => {
    const { api } = fakeApi({
      [`GET ${BASE}/members?top=200`]: {
        now: NOW,
        serviceId: 'svc-helpdesk',
        name: 'IT Helpdesk',
        members: [member('u-adele', 'Adele Vance')],
      },
      [`GET ${BASE}/queue?top=50`]: queuePage([]),
    });
    let opened = 0;
    page(api, false, false, () => opened++);
    await screen.findByRole('heading', { level: 1, name: 'IT Helpdesk' });
    assert.ok(!screen.queryByRole('button', { name: 'Service settings' }), 'a member’s page');
    await userEvent.click(screen.getByRole('button', { name: 'Dashboard' }));
    assert.equal(opened, 1);
  });

  it('says for each waiting task whom it rang and whom the last try skipped, and why', async () => {
    const { api } = fakeApi({
      [`GET ${BASE}/members?top=200`]: {
        now: NOW,
        serviceId: 'svc-helpdesk',
        name: 'IT Helpdesk',
        members: [
          member('u-adele', 'Adele Vance'),
          member('u-isaiah', 'Isaiah Langer'),
          member('u-megan', 'Megan Bowen'),
        ],
      },
      [`GET ${BASE}/queue?top=50`]: queuePage([
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
      ]),
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

  it('shows the head of a long queue, the next page on request, and as much again after a change', async () => {
    const tasks = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) =>
        task({ taskId: `t-${from + i}`, subject: `Task ${from + i}` }),
      );
    const { api, calls } = fakeApi({
      [`GET ${BASE}/members?top=200`]: {
        now: NOW,
        serviceId: 'svc-helpdesk',
        name: 'IT',
        members: [],
      },
      [`GET ${BASE}/queue?top=50`]: queuePage(tasks(1, 50), 'page-2', 120),
      [`GET ${BASE}/queue?top=50&cursor=page-2`]: queuePage(tasks(51, 50), 'page-3', 120),
      [`GET ${BASE}/queue?top=100`]: queuePage(tasks(1, 100), 'page-3', 119),
      'POST /tasks/t-1/cancel': { taskId: 't-1', state: 'Canceled' },
    });
    page(api, true);
    const rows = async () =>
      within(await screen.findByRole('table', { name: 'Queue in serving order' })).getAllByRole(
        'row',
      ).length - 1;
    await screen.findByText('The first 50 of 120 waiting tasks, in the order they will be served.');
    assert.equal(await rows(), 50);
    await userEvent.click(screen.getByRole('button', { name: 'Show 50 more' }));
    await screen.findByText(
      'The first 100 of 120 waiting tasks, in the order they will be served.',
    );
    assert.equal(await rows(), 100);
    // A change (here a cancel) loads the head again, as far as it was shown, in one request.
    await userEvent.click(screen.getByRole('button', { name: 'Cancel “Task 1”' }));
    await userEvent.click(
      await screen.findByRole('button', { name: 'Cancel the task', ...EVEN_IF_ARIA_HIDDEN }),
    );
    await screen.findByText(
      'The first 100 of 119 waiting tasks, in the order they will be served.',
    );
    assert.deepEqual(
      calls.filter((c) => c.path.includes('/queue')).map((c) => c.path.split('?')[1]),
      ['top=50', 'top=50&cursor=page-2', 'top=100'],
    );
  });

  it('shows a big service’s members 200 at a time, and the next 200 on request', async () => {
    const members = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) =>
        member(
          `u-${String(from + i).padStart(3, '0')}`,
          `Person ${String(from + i).padStart(3, '0')}`,
        ),
      );
    const board = (list: ReturnType<typeof members>, next: string | null) => ({
      now: NOW,
      serviceId: 'svc-helpdesk',
      name: 'IT Helpdesk',
      members: list,
      total: 250,
      next,
    });
    const { api, calls } = fakeApi({
      [`GET ${BASE}/members?top=200`]: board(members(1, 200), 'page-2'),
      [`GET ${BASE}/members?top=200&cursor=page-2`]: board(members(201, 50), null),
      [`GET ${BASE}/queue?top=50`]: queuePage([]),
    });
    page(api, false);
    const rows = async () =>
      within(await screen.findByRole('table', { name: 'Members' })).getAllByRole('row').length - 1;
    await screen.findByText('200 of 250 members shown.');
    assert.equal(await rows(), 200);
    await userEvent.click(screen.getByRole('button', { name: 'Show 200 more members' }));
    await waitFor(async () => assert.equal(await rows(), 250));
    assert.ok(!screen.queryByRole('button', { name: 'Show 200 more members' }), 'all shown');
    assert.deepEqual(
      calls.filter((c) => c.path.includes('/members')).map((c) => c.path.split('?')[1]),
      ['top=200', 'top=200&cursor=page-2'],
    );
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
        [`GET ${BASE}/members?top=200`]: board,
        [`GET ${BASE}/queue?top=50`]: () => Promise.resolve(queuePage(canceled ? [] : [task({})])),
        'POST /tasks/t-1/cancel': () => {
          canceled = true;
          return Promise.resolve({ taskId: 't-1', state: 'Canceled' });
        },
      });
      page(api, true);
      await userEvent.click(
        await screen.findByRole('button', { name: 'Cancel “Printer on fire”' }),
      );
      const dialog = await screen.findByRole('dialog', EVEN_IF_ARIA_HIDDEN);
      within(dialog).getByText('Cancel “Printer on fire”?');
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Keep it', ...EVEN_IF_ARIA_HIDDEN }),
      );
      // Closed: gone from the page entirely, not only hidden from assistive technology.
      await waitFor(() =>
        assert.ok(!document.querySelector('.fui-DialogSurface'), 'dialog closed'),
      );
      assert.ok(!calls.some((c) => c.method === 'POST'), 'kept: nothing sent');
      await userEvent.click(
        await screen.findByRole('button', {
          name: 'Cancel “Printer on fire”',
          ...EVEN_IF_ARIA_HIDDEN,
        }),
      );
      await userEvent.click(
        await screen.findByRole('button', { name: 'Cancel the task', ...EVEN_IF_ARIA_HIDDEN }),
      );
      await screen.findByText('No task is waiting.');
      assert.deepEqual(
        calls.filter((c) => c.method === 'POST').map((c) => c.path),
        ['/tasks/t-1/cancel'],
      );
    });

    it('says why when the task can no longer be canceled', async () => {
      const { api } = fakeApi({
        [`GET ${BASE}/members?top=200`]: board,
        [`GET ${BASE}/queue?top=50`]: queuePage([task({})]),
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
      await userEvent.click(
        await screen.findByRole('button', { name: 'Cancel the task', ...EVEN_IF_ARIA_HIDDEN }),
      );
      await screen.findByText('The task could not be canceled');
      screen.getByText(/accepted, so it can no longer be canceled/);
    });

    it('offers no cancel to members', async () => {
      const { api } = fakeApi({
        [`GET ${BASE}/members?top=200`]: board,
        [`GET ${BASE}/queue?top=50`]: queuePage([task({})]),
      });
      page(api, false);
      await screen.findByRole('table', { name: 'Queue in serving order' });
      assert.ok(!screen.queryByRole('button', { name: /^Cancel/ }), 'not shown');
    });
  });

  describe('a task in hand', () => {
    const adele: BoardMember = {
      ...member('u-adele', 'Adele Vance'),
      reasons: ['busyElsewhere'],
      agent: { ...member('u-adele', '').agent, presence: 'Available', engagement: null },
      engagedIn: 'IT Helpdesk',
      inHand: {
        taskId: 't-9',
        subject: 'VPN down',
        modality: 'Call',
        acceptedAt: at(-3 * 3600),
        longerThanUsual: true,
      },
    };
    const board = (viewerMayEdit: boolean) => ({
      now: NOW,
      serviceId: 'svc-helpdesk',
      name: 'IT Helpdesk',
      members: [adele],
      viewerMayEdit,
      usualHandlingMs: 600_000,
    });

    it('shows what each member has in hand, for how long, and flags it past the usual time', async () => {
      const { api } = fakeApi({
        [`GET ${BASE}/members?top=200`]: board(false),
        [`GET ${BASE}/queue?top=50`]: queuePage([]),
      });
      page(api, false);
      const members = await screen.findByRole('table', { name: 'Members' });
      const row = within(members).getAllByRole('row')[1];
      assert.ok(row);
      within(row).getByText('VPN down');
      within(row).getByText('Call · for 3 h');
      within(row).getByText('Longer than usual');
      assert.ok(!within(row).queryByRole('button', { name: /End/ }), 'members cannot end it');
    });

    it('an owner ends it with a reason; without one nothing is sent', async () => {
      let ended = false;
      const { api, calls } = fakeApi({
        [`GET ${BASE}/members?top=200`]: () =>
          Promise.resolve(
            ended ? { ...board(true), members: [{ ...adele, inHand: null }] } : board(true),
          ),
        [`GET ${BASE}/queue?top=50`]: queuePage([]),
        'POST /tasks/t-9/end': () => {
          ended = true;
          return Promise.resolve({ taskId: 't-9', state: 'Completed' });
        },
      });
      page(api, true);
      await userEvent.click(
        await screen.findByRole('button', { name: 'End task “VPN down” for Adele Vance' }),
      );
      const dialog = await screen.findByRole('dialog', EVEN_IF_ARIA_HIDDEN);
      within(dialog).getByText('End “VPN down” for Adele Vance?');
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'End the task', ...EVEN_IF_ARIA_HIDDEN }),
      );
      within(dialog).getByText('Say why the task is ended.');
      assert.ok(!calls.some((c) => c.method === 'POST'), 'no reason: nothing sent');
      await userEvent.type(
        within(dialog).getByRole('textbox', { ...EVEN_IF_ARIA_HIDDEN }),
        'Adele went home',
      );
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'End the task', ...EVEN_IF_ARIA_HIDDEN }),
      );
      await waitFor(() =>
        assert.ok(!screen.queryByRole('button', { name: /End task “VPN down”/ }), 'End is gone'),
      );
      const sent = calls.filter((c) => c.method === 'POST');
      assert.deepEqual(
        sent.map((c) => [c.path, c.body]),
        [['/tasks/t-9/end', { reason: 'Adele went home' }]],
      );
    });

    it('says why when the task could not be ended', async () => {
      const { api } = fakeApi({
        [`GET ${BASE}/members?top=200`]: board(true),
        [`GET ${BASE}/queue?top=50`]: queuePage([]),
        'POST /tasks/t-9/end': new ApiProblem(
          409,
          'policy_denied',
          'Only an accepted task can be ended this way; this one is completed.',
        ),
      });
      page(api, true);
      await userEvent.click(
        await screen.findByRole('button', { name: 'End task “VPN down” for Adele Vance' }),
      );
      const dialog = await screen.findByRole('dialog', EVEN_IF_ARIA_HIDDEN);
      await userEvent.type(
        within(dialog).getByRole('textbox', { ...EVEN_IF_ARIA_HIDDEN }),
        'stuck',
      );
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'End the task', ...EVEN_IF_ARIA_HIDDEN }),
      );
      await screen.findByText(/this one is completed/);
    });
  });

  describe('who owns the service', () => {
    const board = (viewerMayEdit: boolean, adeleRole: BoardMember['role'] = 'Member') => ({
      now: NOW,
      serviceId: 'svc-helpdesk',
      name: 'IT Helpdesk',
      members: [
        { ...member('u-megan', 'Megan Bowen'), role: 'Owner' as const },
        { ...member('u-adele', 'Adele Vance'), role: adeleRole },
      ],
      viewerMayEdit,
      usualHandlingMs: 600_000,
    });

    it('an owner makes a member an owner; the page shows it', async () => {
      let promoted = false;
      const { api, calls } = fakeApi({
        [`GET ${BASE}/members?top=200`]: () =>
          Promise.resolve(board(true, promoted ? 'Owner' : 'Member')),
        [`GET ${BASE}/queue?top=50`]: queuePage([]),
        [`PUT ${BASE}/members/u-adele/role`]: () => {
          promoted = true;
          return Promise.resolve({ userId: 'u-adele', role: 'Owner', active: true, since: NOW });
        },
      });
      page(api, true);
      const role = await screen.findByRole<HTMLSelectElement>('combobox', {
        name: 'Role of Adele Vance',
      });
      assert.equal(role.value, 'Member');
      await userEvent.selectOptions(role, 'Owner');
      await waitFor(() =>
        assert.equal(
          screen.getByRole<HTMLSelectElement>('combobox', { name: 'Role of Adele Vance' }).value,
          'Owner',
        ),
      );
      assert.deepEqual(calls.find((c) => c.method === 'PUT')?.body, { role: 'Owner' });
    });

    it('says why a change is refused (the last owner)', async () => {
      const { api } = fakeApi({
        [`GET ${BASE}/members?top=200`]: board(true),
        [`GET ${BASE}/queue?top=50`]: queuePage([]),
        [`PUT ${BASE}/members/u-megan/role`]: new ApiProblem(
          400,
          'validation_failed',
          'Some fields are not valid: role: this is the last owner of IT Helpdesk: make someone else an owner first',
          [
            {
              field: 'role',
              message: 'this is the last owner of IT Helpdesk: make someone else an owner first',
            },
          ],
        ),
      });
      page(api, true);
      await userEvent.selectOptions(
        await screen.findByRole('combobox', { name: 'Role of Megan Bowen' }),
        'Member',
      );
      await screen.findByText(/this is the last owner of IT Helpdesk/);
    });

    it('shows roles as words to members, with nothing to change', async () => {
      const { api } = fakeApi({
        [`GET ${BASE}/members?top=200`]: board(false),
        [`GET ${BASE}/queue?top=50`]: queuePage([]),
      });
      page(api, false);
      const members = await screen.findByRole('table', { name: 'Members' });
      within(members).getByText('Owner');
      assert.ok(!screen.queryByRole('combobox', { name: /^Role of/ }), 'not shown');
    });
  });

  describe('agents of a skill-based service (admins)', () => {
    const SALES = '/tenants/t1/services/svc-helpdesk';
    const skillBased = aServiceDetail({ assignmentType: 'SkillBased', license: 'ContactCenter' });
    const person = (userId: string, displayName: string, licenses: string[], skills = {}) => ({
      userId,
      displayName,
      ouId: 'ou-sales',
      roles: [],
      licenses,
      skills,
    });
    const answers = (agents: BoardMember[]) => ({
      [`GET ${SALES}`]: skillBased,
      [`GET ${SALES}/members?top=200`]: {
        now: NOW,
        serviceId: 'svc-helpdesk',
        name: 'VIP Sales',
        members: agents,
        viewerMayEdit: true,
        usualHandlingMs: 600_000,
      },
      [`GET ${SALES}/queue?top=50`]: queuePage([]),
      [`GET /tenants/t1/directory`]: {
        orgUnits: [],
        users: [
          person('u-patti', 'Patti Fernandez', ['ContactCenterUser'], { german: 90 }),
          person('u-lynne', 'Lynne Robbins', ['ContactCenterUser'], { english: 70 }),
          person('u-megan', 'Megan Bowen', []),
        ],
      },
      [`PUT ${SALES}/members/u-lynne`]: {
        userId: 'u-lynne',
        role: 'Member',
        active: true,
        since: NOW,
      },
      [`DELETE ${SALES}/members/u-patti`]: null,
    });
    it('adds a person with a Contact Center user license, shown with their skills, and removes an agent', async () => {
      const { api, calls } = fakeApi(answers([member('u-patti', 'Patti Fernandez')]));
      page(api, true, true);
      const agents = within(await screen.findByRole('region', { name: 'Agents' }));
      await agents.findByText('Patti Fernandez (german 90)');
      const pick = await agents.findByRole<HTMLSelectElement>('combobox', { name: 'Add an agent' });
      const options = within(pick)
        .getAllByRole('option')
        .map((o) => o.textContent);
      assert.deepEqual(options, ['Lynne Robbins (english 70)'], 'licensed people not yet agents');
      await userEvent.click(agents.getByRole('button', { name: 'Add' }));
      await waitFor(() => assert.ok(calls.some((c) => c.method === 'PUT')));
      assert.deepEqual(
        calls.filter((c) => c.method === 'PUT').map((c) => [c.path, c.body]),
        [[`${SALES}/members/u-lynne`, { active: true }]],
      );
      await userEvent.click(agents.getByRole('button', { name: 'Remove Patti Fernandez' }));
      await waitFor(() => assert.ok(calls.some((c) => c.method === 'DELETE')));
      screen.getAllByText('By skills');
    });
  });

  describe('a test task', () => {
    const board = {
      now: NOW,
      serviceId: 'svc-helpdesk',
      name: 'IT Helpdesk',
      members: [member('u-adele', 'Adele Vance')],
      viewerMayEdit: true,
      usualHandlingMs: 600_000,
    };

    it('an owner sends one, and is told where it went', async () => {
      const { api, calls } = fakeApi({
        [`GET ${BASE}/members?top=200`]: board,
        [`GET ${BASE}/queue?top=50`]: queuePage([]),
        [`POST ${BASE}/tasks`]: { taskId: 't-test', state: 'Queued', exit: 'NoOneAvailable' },
      });
      page(api, true);
      await userEvent.click(await screen.findByRole('button', { name: 'Send a test task' }));
      await screen.findByText('The test task is waiting: nobody is free for it now.');
      assert.deepEqual(calls.find((c) => c.method === 'POST')?.body, {
        modality: 'ExternalTask',
        subject: 'Test task from the tab',
      });
    });

    it('is not offered to members', async () => {
      const { api } = fakeApi({
        [`GET ${BASE}/members?top=200`]: board,
        [`GET ${BASE}/queue?top=50`]: queuePage([]),
      });
      page(api, false);
      await screen.findByRole('table', { name: 'Members' });
      assert.ok(!screen.queryByRole('button', { name: 'Send a test task' }), 'not shown');
    });
  });
});
