import { strict as assert } from 'node:assert';
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiProblem } from '../api/api-problem';
import type { DashboardView, OverviewView } from '../api/schemas';
import { fakeApi } from '../testing/fake-api';
import { renderInTeamsTheme } from '../testing/render';
import { Dashboard, duration } from './Dashboard';

const PATH = '/tenants/t1/services/svc-helpdesk/dashboard';
const NOW = Date.parse('2026-06-10T10:00:00Z');
const spread = (averageMs: number | null, p90Ms: number | null, count = 2) => ({
  count,
  averageMs,
  p90Ms,
});
const hours = Array.from({ length: 24 }, (_, hour) => ({
  hour,
  offered: hour === 9 ? 3 : 0,
  accepted: hour === 9 ? 2 : 0,
  abandoned: hour === 9 ? 1 : 0,
}));
const aDashboard = (over: Partial<DashboardView> = {}): DashboardView => ({
  serviceName: 'IT Helpdesk',
  timeZone: 'Europe/Zurich',
  period: { from: '2026-06-09T22:00:00.000Z', to: '2026-06-10T22:00:00.000Z' },
  serviceLevelSec: 20,
  kpis: {
    offered: 3,
    accepted: 2,
    abandoned: 1,
    missed: 1,
    withdrawn: 0,
    wait: spread(19_500, 29_000),
    handle: spread(65_000, 65_000, 1),
    acw: spread(null, null, 0),
    serviceLevel: 1 / 3,
    perHour: hours,
    waitBands: [
      { upToSec: 10, count: 0 },
      { upToSec: 20, count: 0 },
      { upToSec: 30, count: 2 },
      { upToSec: 60, count: 0 },
      { upToSec: null, count: 0 },
    ],
  },
  people: [
    {
      userId: 'u-megan',
      displayName: 'Megan Bowen',
      accepted: 1,
      handled: 1,
      handle: spread(65_000, 65_000, 1),
      missed: 0,
      activeMs: null,
      availableMs: null,
    },
  ],
  live: {
    waiting: 1,
    longestWaitingSince: '2026-06-10T09:58:30.000Z',
    available: 1,
    busy: 2,
    inAcw: 0,
  },
  ...over,
});

const show = (api: ReturnType<typeof fakeApi>['api'], changes = 0) =>
  renderInTeamsTheme(
    <Dashboard
      api={api}
      tenantId="t1"
      serviceId="svc-helpdesk"
      now={NOW}
      changes={changes}
      onBack={() => undefined}
    />,
  );
const tile = (label: string) => screen.getByRole('group', { name: label });

