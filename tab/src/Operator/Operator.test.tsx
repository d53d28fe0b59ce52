import { strict as assert } from 'node:assert';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiProblem } from '../api/api-problem';
import type { TenantSummary } from '../api/schemas';
import { fakeApi } from '../testing/fake-api';
import { renderInTeamsTheme } from '../testing/render';
import { OperatorTenant } from './OperatorTenant';
import { Tenants } from './Tenants';

const NEW_ID = '0d3e0000-0000-4000-8000-0000000000aa';
const aTenant = (over: Partial<TenantSummary> = {}): TenantSummary => ({
  tenantId: 'contoso',
  name: 'Contoso',
  state: 'Active',
  createdAt: '2026-11-01T08:00:00.000Z',
  pendingDeletion: false,
  pools: [
    { license: 'ContactCenter', kind: 'service', total: 2, used: 1 },
    { license: 'Interact', kind: 'user', total: 0, used: 0 },
  ],
  ...over,
});
const CONTOSO = aTenant();
const FABRIKAM = aTenant({
  tenantId: 'fabrikam',
  name: 'Fabrikam',
  state: 'Suspended',
  pools: [],
});
const ROW = (name: string) => {
  const row = screen.getByRole('link', { name }).closest('tr');
  assert.ok(row, `a row for ${name}`);
  return within(row);
};

/*
 * In jsdom a dialog's content may stay aria-hidden for a while (Tabster's modal state):
 * queries inside dialogs include what is aria-hidden. Browsers don't; the browser tests
 * check dialogs with axe.
 */
