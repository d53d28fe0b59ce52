import { strict as assert } from 'node:assert';
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fakeApi } from '../testing/fake-api';
import { renderInTeamsTheme } from '../testing/render';
import { EVEN_IF_ARIA_HIDDEN } from '../testing/even-if-aria-hidden';
import { CallbacksSection } from './CallbacksSection';

const PATH = '/tenants/t1/callback-secret';

describe('Tenant settings: external tasks', () => {
  afterEach(cleanup);

  it('shows the callback secret on request, and replaces it only after asking', async () => {
    const { api, calls } = fakeApi({
      [`GET ${PATH}`]: { secret: 'old-secret-0123456789abcdef' },
      [`POST ${PATH}`]: { secret: 'new-secret-0123456789abcdef' },
    });
    renderInTeamsTheme(<CallbacksSection api={api} tenantId="t1" />);
    const field = screen.getByRole<HTMLInputElement>('textbox', {
      ...EVEN_IF_ARIA_HIDDEN,
      name: 'Callback secret',
    });
    assert.ok(!field.value.includes('secret'), 'hidden until asked for');
    assert.equal(calls.length, 0);
    await userEvent.click(screen.getByRole('button', { ...EVEN_IF_ARIA_HIDDEN, name: 'Show' }));
    await screen.findByDisplayValue('old-secret-0123456789abcdef');
    await userEvent.click(screen.getByRole('button', { ...EVEN_IF_ARIA_HIDDEN, name: 'Replace' }));
    const dialog = await screen.findByRole('dialog', EVEN_IF_ARIA_HIDDEN);
    within(dialog).getByText(/signed with the new secret/);
    await userEvent.click(
      within(dialog).getByRole('button', { ...EVEN_IF_ARIA_HIDDEN, name: 'Replace' }),
    );
    await screen.findByDisplayValue('new-secret-0123456789abcdef');
    assert.deepEqual(
      calls.map((c) => c.method),
      ['GET', 'POST'],
    );
  });
});
