import { strict as assert } from 'node:assert';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiProblem } from '../api/api-problem';
import type { Licenses, ServiceSummary } from '../api/schemas';
import { aServiceView } from '../testing/builders';
import { fakeApi } from '../testing/fake-api';
import { renderInTeamsTheme } from '../testing/render';
import { Services } from './Services';

const BASE = '/tenants/t1';
const ROOT = { ouId: 'ou-root', name: 'Contoso' };
const SUPPORT = { ouId: 'ou-support', name: 'Support' };
const SALES = { ouId: 'ou-sales', name: 'Sales' };
const aSummary = (over: Partial<ServiceSummary> = {}): ServiceSummary => ({
  ...aServiceView(),
  state: 'Active',
  ouPath: [ROOT, SUPPORT],
  members: 3,
  activeMembers: 2,
  waiting: 1,
  ...over,
});
const HELPDESK = aSummary();
const VIP = aSummary({
  serviceId: 'svc-vip',
  name: 'VIP Sales',
  ouId: 'ou-sales',
  ouPath: [ROOT, SALES],
  license: 'ContactCenter',
  assignmentType: 'SkillBased',
  teamId: null,
  members: 2,
  activeMembers: 2,
  waiting: 0,
});
const LICENSES: Licenses = {
  state: 'Active',
  pools: [
    { license: 'ContactCenter', kind: 'service', total: 2, used: 1 },
    { license: 'AdvancedRouting', kind: 'service', total: 5, used: 5 },
  ],
  users: [],
  services: [],
};
const answers = (more: Record<string, unknown> = {}) => ({
  [`GET ${BASE}/services`]: [HELPDESK, VIP],
  [`GET ${BASE}/directory`]: {
    orgUnits: [
      { ...ROOT, parentId: null },
      { ...SUPPORT, parentId: 'ou-root' },
      { ...SALES, parentId: 'ou-root' },
    ],
  },
  [`GET ${BASE}/licenses`]: LICENSES,
  ...more,
});
const show = (api: ReturnType<typeof fakeApi>['api']) =>
  renderInTeamsTheme(
    <Services api={api} tenantId="t1" hrefOf={(id) => `#/service/${encodeURIComponent(id)}`} />,
  );
const rowOf = (name: string) => {
  const link = screen.getByRole('link', { name });
  const row = link.closest('tr');
  assert.ok(row, `a row for ${name}`);
  return row;
};

