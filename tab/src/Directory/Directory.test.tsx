import { strict as assert } from 'node:assert';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DEFAULT_TENANT_SETTINGS } from '../../../core/domain/tenant-settings';
import { ApiProblem } from '../api/api-problem';
import { fakeApi } from '../testing/fake-api';
import { renderInTeamsTheme } from '../testing/render';
import { Directory } from './Directory';

const BASE = '/tenants/t1';
const DIRECTORY = {
  orgUnits: [
    { ouId: 'ou-root', name: 'Contoso', parentId: null },
    { ouId: 'ou-support', name: 'Support', parentId: 'ou-root' },
    { ouId: 'ou-sales', name: 'Sales', parentId: 'ou-root' },
  ],
  users: [
    {
      userId: 'u-patti',
      displayName: 'Patti Fernandez',
      ouId: 'ou-sales',
      roles: [],
      licenses: ['ContactCenterUser'],
      skills: { english: 90, sales: 80 },
    },
    {
      userId: 'u-nestor',
      displayName: 'Nestor Wilke',
      ouId: 'ou-support',
      roles: ['OuAdmin'],
      licenses: [],
      skills: {},
    },
  ],
};
const answers = (more: Record<string, unknown> = {}) => ({
  [`GET ${BASE}/directory`]: DIRECTORY,
  [`GET ${BASE}/settings`]: {
    ...DEFAULT_TENANT_SETTINGS,
    provisioning: { ...DEFAULT_TENANT_SETTINGS.provisioning, defaultOuId: 'ou-support' },
  },
  ...more,
});
const show = (api: ReturnType<typeof fakeApi>['api'], tenantAdmin = true) =>
  renderInTeamsTheme(
    <Directory api={api} tenantId="t1" tenantAdmin={tenantAdmin} licensesHref="#/licenses" />,
  );
const puts = (calls: { method: string; path: string; body: unknown }[]) =>
  calls.filter((c) => c.method === 'PUT').map((c) => [c.path, c.body]);

describe('People and organization units', () => {
  afterEach(cleanup);

  it('shows the unit tree with the provisioning default, and people with their unit path, licenses and skills', async () => {
    const { api } = fakeApi(answers());
    show(api);
    const units = within(await screen.findByRole('region', { name: 'Organization units' }));
    assert.deepEqual(
      units.getAllByRole('listitem').map((li) => li.textContent?.split(/Add|Services/)[0]),
      ['Contoso', 'Sales', 'Support'],
    );
    units.getByText('Services provisioned from Teams start here');
    const people = within(screen.getByRole('table', { name: 'People' }));
    const unit = people.getByRole<HTMLSelectElement>('combobox', {
      name: 'Patti Fernandez: organization unit',
    });
    assert.equal(unit.selectedOptions[0]?.textContent, 'Contoso / Sales');
    assert.equal(
      people.getByRole('link', { name: 'Contact Center user' }).getAttribute('href'),
      '#/licenses',
    );
    people.getByText('english 90, sales 80');
  });

  it('moves a person to another unit, keeping their roles', async () => {
    const { api, calls } = fakeApi(answers({ [`PUT ${BASE}/users/u-nestor`]: {} }));
    show(api);
    await userEvent.selectOptions(
      await screen.findByRole('combobox', { name: 'Nestor Wilke: organization unit' }),
      'Contoso / Sales',
    );
    await waitFor(() => assert.equal(puts(calls).length, 1));
    assert.deepEqual(puts(calls), [
      [
        `${BASE}/users/u-nestor`,
        { displayName: 'Nestor Wilke', ouId: 'ou-sales', roles: ['OuAdmin'] },
      ],
    ]);
  });

  it('adds a unit under another, and says why a unit that is not empty stays', async () => {
    const { api, calls } = fakeApi(
      answers({
        [`PUT ${BASE}/ous/ou-key-accounts`]: {},
        [`DELETE ${BASE}/ous/ou-sales`]: new ApiProblem(
          400,
          'validation_failed',
          'Sales is not empty: 1 person and 1 service are in it.',
        ),
      }),
    );
    show(api);
    await userEvent.click(await screen.findByRole('button', { name: 'Add a unit under Sales' }));
    const add = within(await screen.findByRole('dialog', { hidden: true }));
    await userEvent.type(add.getByRole('textbox', { name: 'Name', hidden: true }), 'Key accounts');
    await userEvent.click(add.getByRole('button', { name: 'Save', hidden: true }));
    await waitFor(() => assert.equal(puts(calls).length, 1));
    assert.deepEqual(puts(calls), [
      [`${BASE}/ous/ou-key-accounts`, { name: 'Key accounts', parentId: 'ou-sales' }],
    ]);

    // After a dialog, jsdom may leave the page aria-hidden (see ServicePage.test.tsx).
    await userEvent.click(
      await screen.findByRole('button', { name: 'Delete Sales', hidden: true }),
    );
    const remove = within(await screen.findByRole('dialog', { hidden: true }));
    await userEvent.click(remove.getByRole('button', { name: 'Delete', hidden: true }));
    await remove.findByText('Sales is not empty: 1 person and 1 service are in it.');
  });

  it('grants a person admin rights over their unit, keeping their other roles', async () => {
    const { api, calls } = fakeApi(answers({ [`PUT ${BASE}/users/u-patti`]: {} }));
    show(api);
    await userEvent.click(
      await screen.findByRole('checkbox', { name: 'Patti Fernandez: admin of their unit' }),
    );
    await waitFor(() => assert.equal(puts(calls).length, 1));
    assert.deepEqual(puts(calls), [
      [
        `${BASE}/users/u-patti`,
        { displayName: 'Patti Fernandez', ouId: 'ou-sales', roles: ['OuAdmin'] },
      ],
    ]);
  });

  it('edits a Contact Center user’s skills, refusing a line that is not a skill and a level', async () => {
    const { api, calls } = fakeApi(answers({ [`PUT ${BASE}/users/u-patti/skills`]: {} }));
    show(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Edit the skills of Patti Fernandez' }),
    );
    assert.ok(
      !screen.queryByRole('button', { name: 'Edit the skills of Nestor Wilke' }),
      'no skills without a Contact Center user license',
    );
    const dialog = within(await screen.findByRole('dialog', { hidden: true }));
    const line = dialog.getByRole('textbox', { name: 'Skills with their levels', hidden: true });
    await userEvent.clear(line);
    await userEvent.type(line, 'english 95, german');
    dialog.getByText('Write each skill as a name and a level: english 90');
    await userEvent.type(line, ' 60');
    await userEvent.click(dialog.getByRole('button', { name: 'Save', hidden: true }));
    await waitFor(() => assert.equal(puts(calls).length, 1));
    assert.deepEqual(puts(calls), [
      [`${BASE}/users/u-patti/skills`, { skills: { english: 95, german: 60 } }],
    ]);
  });

  it('shows an OU admin the directory without anything to change', async () => {
    const { api } = fakeApi(answers());
    show(api, false);
    await screen.findByRole('table', { name: 'People' });
    assert.ok(!screen.queryByRole('button', { name: /^Add a unit/ }), 'no unit changes');
    const box = screen.getByRole<HTMLInputElement>('checkbox', {
      name: 'Nestor Wilke: admin of their unit',
    });
    assert.ok(box.disabled && box.checked);
    assert.ok(
      !screen.queryByRole('combobox', { name: 'Nestor Wilke: organization unit' }),
      'no moving people',
    );
    screen.getByText('Contoso / Support');
  });
});