describe('a service’s dashboard', () => {
  afterEach(cleanup);

  it('shows today’s figures in tiles, the hours with tasks and each person, in words', async () => {
    const { api } = fakeApi({ [`GET ${PATH}?days=1`]: aDashboard() });
    show(api);
    await screen.findByRole('heading', { level: 1, name: 'IT Helpdesk dashboard' });
    within(tile('Service level')).getByText('33%');
    within(tile('Service level')).getByText('accepted within 20 s');
    within(tile('Average wait')).getByText('20 s');
    within(tile('Wait, 9 in 10 within')).getByText('29 s');
    within(tile('Average handle time')).getByText('1 min 5 s');
    within(tile('Average after-call work')).getByText('–');
    within(tile('Longest waiting')).getByText('1 min 30 s');
    within(tile('Busy')).getByText('2');
    screen.getByRole('figure', { name: /^Tasks per hour of the day \(chart/ });
    screen.getByRole('figure', { name: /^Accepted tasks by how long they waited \(chart/ });
    const people = screen.getByRole('table', { name: /Each person/ });
    within(people).getByText('Megan Bowen');
    screen.getByText(/Days counted in Europe\/Zurich/);
  });

  it('each chart has its figures as a table too', async () => {
    const { api } = fakeApi({ [`GET ${PATH}?days=1`]: aDashboard() });
    show(api);
    await screen.findByRole('heading', { level: 1, name: 'IT Helpdesk dashboard' });
    const [hourTabs, waitTabs] = screen.getAllByRole('tablist');
    await userEvent.click(within(hourTabs!).getByRole('tab', { name: 'Table' }));
    const perHour = screen.getByRole('table', { name: 'Tasks per hour of the day' });
    assert.equal(within(perHour).getAllByRole('row').length, 2, 'a header and the one hour');
    assert.deepEqual(
      within(perHour)
        .getAllByRole('cell')
        .map((c) => c.textContent),
      ['09:00', '3', '2', '1', '0'],
    );
    within(perHour).getByText('Hour (Europe/Zurich)');
    assert.ok(!screen.queryByRole('figure', { name: /^Tasks per hour/ }), 'the table instead');
    await userEvent.click(within(waitTabs!).getByRole('tab', { name: 'Table' }));
    const waits = screen.getByRole('table', { name: 'Accepted tasks by how long they waited' });
    assert.deepEqual(
      within(waits)
        .getAllByRole('row')
        .slice(1)
        .map((row) => [...row.querySelectorAll('td')].map((c) => c.textContent).join(' | ')),
      [
        'up to 10 s | 0 | 0% | Yes',
        'up to 20 s | 0 | 0% | Yes',
        'up to 30 s | 2 | 100% | No',
        'up to 1 min | 0 | 0% | No',
        'over 1 min | 0 | 0% | No',
      ],
    );
  });

  it('shows each person’s time Active and available when the tenant keeps people’s states', async () => {
    const megan = { ...aDashboard().people[0]!, activeMs: 2_360_000, availableMs: 1_440_000 };
    const { api } = fakeApi({ [`GET ${PATH}?days=1`]: aDashboard({ people: [megan] }) });
    show(api);
    const people = await screen.findByRole('table', { name: /Each person/ });
    assert.deepEqual(
      within(people)
        .getAllByRole('cell')
        .map((c) => c.textContent),
      ['Megan Bowen', '1', '1', '1 min 5 s', '0', '39 min 20 s', '24 min'],
    );
    assert.ok(!screen.queryByText(/Persist user states/), 'no note: the figures are there');
  });

  it('says where time in states comes from when the tenant keeps none', async () => {
    const { api } = fakeApi({ [`GET ${PATH}?days=1`]: aDashboard() });
    show(api);
    const people = await screen.findByRole('table', { name: /Each person/ });
    assert.equal(within(people).getAllByRole('columnheader').length, 5);
    screen.getByText(/counted while the tenant keeps people’s states/);
  });

  it('reads the last 7 days when the period is chosen', async () => {
    const { api, calls } = fakeApi({
      [`GET ${PATH}?days=1`]: aDashboard(),
      [`GET ${PATH}?days=7`]: aDashboard({ kpis: { ...aDashboard().kpis, offered: 40 } }),
    });
    show(api);
    await screen.findByRole('heading', { level: 1, name: 'IT Helpdesk dashboard' });
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Period' }), '7');
    await within(tile('Offered')).findByText('40');
    assert.deepEqual(
      calls.map((c) => c.path),
      [`${PATH}?days=1`, `${PATH}?days=7`],
    );
  });

  it('counts chosen days once both are given', async () => {
    const { api, calls } = fakeApi({
      [`GET ${PATH}?days=1`]: aDashboard(),
      [`GET ${PATH}?from=2026-06-01&to=2026-06-07`]: aDashboard({
        kpis: { ...aDashboard().kpis, offered: 12 },
      }),
    });
    show(api);
    await screen.findByRole('heading', { level: 1, name: 'IT Helpdesk dashboard' });
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Period' }), 'range');
    await screen.findByText('Choose the first and the last day to count.');
    fireEvent.change(screen.getByLabelText('First day'), { target: { value: '2026-06-01' } });
    assert.equal(calls.length, 1, 'not before the last day is given');
    fireEvent.change(screen.getByLabelText('Last day'), { target: { value: '2026-06-07' } });
    within(await screen.findByRole('group', { name: 'Offered' })).getByText('12');
    assert.deepEqual(
      calls.map((c) => c.path),
      [`${PATH}?days=1`, `${PATH}?from=2026-06-01&to=2026-06-07`],
    );
  });

  it('says so when nothing happened, instead of empty tables', async () => {
    const { api } = fakeApi({
      [`GET ${PATH}?days=1`]: aDashboard({
        people: [],
        kpis: {
          ...aDashboard().kpis,
          perHour: hours.map((h) => ({ ...h, offered: 0 })),
          waitBands: [{ upToSec: null, count: 0 }],
        },
      }),
    });
    show(api);
    await screen.findByText('No task entered the queue in this period.');
    screen.getByText('No task was accepted in this period.');
    screen.getByText('Nobody took or missed a task in this period.');
  });

  it('says why when the dashboard is refused', async () => {
    const { api } = fakeApi({
      [`GET ${PATH}?days=1`]: new ApiProblem(403, 'forbidden', 'You are not in this service.'),
    });
    show(api);
    await screen.findByText('The dashboard could not be loaded');
    screen.getByText(/You are not in this service/);
  });
});

describe('the admins’ overview', () => {
  afterEach(cleanup);
  const OVERVIEW = '/tenants/t1/dashboard';
  const MONTHS = '/tenants/t1/statistics/active-users?months=12';
  const line = (serviceId: string, name: string, serviceLevelSec: number, over = {}) => ({
    serviceId,
    name,
    serviceLevelSec,
    kpis: { ...aDashboard().kpis, ...over },
    live: aDashboard().live,
  });
  const anOverview = (over: Partial<OverviewView> = {}): OverviewView => {
    const { serviceName: _name, serviceLevelSec: _sl, ...rest } = aDashboard();
    return {
      ...rest,
      tenantName: 'Contoso',
      scope: 'tenant',
      services: [
        line('svc-helpdesk', 'IT Helpdesk', 20),
        line('svc-sales', 'VIP Sales', 60, { offered: 7, serviceLevel: 0.5 }),
      ],
      ...over,
    };
  };
  const showOverview = (api: ReturnType<typeof fakeApi>['api']) =>
    renderInTeamsTheme(
      <Dashboard
        api={api}
        tenantId="t1"
        serviceId={null}
        now={NOW}
        changes={0}
        dashboardHref={(id) => `#/dashboard/${id}`}
      />,
    );

  it('adds up the services, each linked to its dashboard with its own threshold', async () => {
    const { api, calls } = fakeApi({
      [`GET ${OVERVIEW}?days=1`]: anOverview(),
      [`GET ${MONTHS}`]: [
        { month: '2026-06', users: 5 },
        { month: '2026-05', users: 4 },
      ],
    });
    showOverview(api);
    screen.getByRole('heading', { level: 1, name: 'Overview' });
    await screen.findByText(/^Every service of Contoso, added up\./);
    within(tile('Service level')).getByText('each service within its own threshold');
    const services = screen.getByRole('table', { name: 'Each service in this period' });
    assert.equal(
      within(services).getByRole('link', { name: 'VIP Sales' }).getAttribute('href'),
      '#/dashboard/svc-sales',
    );
    within(services).getByText('50% (60 s)');
    within(services).getByText('33% (20 s)');
    assert.ok(
      !screen.queryByRole('button', { name: 'Back to the service' }),
      'no service to go back to',
    );
    const months = await screen.findByRole('table', {
      name: 'People Active at least once in each month',
    });
    assert.deepEqual(
      within(months)
        .getAllByRole('cell')
        .map((c) => c.textContent),
      ['June 2026', '5', 'May 2026', '4'],
    );
    assert.deepEqual(calls.map((c) => c.path).sort(), [`${OVERVIEW}?days=1`, MONTHS]);
    const [, waitTabs] = screen.getAllByRole('tablist');
    await userEvent.click(within(waitTabs!).getByRole('tab', { name: 'Table' }));
    const waits = screen.getByRole('table', { name: 'Accepted tasks by how long they waited' });
    assert.equal(
      within(waits).getAllByRole('columnheader').length,
      3,
      'no one threshold to judge by',
    );
  });

  it('says whose services an OU admin sees, and why when refused', async () => {
    const { api } = fakeApi({
      [`GET ${OVERVIEW}?days=1`]: anOverview({ scope: 'unit', services: [] }),
    });
    showOverview(api);
    await screen.findByText(/^The services of your organization units, added up\./);
    screen.getByText('No service is in your care yet.');
    assert.ok(
      !screen.queryByRole('region', { name: 'Active people per month' }),
      'the monthly statistics are the tenant admins’',
    );
    cleanup();
    const refused = fakeApi({
      [`GET ${OVERVIEW}?days=1`]: new ApiProblem(403, 'forbidden', 'Only admins see the overview.'),
    });
    showOverview(refused.api);
    await screen.findByText('The overview could not be loaded');
  });
});

describe('durations on the dashboard', () => {
  const cases = [
    [null, '–'],
    [400, '0 s'],
    [42_000, '42 s'],
    [65_000, '1 min 5 s'],
    [3_600_000 + 180_000, '1 h 3 min'],
  ] as const;
  for (const [ms, words] of cases)
    it(`${String(ms)} ms reads “${words}”`, () => assert.equal(duration(ms), words));
});