describe('Services (admins)', () => {
  afterEach(cleanup);

  it('lists each service with its type, license, OU path, people, queue and state; each name opens its page', async () => {
    const { api } = fakeApi(answers());
    show(api);
    const link = await screen.findByRole('link', { name: 'IT Helpdesk' });
    assert.equal(link.getAttribute('href'), '#/service/svc-helpdesk');
    const row = within(rowOf('IT Helpdesk'));
    row.getByText('Teams-based · Advanced Routing');
    row.getByText('Contoso / Support');
    row.getByText('3 members, 2 Active');
    row.getByText('Active');
    within(rowOf('VIP Sales')).getByText('Skill-based · Contact Center');
    screen.getByText('2 of 2 services');
  });

  it('tells an OU admin with no service in their unit why the list is empty', async () => {
    const { api } = fakeApi(answers({ [`GET ${BASE}/services`]: [] }));
    renderInTeamsTheme(
      <Services api={api} tenantId="t1" hrefOf={(id) => `#/service/${id}`} unitOnly />,
    );
    await screen.findByText(
      /No service is in the unit you administer \(or the units below it\) yet/,
    );
  });

  it('finds services by name, and filters by OU, type and license', async () => {
    const { api } = fakeApi(answers());
    show(api);
    await screen.findByRole('link', { name: 'IT Helpdesk' });
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search by name' }), 'vip');
    screen.getByText('1 of 2 services');
    assert.ok(!screen.queryByRole('link', { name: 'IT Helpdesk' }), 'not shown');
    await userEvent.clear(screen.getByRole('searchbox', { name: 'Search by name' }));
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Organization unit' }),
      'Support',
    );
    screen.getByRole('link', { name: 'IT Helpdesk' });
    assert.ok(!screen.queryByRole('link', { name: 'VIP Sales' }), 'not shown');
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Organization unit' }),
      'All',
    );
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'License' }),
      'Contact Center',
    );
    screen.getByRole('link', { name: 'VIP Sales' });
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Type' }), 'Teams-based');
    screen.getByText('No service matches the search and filters.');
  });

  it('creates a Skill-based service in an OU, saying how many licenses are left', async () => {
    const made = aServiceView({
      serviceId: 'svc-new',
      name: 'Claims',
      assignmentType: 'SkillBased',
    });
    const { api, calls } = fakeApi(answers({ [`POST ${BASE}/services`]: made }));
    show(api);
    await screen.findByRole('link', { name: 'IT Helpdesk' });
    await userEvent.click(screen.getByRole('button', { name: 'New service' }));
    const dialog = within(await screen.findByRole('dialog', { hidden: true }));
    dialog.getByText('Takes a Contact Center license: 1 of 2 left.');
    await userEvent.click(dialog.getByRole('button', { name: 'Create', hidden: true }));
    dialog.getByText('Give the service a name.');
    assert.equal(calls.filter((c) => c.method === 'POST').length, 0, 'nothing sent without a name');
    await userEvent.type(dialog.getByRole('textbox', { name: 'Name', hidden: true }), 'Claims');
    await userEvent.selectOptions(
      dialog.getByRole('combobox', { name: 'Organization unit', hidden: true }),
      'Sales',
    );
    await userEvent.click(dialog.getByRole('button', { name: 'Create', hidden: true }));
    await screen.findByText('Claims was created.');
    assert.deepEqual(calls.find((c) => c.method === 'POST')?.body, {
      name: 'Claims',
      assignmentType: 'SkillBased',
      ouId: 'ou-sales',
    });
  });

  it('offers no Create when the pool of the chosen type is used up', async () => {
    const { api } = fakeApi(answers());
    show(api);
    await screen.findByRole('link', { name: 'IT Helpdesk' });
    await userEvent.click(screen.getByRole('button', { name: 'New service' }));
    const dialog = within(await screen.findByRole('dialog', { hidden: true }));
    await userEvent.selectOptions(
      dialog.getByRole('combobox', { name: 'Who takes its tasks', hidden: true }),
      'Nobody: a front door that passes tasks on (None)',
    );
    dialog.getByText('Takes an Advanced Routing license: 0 of 5 left.');
    const create = dialog.getByRole<HTMLButtonElement>('button', { name: 'Create', hidden: true });
    assert.ok(create.disabled);
  });

  it('deletes a service with open tasks only once the admin confirms canceling them', async () => {
    let asked = 0;
    const { api, calls } = fakeApi(
      answers({
        [`DELETE ${BASE}/services/svc-helpdesk`]: () => {
          asked++;
          return Promise.resolve(
            asked === 1
              ? new ApiProblem(
                  409,
                  'confirmation_required',
                  'IT Helpdesk has 1 waiting task and 0 in someone’s hands. Deleting it cancels the waiting ones and ends the others.',
                  ['1 waiting task would be canceled'],
                )
              : { serviceId: 'svc-helpdesk', license: 'AdvancedRouting', canceled: 1, ended: 0 },
          );
        },
      }),
    );
    show(api);
    await screen.findByRole('link', { name: 'IT Helpdesk' });
    await userEvent.click(screen.getByRole('button', { name: 'Delete IT Helpdesk' }));
    const dialog = within(await screen.findByRole('dialog', { hidden: true }));
    dialog.getByText(/The team in Teams stays as it is\./);
    await userEvent.click(dialog.getByRole('button', { name: 'Delete', hidden: true }));
    await dialog.findByText(
      'IT Helpdesk has 1 waiting task and 0 in someone’s hands. Deleting it cancels the waiting ones and ends the others.',
    );
    await userEvent.click(
      dialog.getByRole('button', { name: 'Cancel its tasks and delete', hidden: true }),
    );
    await screen.findByText(
      'IT Helpdesk was deleted (1 open task ended); its Advanced Routing license is free again.',
    );
    assert.deepEqual(
      calls.filter((c) => c.method === 'DELETE').map((c) => c.body),
      [{ cancelOpenTasks: false }, { cancelOpenTasks: true }],
    );
    await waitFor(() =>
      assert.ok(calls.filter((c) => c.path === `${BASE}/services`).length >= 2, 'reloaded'),
    );
  });
});