describe('Operator: the tenant list', () => {
  afterEach(cleanup);
  const show = (answers: Record<string, unknown>, onOpen: (id: string) => void = () => {}) => {
    const fake = fakeApi(answers);
    renderInTeamsTheme(
      <Tenants api={fake.api} hrefOf={(id) => `#/tenants/${id}`} onOpen={onOpen} />,
    );
    return fake;
  };

  it('lists each tenant with its state and licenses in use, a page at a time', async () => {
    const { calls } = show({
      'GET /tenants?top=50': { items: [CONTOSO], next: 'Y29udG9zbw' },
      'GET /tenants?top=50&cursor=Y29udG9zbw': { items: [FABRIKAM], next: null },
    });
    const link = await screen.findByRole('link', { name: 'Contoso' });
    assert.equal(link.getAttribute('href'), '#/tenants/contoso');
    ROW('Contoso').getByText('Active');
    ROW('Contoso').getByText('Contact Center 1 of 2');
    screen.getByText('1 tenant loaded');
    await userEvent.click(screen.getByRole('button', { name: 'Show more tenants' }));
    await screen.findByRole('link', { name: 'Fabrikam' });
    ROW('Fabrikam').getByText('Suspended: nobody signs in, no new tasks');
    ROW('Fabrikam').getByText('No licenses yet');
    assert.ok(!screen.queryByRole('button', { name: 'Show more tenants' }), 'the last page');
    assert.equal(calls.length, 2);
  });

  it('finds tenants by name or id, and opens one by an id not loaded', async () => {
    const opened: string[] = [];
    show({ 'GET /tenants?top=50': { items: [CONTOSO, FABRIKAM], next: null } }, (id) =>
      opened.push(id),
    );
    await screen.findByRole('link', { name: 'Contoso' });
    const search = screen.getByRole('searchbox', { name: 'Find by name or tenant id' });
    await userEvent.type(search, 'fabri');
    assert.ok(!screen.queryByRole('link', { name: 'Contoso' }), 'not shown');
    screen.getByText('1 of 2 tenants');
    await userEvent.clear(search);
    await userEvent.type(search, 'northwind');
    await userEvent.click(screen.getByText('Open the tenant with id northwind'));
    assert.deepEqual(opened, ['northwind']);
  });

  it('creates a tenant by its Entra tenant id, and never overwrites one that exists', async () => {
    const opened: string[] = [];
    const { calls } = show(
      {
        'GET /tenants?top=50': { items: [CONTOSO], next: null },
        [`GET /tenants/${NEW_ID}`]: new ApiProblem(404, 'not_found', 'The tenant was not found.'),
        [`PUT /tenants/${NEW_ID}`]: { ...aTenant({ tenantId: NEW_ID, name: 'Northwind' }) },
      },
      (id) => opened.push(id),
    );
    await screen.findByRole('link', { name: 'Contoso' });
    await userEvent.click(screen.getByRole('button', { name: 'New tenant' }));
    const id = screen.getByRole('textbox', { name: /^Tenant id/, hidden: true });
    await userEvent.type(id, 'northwind');
    await userEvent.type(screen.getByRole('textbox', { name: /^Name/, hidden: true }), 'Northwind');
    await userEvent.click(screen.getByRole('button', { name: 'Create', hidden: true }));
    await screen.findByText(/Enter the customer’s Microsoft Entra tenant id, a GUID/);
    assert.equal(calls.filter((c) => c.method === 'PUT').length, 0);
    await userEvent.clear(id);
    await userEvent.type(id, NEW_ID);
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'State', hidden: true }),
      'Lab (for testing)',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Create', hidden: true }));
    await waitFor(() => assert.deepEqual(opened, [NEW_ID]));
    assert.deepEqual(
      calls.filter((c) => c.method === 'PUT').map((c) => [c.path, c.body]),
      [[`/tenants/${NEW_ID}`, { name: 'Northwind', state: 'Lab' }]],
    );
  });

  it('creates a tenant on routing shards when the operator chooses more than one', async () => {
    const { calls } = show({
      'GET /tenants?top=50': { items: [], next: null },
      [`GET /tenants/${NEW_ID}`]: new ApiProblem(404, 'not_found', 'The tenant was not found.'),
      [`PUT /tenants/${NEW_ID}`]: { ...aTenant({ tenantId: NEW_ID, name: 'Northwind' }) },
    });
    await screen.findByText('No tenant yet. Add the first with New tenant.');
    await userEvent.click(screen.getByRole('button', { name: 'New tenant' }));
    await userEvent.type(screen.getByRole('textbox', { name: /^Tenant id/, hidden: true }), NEW_ID);
    await userEvent.type(screen.getByRole('textbox', { name: /^Name/, hidden: true }), 'Northwind');
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: /^Routing shards/, hidden: true }),
      '4',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Create', hidden: true }));
    await waitFor(() =>
      assert.deepEqual(
        calls.filter((c) => c.method === 'PUT').map((c) => c.body),
        [{ name: 'Northwind', state: 'Trial', routingShards: 4 }],
      ),
    );
  });

  it('refuses to create a tenant whose id is taken, naming the tenant', async () => {
    const { calls } = show({
      'GET /tenants?top=50': { items: [], next: null },
      [`GET /tenants/${NEW_ID}`]: aTenant({ tenantId: NEW_ID, name: 'Northwind' }),
    });
    await screen.findByText('No tenant yet. Add the first with New tenant.');
    await userEvent.click(screen.getByRole('button', { name: 'New tenant' }));
    await userEvent.type(screen.getByRole('textbox', { name: /^Tenant id/, hidden: true }), NEW_ID);
    await userEvent.type(screen.getByRole('textbox', { name: /^Name/, hidden: true }), 'Other');
    await userEvent.click(screen.getByRole('button', { name: 'Create', hidden: true }));
    await screen.findByText(/A tenant with this id exists already: Northwind/);
    assert.equal(calls.filter((c) => c.method === 'PUT').length, 0);
  });
});

