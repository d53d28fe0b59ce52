import { strict as assert } from 'node:assert';
import { cleanup, screen, within } from '@testing-library/react';
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

  it('hides time in state and shortens retention', async () => {
    const { api, calls } = fakeApi({
      [`GET ${BASE}/settings`]: DEFAULT_TENANT_SETTINGS,
      [`GET ${BASE}/directory`]: directory,
      [`PATCH ${BASE}/settings`]: DEFAULT_TENANT_SETTINGS,
    });
    renderInTeamsTheme(<TenantSettings api={api} tenantId="t1" tenantName="Contoso" />);
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
    assert.deepEqual(patch.dataPrivacy, {
      showTimeInState: false,
      retentionDays: 30,
      persistUserStates: false,
      partnerSeesUserIdentifiers: false,
      partnerSeesCustomerIdentifiers: false,
    });
  });

  it('shows what only the operator changes as read-only, and what nothing acts on yet as such', async () => {
    const { api, calls } = fakeApi({
      [`GET ${BASE}/settings`]: {
        ...DEFAULT_TENANT_SETTINGS,
        dataPrivacy: { ...DEFAULT_TENANT_SETTINGS.dataPrivacy, sharePii: true },
      },
      [`GET ${BASE}/directory`]: directory,
      [`PATCH ${BASE}/settings`]: DEFAULT_TENANT_SETTINGS,
    });
    renderInTeamsTheme(<TenantSettings api={api} tenantId="t1" tenantName="Contoso" />);
    const pii = await screen.findByRole<HTMLInputElement>('switch', {
      name: 'Share personal data with the operator',
    });
    assert.ok(pii.disabled && pii.checked, 'shown as it is, not changeable');
    screen.getByText(/^Only the system operator changes this\./);
    await userEvent.click(
      screen.getByRole('switch', { name: 'Keep people’s state changes for reporting' }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved.');
    const patch = calls.find((c) => c.method === 'PATCH')?.body as {
      dataPrivacy: Record<string, unknown>;
    };
    assert.equal(patch.dataPrivacy.persistUserStates, true);
    assert.ok(!('sharePii' in patch.dataPrivacy), 'never sent by a tenant admin');
  });

  it('shows the API’s refusal of a retention beside the field', async () => {
    const { api } = fakeApi({
      [`GET ${BASE}/settings`]: DEFAULT_TENANT_SETTINGS,
      [`GET ${BASE}/directory`]: directory,
      [`PATCH ${BASE}/settings`]: new ApiProblem(400, 'validation_failed', 'Invalid fields', [
        { field: 'dataPrivacy.retentionDays', message: 'must be at most 3650 days' },
      ]),
    });
    renderInTeamsTheme(<TenantSettings api={api} tenantId="t1" tenantName="Contoso" />);
    const days = await screen.findByRole('spinbutton', {
      name: 'Keep ended tasks and their decisions for (days)',
    });
    await userEvent.clear(days);
    await userEvent.type(days, '9999');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('must be at most 3650 days');
  });
});

