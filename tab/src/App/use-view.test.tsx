import { strict as assert } from 'node:assert';
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { renderInTeamsTheme } from '../testing/render';
import { LeaveDialog } from './LeaveDialog';
import { useUnsavedChanges } from './unsaved';
import { useView } from './use-view';

/** A page with a form that may hold unsaved changes, and a way to another page. */
function Harness() {
  const state = useView();
  const [dirty, setDirty] = useState(false);
  useUnsavedChanges(dirty);
  return (
    <main>
      <LeaveDialog state={state} />
      <p>On {state.view.kind}</p>
      <button onClick={() => setDirty(true)}>Type something</button>
      <button onClick={() => state.navigate({ kind: 'licenses' })}>To Licenses</button>
    </main>
  );
}

const EVEN_IF_ARIA_HIDDEN = { hidden: true } as const;

describe('leaving a page with unsaved changes', () => {
  beforeEach(() => {
    window.location.hash = '#/services';
  });
  afterEach(cleanup);

  it('goes at once when nothing is unsaved', async () => {
    renderInTeamsTheme(<Harness />);
    await userEvent.click(screen.getByRole('button', { name: 'To Licenses' }));
    screen.getByText('On licenses');
    assert.equal(window.location.hash, '#/licenses');
  });

  it('asks first; Stay keeps the page and its changes, Leave goes', async () => {
    renderInTeamsTheme(<Harness />);
    await userEvent.click(screen.getByRole('button', { name: 'Type something' }));
    await userEvent.click(screen.getByRole('button', { name: 'To Licenses' }));
    await screen.findByText('Leave without saving?');
    screen.getByText('On services');
    await userEvent.click(
      screen.getByRole('button', { name: 'Stay on this page', ...EVEN_IF_ARIA_HIDDEN }),
    );
    await waitFor(() => assert.ok(!screen.queryByText('Leave without saving?'), 'closed'));
    screen.getByText('On services');
    await userEvent.click(
      screen.getByRole('button', { name: 'To Licenses', ...EVEN_IF_ARIA_HIDDEN }),
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Leave and discard them', ...EVEN_IF_ARIA_HIDDEN }),
    );
    await screen.findByText('On licenses');
    assert.equal(window.location.hash, '#/licenses');
  });

  it('asks when a link or Back moves the address, and keeps the address on this page meanwhile', async () => {
    renderInTeamsTheme(<Harness />);
    await userEvent.click(screen.getByRole('button', { name: 'Type something' }));
    act(() => {
      window.history.pushState(null, '', '#/people');
      fireEvent(window, new HashChangeEvent('hashchange'));
    });
    await screen.findByText('Leave without saving?');
    screen.getByText('On services');
    assert.equal(window.location.hash, '#/services', 'the address shows the page still shown');
    await userEvent.click(
      screen.getByRole('button', { name: 'Leave and discard them', ...EVEN_IF_ARIA_HIDDEN }),
    );
    await screen.findByText('On directory');
    assert.equal(window.location.hash, '#/people');
  });
});
