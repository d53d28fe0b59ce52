import { strict as assert } from 'node:assert';
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fakeApi } from '../testing/fake-api';
import { renderInTeamsTheme } from '../testing/render';
import { EVEN_IF_ARIA_HIDDEN } from '../testing/even-if-aria-hidden';
import { ReportingSection } from './ReportingSection';

const PATH = '/tenants/t1/reporting-key';
const made = {
  exists: true,
  hint: 'Q9zX',
  createdAt: '2026-12-03T08:00:00.000Z',
  createdBy: 'u1',
};
const none = { exists: false, hint: null, createdAt: null, createdBy: null };

describe('Tenant settings: reporting', () => {
  afterEach(cleanup);

  it('gives the feed’s address, makes a key and shows it once', async () => {
    let current: unknown = none;
    const { api, calls } = fakeApi({
      [`GET ${PATH}`]: () => Promise.resolve(current),
      [`POST ${PATH}`]: () => {
        current = made;
        return Promise.resolve({ ...made, key: 'rk~t1~secretQ9zX' });
      },
    });
    renderInTeamsTheme(
      <ReportingSection api={api} tenantId="t1" origin="https://routing.example" />,
    );
    const address = screen.getByRole<HTMLInputElement>('textbox', {
      ...EVEN_IF_ARIA_HIDDEN,
      name: 'OData feed',
    });
    assert.equal(address.value, 'https://routing.example/api/v1/reporting/odata/');
    await screen.findByText(/^No reporting key/);
    await userEvent.click(
      screen.getByRole('button', { ...EVEN_IF_ARIA_HIDDEN, name: 'Make a reporting key' }),
    );
    const key = await screen.findByRole<HTMLInputElement>('textbox', {
      ...EVEN_IF_ARIA_HIDDEN,
      name: 'New reporting key',
    });
    assert.equal(key.value, 'rk~t1~secretQ9zX');
    screen.getByText('Copy the key now: it is not shown again.');
    await screen.findByText(/ending in …Q9zX/);
    assert.deepEqual(
      calls.map((c) => c.method),
      ['GET', 'POST', 'GET'],
    );
  });

  it('revokes the key only after asking, saying what stops', async () => {
    let current: unknown = made;
    const { api, calls } = fakeApi({
      [`GET ${PATH}`]: () => Promise.resolve(current),
      [`DELETE ${PATH}`]: () => {
        current = none;
        return Promise.resolve(none);
      },
    });
    renderInTeamsTheme(<ReportingSection api={api} tenantId="t1" origin="https://x" />);
    await userEvent.click(
      await screen.findByRole('button', { ...EVEN_IF_ARIA_HIDDEN, name: 'Revoke the key' }),
    );
    const dialog = await screen.findByRole('dialog', EVEN_IF_ARIA_HIDDEN);
    within(dialog).getByText(/ending in …Q9zX stop refreshing at once/);
    await userEvent.click(
      within(dialog).getByRole('button', { ...EVEN_IF_ARIA_HIDDEN, name: 'Keep it' }),
    );
    assert.ok(!calls.some((c) => c.method === 'DELETE'), 'kept');
    await userEvent.click(
      screen.getByRole('button', { ...EVEN_IF_ARIA_HIDDEN, name: 'Revoke the key' }),
    );
    await userEvent.click(
      within(await screen.findByRole('dialog', EVEN_IF_ARIA_HIDDEN)).getByRole('button', {
        ...EVEN_IF_ARIA_HIDDEN,
        name: 'Revoke',
      }),
    );
    await screen.findByText(/^No reporting key/);
    assert.ok(calls.some((c) => c.method === 'DELETE'));
  });
});