describe('Tenant settings: presence', () => {
  afterEach(cleanup);
  const settings = {
    [`GET ${BASE}/settings`]: DEFAULT_TENANT_SETTINGS,
    [`GET ${BASE}/directory`]: directory,
  };

  it('says presence is polled and why, and reads one person’s presence on Test', async () => {
    const { api, calls } = fakeApi({
      ...settings,
      [`GET ${BASE}/presence`]: {
        source: 'graph',
        notifications: false,
        subscriptions: 0,
        lastUpdateAt: '2026-12-01T08:00:00.000Z',
        lastPollAt: '2026-12-01T08:00:00.000Z',
        problem:
          'Change notifications are not available (Presence.Read.All is not granted in this tenant): presence is read every 60 s.',
        lastRosterAt: '2026-12-01T08:00:00.000Z',
        rosterProblem:
          'Team rosters not read for the team of IT Helpdesk: TeamMember.Read.All is not granted in this tenant (Graph answered 403).',
      },
      [`POST ${BASE}/presence:test`]: {
        ok: true,
        userId: 'u-adele',
        displayName: 'Adele Vance',
        availability: 'Busy',
        activity: 'InAMeeting',
        presence: 'BusyInMeeting',
      },
    });
    renderInTeamsTheme(<TenantSettings api={api} tenantId="t1" tenantName="Contoso" />);
    await screen.findByText(
      'Fed from Teams through Microsoft Graph, read for everyone now and then.',
    );
    screen.getByText(/Change notifications are not available \(Presence\.Read\.All is not granted/);
    screen.getByText(/Team rosters not read for the team of IT Helpdesk: TeamMember\.Read\.All/);
    screen.getByText(/team members last checked in Teams: /);
    const test = screen.getByRole('button', { name: 'Test' });
    assert.ok((test as HTMLButtonElement).disabled, 'nothing to test yet');
    await userEvent.type(
      screen.getByRole('textbox', { name: 'Test a person’s presence (user principal name)' }),
      'adele@contoso.com',
    );
    await userEvent.click(test);
    await screen.findByText('Adele Vance: In a meeting (Teams says Busy, InAMeeting).');
    assert.deepEqual(
      calls.filter((c) => c.method === 'POST').map((c) => [c.path, c.body]),
      [[`${BASE}/presence:test`, { upn: 'adele@contoso.com' }]],
    );
  });

  it('says plainly when presence does not come from Teams, and shows Graph’s refusal of a test', async () => {
    const { api } = fakeApi({
      ...settings,
      [`GET ${BASE}/presence`]: {
        source: 'none',
        problem: 'Microsoft Graph is not configured (GRAPH_CLIENT_ID, GRAPH_CLIENT_SECRET).',
      },
      [`POST ${BASE}/presence:test`]: {
        ok: false,
        problem: 'Presence.Read.All is not granted in this tenant (Graph answered 403).',
      },
    });
    renderInTeamsTheme(<TenantSettings api={api} tenantId="t1" tenantName="Contoso" />);
    await screen.findByText(/Presence does not come from Teams: Microsoft Graph is not configured/);
    await userEvent.type(
      screen.getByRole('textbox', { name: 'Test a person’s presence (user principal name)' }),
      'adele@contoso.com',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Test' }));
    await screen.findByText(
      'Presence.Read.All is not granted in this tenant (Graph answered 403).',
    );
  });
});

describe('Tenant settings: general', () => {
  afterEach(cleanup);
  const GROUP = '0d3e0000-0000-4000-8000-00000000a001';
  const base = {
    [`GET ${BASE}/settings`]: DEFAULT_TENANT_SETTINGS,
    [`GET ${BASE}/directory`]: directory,
    [`GET ${BASE}/presence`]: { source: 'none', problem: 'Not configured.' },
  };

  it('shows the name and id read-only with who changes them, and saves company, billing, SIP and the admin group', async () => {
    const { api, calls } = fakeApi({
      ...base,
      [`PATCH ${BASE}/settings`]: DEFAULT_TENANT_SETTINGS,
    });
    renderInTeamsTheme(<TenantSettings api={api} tenantId="t1" tenantName="Contoso" />);
    const name = await screen.findByRole('group', { name: 'Tenant name' });
    within(name).getByText('Contoso');
    within(name).getByText('Only the system operator changes the name.');
    assert.ok(!within(name).queryByRole('textbox'), 'the name is read-only');
    within(screen.getByRole('group', { name: 'Tenant id' })).getByText('t1');
    await userEvent.type(screen.getByRole('textbox', { name: 'Company name' }), 'Contoso Ltd');
    await userEvent.type(screen.getByRole('textbox', { name: 'City' }), 'Zurich');
    await userEvent.type(
      screen.getByRole('textbox', { name: /^SIP address/ }),
      'sip:desk@contoso.com',
    );
    await userEvent.type(screen.getByRole('textbox', { name: 'Tenant admin group' }), GROUP);
    const zone = screen.getByRole('combobox', { name: /^Time zone/ });
    assert.equal((zone as HTMLSelectElement).value, 'UTC');
    await userEvent.selectOptions(zone, 'Europe/Zurich');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved.');
    const patch = calls.find((c) => c.method === 'PATCH')?.body as {
      general: Record<string, unknown>;
      contact: Record<string, unknown>;
      dataPrivacy: Record<string, unknown>;
    };
    assert.equal(patch.general.companyName, 'Contoso Ltd');
    assert.equal(patch.general.timeZone, 'Europe/Zurich');
    assert.equal((patch.general.billingAddress as { city: string }).city, 'Zurich');
    assert.equal(patch.general.tenantAdminGroupId, GROUP);
    assert.equal(patch.general.partnerAdminGroupId, null, 'empty means none');
    assert.equal(patch.contact.sipAddress, 'sip:desk@contoso.com');
    assert.ok(!('sharePii' in patch.dataPrivacy), 'never sends what only the operator changes');
  });

  it('shows a refused group id beside its field', async () => {
    const { api } = fakeApi({
      ...base,
      [`PATCH ${BASE}/settings`]: new ApiProblem(400, 'validation_failed', 'Invalid fields', [
        { field: 'general.partnerAdminGroupId', message: 'must be a GUID, e.g. 0d3e…' },
      ]),
    });
    renderInTeamsTheme(<TenantSettings api={api} tenantId="t1" tenantName="Contoso" />);
    await userEvent.type(
      await screen.findByRole('textbox', { name: 'Partner admin group' }),
      'not-a-guid',
    );
    assert.ok(
      screen.getByRole<HTMLButtonElement>('button', { name: 'Details of the partner admin group' })
        .disabled,
      'no details for what is not a group id',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('must be a GUID, e.g. 0d3e…');
  });

  it('lists the people of an admin group through Graph', async () => {
    const { api } = fakeApi({
      ...base,
      [`GET ${BASE}/settings`]: {
        ...DEFAULT_TENANT_SETTINGS,
        general: { ...DEFAULT_TENANT_SETTINGS.general, tenantAdminGroupId: GROUP },
      },
      [`GET ${BASE}/groups/${GROUP}`]: {
        ok: true,
        groupId: GROUP,
        displayName: 'Routing admins',
        members: [
          { userId: 'u1', displayName: 'Alex Wilber', upn: 'alex@contoso.com' },
          { userId: 'u2', displayName: 'Nestor Wilke', upn: null },
        ],
      },
    });
    renderInTeamsTheme(<TenantSettings api={api} tenantId="t1" tenantName="Contoso" />);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Details of the tenant admin group' }),
    );
    await screen.findByText('Routing admins: 2 people');
    // In jsdom a dialog's content may stay aria-hidden a while (Tabster): query it anyway.
    const list = screen.getByRole('list', { name: 'Members of the group', hidden: true });
    assert.deepEqual(
      within(list)
        .getAllByRole('listitem', { hidden: true })
        .map((li) => li.textContent),
      ['Alex Wilber (alex@contoso.com)', 'Nestor Wilke'],
    );
  });

  it('says in words when Graph cannot list a group', async () => {
    const { api } = fakeApi({
      ...base,
      [`GET ${BASE}/settings`]: {
        ...DEFAULT_TENANT_SETTINGS,
        general: { ...DEFAULT_TENANT_SETTINGS.general, partnerAdminGroupId: GROUP },
      },
      [`GET ${BASE}/groups/${GROUP}`]: {
        ok: false,
        problem: 'GroupMember.Read.All is not granted in this tenant (Graph answered 403).',
      },
    });
    renderInTeamsTheme(<TenantSettings api={api} tenantId="t1" tenantName="Contoso" />);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Details of the partner admin group' }),
    );
    await screen.findByText(
      'GroupMember.Read.All is not granted in this tenant (Graph answered 403).',
    );
  });
});

describe('Tenant settings: provisioning', () => {
  afterEach(cleanup);

  it('names each policy as it behaves: with Everyone, any member of the team may provision', async () => {
    const { api } = fakeApi({
      [`GET ${BASE}/settings`]: DEFAULT_TENANT_SETTINGS,
      [`GET ${BASE}/directory`]: directory,
      [`GET ${BASE}/presence`]: { source: 'none', problem: 'Not configured.' },
    });
    renderInTeamsTheme(<TenantSettings api={api} tenantId="t1" tenantName="Contoso" />);
    const everyone = await screen.findByRole<HTMLInputElement>('radio', {
      name: 'Anyone in the team, members too',
    });
    assert.ok(everyone.checked, 'the default policy, Everyone');
    assert.ok(!screen.queryByText('Every team owner'), 'not the owners alone');
  });
});
