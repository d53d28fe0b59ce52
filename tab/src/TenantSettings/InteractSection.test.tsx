import { strict as assert } from 'node:assert';
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DEFAULT_TENANT_SETTINGS } from '../../../core/domain/tenant-settings';
import { fakeApi } from '../testing/fake-api';
import { renderInTeamsTheme } from '../testing/render';
import { EVEN_IF_ARIA_HIDDEN } from '../testing/even-if-aria-hidden';
import { TenantSettings } from './TenantSettings';

const BASE = '/tenants/t1';
const keys = { widgetKey: 'wk~t1~aaaaaaaaaaaaaaaaaaaaaaaa', tokenSecret: 'secret-one-0123456789' };

describe('Tenant settings: website chat (Interact)', () => {
  afterEach(cleanup);

  it('shows its fields only when on, saves them, and refreshes the widget key after asking', async () => {
    const saved = {
      ...DEFAULT_TENANT_SETTINGS,
      interact: { enabled: true, recoveryTimeoutSec: 45, authorization: 'VerifyToken' },
    };
    let current: unknown = DEFAULT_TENANT_SETTINGS;
    const { api, calls } = fakeApi({
      [`GET ${BASE}/settings`]: () => Promise.resolve(current),
      [`GET ${BASE}/directory`]: { orgUnits: [], users: [] },
      [`PATCH ${BASE}/settings`]: () => Promise.resolve((current = saved)),
      [`GET ${BASE}/interact/keys`]: keys,
      [`POST ${BASE}/interact/keys`]: { ...keys, widgetKey: 'wk~t1~bbbbbbbbbbbbbbbbbbbbbbbb' },
    });
    renderInTeamsTheme(<TenantSettings api={api} tenantId="t1" tenantName="Contoso" />);
    const on = await screen.findByRole('switch', {
      ...EVEN_IF_ARIA_HIDDEN,
      name: 'Customers may chat from your website',
    });
    assert.ok(
      !screen.queryByRole('textbox', { ...EVEN_IF_ARIA_HIDDEN, name: 'Widget key' }),
      'hidden while off',
    );
    await userEvent.click(on);
    const seconds = screen.getByRole('spinbutton', {
      ...EVEN_IF_ARIA_HIDDEN,
      name: 'Continue a chat after a reload within (seconds)',
    });
    await userEvent.clear(seconds);
    await userEvent.type(seconds, '45');
    await userEvent.selectOptions(
      screen.getByRole('combobox', { ...EVEN_IF_ARIA_HIDDEN, name: 'Who may start a chat' }),
      'VerifyToken',
    );
    await userEvent.click(screen.getByRole('button', { ...EVEN_IF_ARIA_HIDDEN, name: 'Save' }));
    await screen.findByText('Saved.');
    const patch = calls.find((c) => c.method === 'PATCH')?.body as { interact: unknown };
    assert.deepEqual(patch.interact, {
      enabled: true,
      recoveryTimeoutSec: 45,
      authorization: 'VerifyToken',
    });
    const section = screen.getByRole('region', { ...EVEN_IF_ARIA_HIDDEN, name: 'Website chat' });
    await userEvent.click(
      within(section).getAllByRole('button', { ...EVEN_IF_ARIA_HIDDEN, name: 'Show' })[0]!,
    );
    await within(section).findByDisplayValue(keys.widgetKey);
    within(section).getByDisplayValue(keys.tokenSecret);
    await userEvent.click(
      within(section).getAllByRole('button', { ...EVEN_IF_ARIA_HIDDEN, name: 'Refresh' })[0]!,
    );
    const dialog = await screen.findByRole('dialog', EVEN_IF_ARIA_HIDDEN);
    within(dialog).getByText(/carry the old key can no longer start chats/);
    await userEvent.click(
      within(dialog).getByRole('button', { ...EVEN_IF_ARIA_HIDDEN, name: 'Refresh' }),
    );
    await within(section).findByDisplayValue('wk~t1~bbbbbbbbbbbbbbbbbbbbbbbb');
    const refresh = calls.find((c) => c.method === 'POST');
    assert.deepEqual(refresh?.body, { refresh: 'widgetKey' });
  });
});
