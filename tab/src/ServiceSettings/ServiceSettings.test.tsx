import { strict as assert } from 'node:assert';
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiProblem } from '../api/api-problem';
import { aServiceDetail, aServiceView } from '../testing/builders';
import { fakeApi } from '../testing/fake-api';
import { renderInTeamsTheme } from '../testing/render';
import { ServiceSettings } from './ServiceSettings';

const PATH = '/tenants/t1/services/svc-helpdesk';
const show = (api: ReturnType<typeof fakeApi>['api']) =>
  renderInTeamsTheme(
    <ServiceSettings api={api} tenantId="t1" serviceId="svc-helpdesk" onBack={() => undefined} />,
  );

describe('Service settings', () => {
  afterEach(cleanup);

  it('disables what the license does not allow and names the license that unlocks it', async () => {
    const { api } = fakeApi({ [`GET ${PATH}`]: aServiceDetail() });
    show(api);
    const priority = await screen.findByRole('combobox', { name: /Priority/ });
    assert.equal((priority as HTMLSelectElement).disabled, true);
    assert.equal(
      screen.getByRole<HTMLInputElement>('switch', { name: /After a task/ }).disabled,
      true,
    );
    assert.equal(screen.getAllByText(/Needs a Contact Center service license/).length, 2);
    screen.getByText(/Needs an Enterprise Routing service license/);
    const timeout = screen.getByRole<HTMLInputElement>('spinbutton', { name: /Calling timeout/ });
    assert.equal(timeout.disabled, false);
  });

  it('names the organizational unit with its path from the root', async () => {
    const { api } = fakeApi({ [`GET ${PATH}`]: aServiceDetail() });
    show(api);
    const ou = await screen.findByRole<HTMLInputElement>('textbox', {
      name: 'Organizational unit',
    });
    assert.equal(ou.value, 'Contoso › Support');
  });

  it('enables them under a license that allows them', async () => {
    const service = aServiceDetail({ license: 'ContactCenter' });
    const allowed = {
      ...service,
      features: service.features.map((f) => ({ ...f, allowed: true })),
    };
    const { api } = fakeApi({ [`GET ${PATH}`]: allowed });
    show(api);
    const priority = await screen.findByRole('combobox', { name: /Priority/ });
    assert.equal((priority as HTMLSelectElement).disabled, false);
    assert.ok(!screen.queryByText(/Needs a/), 'not shown');
  });

  it('shows the API’s message beside the refused field and saves nothing else', async () => {
    const { api, calls } = fakeApi({
      [`GET ${PATH}`]: aServiceDetail(),
      [`PATCH ${PATH}/settings`]: new ApiProblem(
        400,
        'validation_failed',
        'Some fields are invalid.',
        [
          {
            field: 'distribution.callingTimeoutSec',
            message: 'the calling timeout must be at least 5 s',
          },
        ],
      ),
    });
    show(api);
    const timeout = await screen.findByRole('spinbutton', { name: /Calling timeout/ });
    await userEvent.clear(timeout);
    await userEvent.type(timeout, '2');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('the calling timeout must be at least 5 s');
    screen.getByText('Nothing was saved: correct the fields marked in red.');
    const patch = calls.find((c) => c.method === 'PATCH');
    assert.equal(
      (patch?.body as { distribution: { callingTimeoutSec: number } }).distribution
        .callingTimeoutSec,
      2,
    );
  });

  it('sends one PATCH however often Save is clicked while saving', async () => {
    let release = () => undefined as void;
    const { api, calls } = fakeApi({
      [`GET ${PATH}`]: aServiceDetail(),
      [`PATCH ${PATH}/settings`]: () =>
        new Promise((resolve) => {
          release = () => resolve(aServiceView());
        }),
    });
    show(api);
    const save = await screen.findByRole('button', { name: 'Save' });
    await userEvent.click(save);
    await userEvent.click(screen.getByRole('button', { name: 'Saving…' }));
    release();
    await screen.findByText('Saved. New tasks follow these settings.');
    await waitFor(() => assert.equal(calls.filter((c) => c.method === 'PATCH').length, 1));
  });
});
