import { strict as assert } from 'node:assert';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiProblem } from '../api/api-problem';
import type { Licenses as LicensesView } from '../api/schemas';
import { fakeApi } from '../testing/fake-api';
import { renderInTeamsTheme } from '../testing/render';
import { Licenses } from './Licenses';

const PATH = '/tenants/t1/licenses';
const VIEW: LicensesView = {
  state: 'Active',
  pools: [
    { license: 'ContactCenterUser', kind: 'user', total: 3, used: 1 },
    { license: 'Interact', kind: 'user', total: 2, used: 0 },
    { license: 'AdvancedRouting', kind: 'service', total: 5, used: 1 },
    { license: 'EnterpriseRouting', kind: 'service', total: 5, used: 0 },
  ],
  users: [
    { userId: 'u1', displayName: 'Adele Vance', licenses: ['ContactCenterUser'] },
    { userId: 'u2', displayName: 'Isaiah Langer', licenses: [] },
  ],
  services: [{ serviceId: 's1', name: 'IT Helpdesk', license: 'AdvancedRouting' }],
};

describe('Licenses', () => {
  afterEach(cleanup);

  it('links each service to its page', async () => {
    const { api } = fakeApi({ [`GET ${PATH}`]: VIEW });
    renderInTeamsTheme(<Licenses api={api} tenantId="t1" hrefOf={(id) => `#/service/${id}`} />);
    const link = await screen.findByRole('link', { name: 'IT Helpdesk' });
    assert.equal(link.getAttribute('href'), '#/service/s1');
  });

  it('links each downgrade blocker to the setting that clears it', async () => {
    const { api } = fakeApi({
      [`GET ${PATH}`]: {
        ...VIEW,
        services: [{ serviceId: 's1', name: 'IT Helpdesk', license: 'ContactCenter' }],
      },
      [`POST ${PATH}/changes`]: new ApiProblem(
        409,
        'downgrade_blocked',
        'IT Helpdesk uses features of its license.',
        [
          {
            feature: 'acw',
            message: 'ACW is enabled in service IT Helpdesk distribution settings',
            serviceId: 's1',
            field: 'distribution.acw.enabled',
          },
        ],
      ),
    });
    renderInTeamsTheme(
      <Licenses
        api={api}
        tenantId="t1"
        fieldHref={(serviceId, field) => `#/settings/${serviceId}/${field}`}
      />,
    );
    await userEvent.selectOptions(
      await screen.findByRole('combobox', { name: 'License of IT Helpdesk' }),
      'AdvancedRouting',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Save 1 change' }));
    const link = await screen.findByRole('link', {
      name: 'ACW is enabled in service IT Helpdesk distribution settings',
    });
    assert.equal(link.getAttribute('href'), '#/settings/s1/distribution.acw.enabled');
  });

  it('stages two changes, undoes one, and saves only the other, all in one request', async () => {
    const { api, calls } = fakeApi({ [`GET ${PATH}`]: VIEW, [`POST ${PATH}/changes`]: {} });
    renderInTeamsTheme(<Licenses api={api} tenantId="t1" />);
    await userEvent.click(
      await screen.findByRole('checkbox', { name: 'Contact Center user for Isaiah Langer' }),
    );
    await userEvent.click(screen.getByRole('checkbox', { name: 'Interact for Isaiah Langer' }));
    const pool = screen.getByRole('group', { name: 'Contact Center user pool' });
    within(pool).getByText('2 of 3 after saving');
    screen.getByRole('button', { name: 'Undo: Give Isaiah Langer Contact Center user' });
    await userEvent.click(
      screen.getByRole('button', { name: 'Undo: Give Isaiah Langer Interact' }),
    );
    assert.equal(
      screen.getByRole<HTMLInputElement>('checkbox', { name: 'Interact for Isaiah Langer' })
        .checked,
      false,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Save 1 change' }));
    await screen.findByText('Saved 1 change.');
    const posts = calls.filter((c) => c.method === 'POST');
    assert.deepEqual(
      posts.map((c) => c.body),
      [
        {
          changes: [{ op: 'assign', license: 'ContactCenterUser', userId: 'u2' }],
          confirmIrreversible: false,
        },
      ],
    );
    await waitFor(() => assert.equal(calls.filter((c) => c.method === 'GET').length, 2));
  });

  it('lists the blockers when the API refuses a downgrade, and keeps the staged changes', async () => {
    const { api } = fakeApi({
      [`GET ${PATH}`]: {
        ...VIEW,
        services: [{ ...VIEW.services[0], license: 'EnterpriseRouting' }],
      },
      [`POST ${PATH}/changes`]: new ApiProblem(
        409,
        'downgrade_blocked',
        'IT Helpdesk uses features Advanced Routing lacks.',
        [
          {
            feature: 'outboundServiceCall',
            message:
              'Outbound service call is enabled in service IT Helpdesk distribution settings',
          },
        ],
      ),
    });
    renderInTeamsTheme(<Licenses api={api} tenantId="t1" />);
    await userEvent.selectOptions(
      await screen.findByRole('combobox', { name: 'License of IT Helpdesk' }),
      'Advanced Routing',
    );
    screen.getByText('Give IT Helpdesk Advanced Routing');
    await userEvent.click(screen.getByRole('button', { name: 'Save 1 change' }));
    await screen.findByText('The downgrade waits until these are switched off:');
    assert.equal(
      screen.getAllByText(/Outbound service call is enabled in service IT Helpdesk/).length,
      1,
      'each blocker said once',
    );
    assert.ok(
      !screen.queryByText('IT Helpdesk uses features Advanced Routing lacks.'),
      'the API’s sentence is not repeated above its own list',
    );
    screen.getByRole('button', { name: 'Save 1 change' });
  });

  it('asks before an irreversible change and sends the confirmation when told', async () => {
    let confirmed: unknown;
    const { api, calls } = fakeApi({
      [`GET ${PATH}`]: VIEW,
      [`POST ${PATH}/changes`]: () => {
        const body = calls.at(-1)?.body as { confirmIrreversible: boolean };
        confirmed = body.confirmIrreversible;
        return Promise.resolve(
          body.confirmIrreversible
            ? {}
            : new ApiProblem(409, 'confirmation_required', 'This cannot be undone.', [
                'Removes skills of Adele Vance',
              ]),
        );
      },
    });
    renderInTeamsTheme(<Licenses api={api} tenantId="t1" />);
    await userEvent.click(
      await screen.findByRole('checkbox', { name: 'Contact Center user for Adele Vance' }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Save 1 change' }));
    await screen.findByText('Removes skills of Adele Vance');
    screen.getByText('Saving removes this for good; confirm to go ahead:');
    assert.ok(!screen.queryByText('This cannot be undone.'), 'said in the tab’s words');
    assert.ok(
      !screen.queryByRole('button', { name: 'Save 1 change' }),
      'the main action is now the confirmation',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Confirm and save' }));
    await screen.findByText('Saved 1 change.');
    assert.equal(confirmed, true);
    // A message belongs to its moment: staging anew, "Saved" goes.
    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Contact Center user for Adele Vance' }),
    );
    assert.ok(!screen.queryByText('Saved 1 change.'), 'no longer what happened last');
  });
});
