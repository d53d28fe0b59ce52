import { strict as assert } from 'node:assert';
import { cleanup, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DEFAULT_TENANT_SETTINGS } from '../../../core/domain/tenant-settings';
import { ApiProblem } from '../api/api-problem';
import { fakeApi } from '../testing/fake-api';
import { renderInTeamsTheme } from '../testing/render';
import { TenantSettings } from './TenantSettings';

const BASE = '/tenants/t1';
const directory = { orgUnits: [], users: [] };

describe('Tenant settings: data privacy', () => {
  afterEach(cleanup);

  it('hides time in state and shortens retention, sending only those privacy fields', async () => {
    const { api, calls } = fakeApi({
      [`GET ${BASE}/settings`]: DEFAULT_TENANT_SETTINGS,
      [`GET ${BASE}/directory`]: directory,
      [`PATCH ${BASE}/settings`]: DEFAULT_TENANT_SETTINGS,
    });
    renderInTeamsTheme(<TenantSettings api={api} tenantId="t1" />);
    const show = await screen.findByRole<HTMLInputElement>('switch', {
      name: 'Show how long people have been in their state',
    });
    assert.equal(show.checked, true);
    await userEvent.click(show);
    const days = screen.getByRole('spinbutton', {
      name: 'Keep ended tasks and their decisions for (days)',
    });
    assert.equal((days as HTMLInputElement).value, '90');
    await userEvent.clear(days);
    await userEvent.type(days, '30');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved.');
    const patch = calls.find((c) => c.method === 'PATCH')?.body as { dataPrivacy: unknown };
    assert.deepEqual(patch.dataPrivacy, { showTimeInState: false, retentionDays: 30 });
  });

  it('shows the API’s refusal of a retention beside the field', async () => {
    const { api } = fakeApi({
      [`GET ${BASE}/settings`]: DEFAULT_TENANT_SETTINGS,
      [`GET ${BASE}/directory`]: directory,
      [`PATCH ${BASE}/settings`]: new ApiProblem(400, 'validation_failed', 'Invalid fields', [
        { field: 'dataPrivacy.retentionDays', message: 'must be at most 3650 days' },
      ]),
    });
    renderInTeamsTheme(<TenantSettings api={api} tenantId="t1" />);
    const days = await screen.findByRole('spinbutton', {
      name: 'Keep ended tasks and their decisions for (days)',
    });
    await userEvent.clear(days);
    await userEvent.type(days, '9999');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('must be at most 3650 days');
  });
});
