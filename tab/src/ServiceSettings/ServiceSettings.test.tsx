import { strict as assert } from 'node:assert';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiProblem } from '../api/api-problem';
import { aServiceDetail, aServiceView } from '../testing/builders';
import { fakeApi } from '../testing/fake-api';
import { renderInTeamsTheme } from '../testing/render';
import { ServiceSettings } from './ServiceSettings';
import { DEFAULT_SERVICE_SETTINGS } from '../../../core/domain/service-settings';

const PATH = '/tenants/t1/services/svc-helpdesk';
const show = (
  api: ReturnType<typeof fakeApi>['api'],
  more: { focusField?: string; canEdit?: boolean } = {},
) =>
  renderInTeamsTheme(
    <ServiceSettings
      api={api}
      tenantId="t1"
      serviceId="svc-helpdesk"
      onBack={() => undefined}
      {...more}
    />,
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
    const ou = await screen.findByRole('group', { name: 'Organizational unit' });
    within(ou).getByText('Contoso › Support');
    assert.ok(!within(ou).queryByRole('textbox'), 'shown as text, not a box to type in');
  });

  it('shows a member the settings as they are, with who changes them, and nothing to save', async () => {
    const { api } = fakeApi({ [`GET ${PATH}`]: aServiceDetail() });
    show(api, { canEdit: false });
    await screen.findByText(/These are the service’s settings as they are/);
    const timeout = screen.getByRole<HTMLInputElement>('spinbutton', { name: /Calling timeout/ });
    assert.ok(timeout.disabled, 'nothing to change');
    assert.ok(!screen.queryByRole('button', { name: 'Save' }), 'no Save');
    screen.getByRole('button', { name: 'Back to the service' });
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
    assert.deepEqual(
      [...(priority as HTMLSelectElement).options].map((o) => o.textContent),
      [
        'Strict: always first',
        'Highest',
        'Very high',
        'High',
        'Normal',
        'Low',
        'Very low',
        'Lowest',
        'Only when nothing else waits',
      ],
    );
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

  it('shows the service level threshold and saves a new one with the rest', async () => {
    const stored = aServiceDetail({
      settings: {
        distribution: { ...DEFAULT_SERVICE_SETTINGS.distribution, serviceLevelSec: 45 },
      },
    });
    const { api, calls } = fakeApi({
      [`GET ${PATH}`]: stored,
      [`PATCH ${PATH}/settings`]: aServiceView(),
    });
    show(api);
    const threshold = await screen.findByRole('spinbutton', { name: /Service level threshold/ });
    assert.equal((threshold as HTMLInputElement).value, '45');
    await userEvent.clear(threshold);
    await userEvent.type(threshold, '30');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => assert.ok(calls.some((c) => c.method === 'PATCH')));
    const patch = calls.find((c) => c.method === 'PATCH');
    assert.equal(
      (patch?.body as { distribution: { serviceLevelSec: number } }).distribution.serviceLevelSec,
      30,
    );
  });

  it('shows chats at once and saves a new number with the rest', async () => {
    const stored = aServiceDetail({
      settings: {
        distribution: { ...DEFAULT_SERVICE_SETTINGS.distribution, chatsAtOnce: 2 },
      },
    });
    const { api, calls } = fakeApi({
      [`GET ${PATH}`]: stored,
      [`PATCH ${PATH}/settings`]: aServiceView(),
    });
    show(api);
    const chats = await screen.findByRole('spinbutton', { name: /Chats at once/ });
    assert.equal((chats as HTMLInputElement).value, '2');
    await userEvent.clear(chats);
    await userEvent.type(chats, '3');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => assert.ok(calls.some((c) => c.method === 'PATCH')));
    const patch = calls.find((c) => c.method === 'PATCH');
    assert.equal(
      (patch?.body as { distribution: { chatsAtOnce: number } }).distribution.chatsAtOnce,
      3,
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

  describe('the distribution policy of a skill-based service', () => {
    const skillBased = (policy: unknown) => {
      const service = aServiceDetail({ assignmentType: 'SkillBased', license: 'ContactCenter' });
      return {
        ...service,
        settings: { distribution: { ...service.settings.distribution, policy } },
      };
    };
    const patchOfCalls = (calls: { method: string; body: unknown }[]) =>
      calls.filter((c) => c.method === 'PATCH').map((c) => c.body as { distribution: object });

    it('sets required skills with their lowest levels and the order, saved with the group', async () => {
      const { api, calls } = fakeApi({
        [`GET ${PATH}`]: skillBased(null),
        [`PATCH ${PATH}/settings`]: aServiceView(),
      });
      show(api);
      await screen.findByText(/No policy: every agent may take this service’s tasks/);
      await userEvent.click(screen.getByRole('button', { name: 'Set a policy' }));
      await userEvent.selectOptions(
        screen.getByRole('combobox', { name: 'Whom to offer a task first' }),
        'Most qualified first: the highest levels in the required skills',
      );
      await userEvent.click(screen.getByRole('button', { name: 'Add a required skill' }));
      await userEvent.type(screen.getByRole('textbox', { name: 'Skill' }), 'german');
      const level = screen.getByRole('spinbutton', { name: 'Lowest level (1–100)' });
      await userEvent.clear(level);
      await userEvent.type(level, '80');
      await userEvent.click(screen.getByRole('button', { name: 'Save' }));
      await screen.findByText('Saved. New tasks follow these settings.');
      const [patch] = patchOfCalls(calls);
      assert.deepEqual((patch?.distribution as { policy: unknown }).policy, {
        order: 'MostQualified',
        requiredSkills: { german: 80 },
      });
    });

    it('leaves an unchanged policy out of the save, so an owner with limited rights may save the rest', async () => {
      const { api, calls } = fakeApi({
        [`GET ${PATH}`]: skillBased({ order: 'LongestIdle', requiredSkills: { english: 60 } }),
        [`PATCH ${PATH}/settings`]: aServiceView(),
      });
      show(api);
      const skill = await screen.findByRole<HTMLInputElement>('textbox', { name: 'Skill' });
      assert.equal(skill.value, 'english');
      const timeout = screen.getByRole('spinbutton', { name: /Calling timeout/ });
      await userEvent.clear(timeout);
      await userEvent.type(timeout, '40');
      await userEvent.click(screen.getByRole('button', { name: 'Save' }));
      await screen.findByText('Saved. New tasks follow these settings.');
      const [patch] = patchOfCalls(calls);
      assert.ok(patch && !('policy' in patch.distribution), 'no policy sent');
    });

    it('shows the API’s refusal of a level beside it', async () => {
      const { api } = fakeApi({
        [`GET ${PATH}`]: skillBased({ order: 'LongestIdle', requiredSkills: { english: 60 } }),
        [`PATCH ${PATH}/settings`]: new ApiProblem(400, 'validation_failed', 'Invalid fields', [
          {
            field: 'distribution.policy.requiredSkills.english',
            message: 'a skill level is 1..100',
          },
        ]),
      });
      show(api);
      const level = await screen.findByRole('spinbutton', { name: 'Lowest level (1–100)' });
      await userEvent.clear(level);
      await userEvent.type(level, '500');
      await userEvent.click(screen.getByRole('button', { name: 'Save' }));
      await screen.findByText('a skill level is 1..100');
    });

    it('offers no policy on a service that is not skill-based', async () => {
      const { api } = fakeApi({ [`GET ${PATH}`]: aServiceDetail() });
      show(api);
      await screen.findByRole('combobox', { name: /Priority/ });
      assert.ok(!screen.queryByRole('region', { name: 'Distribution policy' }), 'not shown');
    });
  });

  describe('for admins: where the service sits', () => {
    const DIRECTORY = {
      orgUnits: [
        { ouId: 'ou-root', name: 'Contoso', parentId: null },
        { ouId: 'ou-support', name: 'Support', parentId: 'ou-root' },
        { ouId: 'ou-sales', name: 'Sales', parentId: 'ou-root' },
      ],
      users: [],
    };
    const asAdmin = (api: ReturnType<typeof fakeApi>['api']) =>
      renderInTeamsTheme(
        <ServiceSettings
          api={api}
          tenantId="t1"
          serviceId="svc-helpdesk"
          admin
          onBack={() => undefined}
        />,
      );

    it('moves the service to another unit', async () => {
      const { api, calls } = fakeApi({
        [`GET ${PATH}`]: aServiceDetail(),
        [`GET /tenants/t1/directory`]: DIRECTORY,
        [`PATCH ${PATH}/settings`]: aServiceView({ ouId: 'ou-sales' }),
      });
      asAdmin(api);
      await screen.findByRole('option', { name: 'Sales' });
      await userEvent.selectOptions(
        screen.getByRole('combobox', { name: 'Move to the organization unit' }),
        'Sales',
      );
      await userEvent.click(screen.getByRole('button', { name: 'Move' }));
      await waitFor(() => assert.ok(calls.some((c) => c.method === 'PATCH')));
      assert.deepEqual(calls.find((c) => c.method === 'PATCH')?.body, {
        general: { ouId: 'ou-sales' },
      });
    });

    it('offers a Teams-based service no other type, saying why', async () => {
      const { api } = fakeApi({
        [`GET ${PATH}`]: aServiceDetail(),
        [`GET /tenants/t1/directory`]: DIRECTORY,
      });
      asAdmin(api);
      const skill = await screen.findByRole<HTMLOptionElement>('option', {
        name: 'Skill-based (not possible: a Teams-based service stays tied to its team)',
      });
      assert.ok(skill.disabled);
      assert.ok(screen.getByRole<HTMLButtonElement>('button', { name: 'Change' }).disabled);
    });

    it('changes a skill-based service to None, the one way it may go', async () => {
      const { api, calls } = fakeApi({
        [`GET ${PATH}`]: aServiceDetail({ assignmentType: 'SkillBased', license: 'ContactCenter' }),
        [`GET /tenants/t1/directory`]: DIRECTORY,
        [`PUT ${PATH}/assignmentType`]: aServiceView({ assignmentType: 'None' }),
      });
      asAdmin(api);
      await screen.findByText(
        'Skill-based to None removes every agent and the distribution policy.',
      );
      await userEvent.click(screen.getByRole('button', { name: 'Change' }));
      await waitFor(() => assert.ok(calls.some((c) => c.method === 'PUT')));
      assert.deepEqual(calls.find((c) => c.method === 'PUT')?.body, { assignmentType: 'None' });
    });

    it('offers none of it to owners who are no admins', async () => {
      const { api } = fakeApi({ [`GET ${PATH}`]: aServiceDetail() });
      show(api);
      await screen.findByRole('combobox', { name: /Priority/ });
      assert.ok(!screen.queryByRole('button', { name: 'Move' }), 'not shown');
    });
  });

  it('brings the setting a link names into view and focuses it (a downgrade blocker’s link)', async () => {
    const { api } = fakeApi({ [`GET ${PATH}`]: aServiceDetail() });
    show(api, { focusField: 'distribution.callingTimeoutSec' });
    const timeout = await screen.findByRole('spinbutton', { name: /Calling timeout/ });
    await waitFor(() => assert.ok(timeout === document.activeElement, 'focused'));
  });
});