describe('Operator: one tenant', () => {
  afterEach(cleanup);
  const LICENSES = {
    state: 'Active',
    pools: CONTOSO.pools,
    users: [],
    services: [],
  };
  const show = (more: Record<string, unknown> = {}) => {
    const fake = fakeApi({
      'GET /tenants/contoso': CONTOSO,
      'GET /tenants/contoso/licenses': LICENSES,
      ...more,
    });
    renderInTeamsTheme(<OperatorTenant api={fake.api} tenantId="contoso" onBack={() => {}} />);
    return fake;
  };

  it('says how many routing shards a tenant’s tasks spread over, when more than one', async () => {
    show({ 'GET /tenants/contoso': { ...CONTOSO, routingShards: 4 } });
    await screen.findByText(/Tasks spread over 4 routing shards/);
    cleanup();
    show();
    await screen.findByRole('textbox', { name: 'Name' });
    assert.ok(!screen.queryByText(/routing shards/), 'nothing to say of one');
  });

  it('changes the name and state', async () => {
    const { calls } = show({
      'PUT /tenants/contoso': aTenant({ name: 'Contoso AG', state: 'Suspended' }),
    });
    const name = await screen.findByRole('textbox', { name: 'Name' });
    const save = screen.getByRole<HTMLButtonElement>('button', { name: 'Save name and state' });
    assert.ok(save.disabled, 'nothing changed yet');
    await userEvent.clear(name);
    await userEvent.type(name, 'Contoso AG');
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'State' }),
      'Suspended: nobody signs in, no new tasks',
    );
    await userEvent.click(save);
    await screen.findByText('The name and state were saved.');
    assert.deepEqual(calls.find((c) => c.method === 'PUT')?.body, {
      name: 'Contoso AG',
      state: 'Suspended',
    });
  });

  it('sets license totals, sending only what changed, and shows a refusal beside its field', async () => {
    let refuse = true;
    const { calls } = show({
      'PUT /tenants/contoso/contingency': () =>
        Promise.resolve(
          refuse
            ? new ApiProblem(400, 'validation_failed', 'Some fields are not valid', [
                {
                  field: 'ContactCenter',
                  message:
                    '1 is assigned; the total cannot go below 1 until admins remove assignments',
                },
              ])
            : [{ license: 'ContactCenter', kind: 'service', total: 5, used: 1 }],
        ),
    });
    const cc = await screen.findByRole('spinbutton', { name: 'Contact Center' });
    await waitFor(() => assert.equal((cc as HTMLInputElement).value, '2'));
    screen.getByText('1 in use');
    await userEvent.clear(cc);
    await userEvent.click(screen.getByRole('button', { name: 'Save licenses' }));
    await screen.findByText('Enter a whole number, 0 or more.');
    assert.equal(calls.filter((c) => c.method === 'PUT').length, 0, 'nothing sent');
    await userEvent.type(cc, '0');
    await userEvent.click(screen.getByRole('button', { name: 'Save licenses' }));
    await screen.findByText(
      '1 is assigned; the total cannot go below 1 until admins remove assignments',
    );
    refuse = false;
    await userEvent.clear(cc);
    await userEvent.type(cc, '5');
    await userEvent.click(screen.getByRole('button', { name: 'Save licenses' }));
    await screen.findByText('Saved: Contact Center 5.');
    assert.deepEqual(
      calls.filter((c) => c.method === 'PUT').map((c) => c.body),
      [{ ContactCenter: 0 }, { ContactCenter: 5 }],
    );
  });

  it('deletes the tenant only once YES is typed', async () => {
    const { calls } = show({
      'POST /tenants/contoso/deletion': aTenant({ pendingDeletion: true }),
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Delete the tenant' }));
    const dialog = await screen.findByRole('dialog', { hidden: true });
    const go = within(dialog).getByRole<HTMLButtonElement>('button', {
      name: 'Delete the tenant',
      hidden: true,
    });
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: 'Type YES to confirm', hidden: true }),
      'yes',
    );
    assert.ok(go.disabled, 'yes in small letters is not YES');
    await userEvent.clear(
      within(dialog).getByRole('textbox', { name: 'Type YES to confirm', hidden: true }),
    );
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: 'Type YES to confirm', hidden: true }),
      'YES',
    );
    await userEvent.click(go);
    await screen.findByText('The tenant is pending deletion.');
    assert.deepEqual(calls.find((c) => c.method === 'POST')?.body, { confirm: 'YES' });
  });

  it('says so when there is no tenant with the id', async () => {
    const fake = fakeApi({
      'GET /tenants/nobody': new ApiProblem(404, 'not_found', 'The tenant was not found.'),
      'GET /tenants/nobody/licenses': new ApiProblem(404, 'not_found', 'The tenant was not found.'),
    });
    renderInTeamsTheme(<OperatorTenant api={fake.api} tenantId="nobody" onBack={() => {}} />);
    await screen.findByText('There is no tenant with the id nobody.');
  });
});
