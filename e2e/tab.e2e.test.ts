import { strict as assert } from 'node:assert';
import type { Browser, Page } from 'playwright-core';
import { DEMO } from '../core/app/demo-tenant.js';
import { api, devToken, startBuiltApp, type RunningAppProcess } from './support/app-under-test.js';
import { collectPageErrors, keepScreenshot, launchChromium } from './support/browser.js';
import { openTabAs, seriousAxeViolations, sidewaysScroll } from './support/tab-page.js';
import { PEOPLE } from '../test/demo-people.js';

const T = DEMO.tenant.id;
const { ALEX, MEGAN, ADELE, ISAIAH } = PEOPLE;
const HELPDESK = 'svc-it-helpdesk';

describe('the tab in headless Chromium (npm start build, CLOCK=manual)', () => {
  let app: RunningAppProcess;
  let browser: Browser;
  const call = async (who: string, method: string, path: string, body?: unknown) =>
    api(app.url, method, path, {
      token: await devToken(app.url, { tenantId: T, userId: who }),
      body,
    });
  const pages: Page[] = [];
  const open = async (name: string) => {
    const opened = await openTabAs(browser, app.url, name);
    pages.push(opened.page);
    return opened;
  };
  /** Every page of a test is clean for axe and the console; its screenshot is kept. */
  const check = async (page: Page, errors: string[], screenshot: string) => {
    await keepScreenshot(page, screenshot);
    assert.deepEqual(await seriousAxeViolations(page), [], `axe on ${screenshot}`);
    assert.deepEqual(errors, [], `console of ${screenshot}`);
  };

  before(async () => {
    app = await startBuiltApp({ CLOCK: 'manual' });
    browser = await launchChromium();
  });
  afterEach(async () => {
    await Promise.all(pages.splice(0).map((p) => p.close()));
  });
  after(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('outside Teams in dev mode offers "sign in as", with no console errors', async () => {
    const page = await browser.newPage();
    pages.push(page);
    const errors = collectPageErrors(page);
    await page.goto(`${app.url}/tab/`);
    await page.getByRole('heading', { name: 'Sign in as' }).waitFor();
    await page.getByRole('button', { name: /^Alex Wilber \(tenant admin\)/ }).waitFor();
    await check(page, errors, 'tab-sign-in');
  });

  it('an owner gets an inline error, then saves valid settings; gated fields name their license', async () => {
    const { page, errors } = await open('Megan Bowen');
    await page.getByRole('link', { name: 'IT Helpdesk' }).click();
    await page.getByRole('button', { name: 'Service settings' }).click();
    const priority = page.getByRole('combobox', { name: /Priority/ });
    await priority.waitFor();
    assert.equal(await priority.isDisabled(), true);
    await page.getByText('Needs a Contact Center service license').first().waitFor();
    await page.getByText('Needs an Enterprise Routing service license').waitFor();
    const timeout = page.getByRole('spinbutton', { name: /Calling timeout/ });
    await timeout.fill('2');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('the calling timeout must be at least 5 s').waitFor();
    await page.getByText('Nothing was saved: correct the fields marked in red.').waitFor();
    const unchanged = await call(MEGAN, 'GET', `/tenants/${T}/services/${HELPDESK}`);
    assert.equal(unchanged.body.settings.distribution.callingTimeoutSec, 30);
    await check(
      page,
      errors.splice(0).filter((e) => !e.includes('400')),
      'tab-service-settings-invalid',
    );
    await timeout.fill('45');
    await page.getByRole('checkbox', { name: 'Away' }).check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved. New tasks follow these settings.').waitFor();
    const saved = await call(MEGAN, 'GET', `/tenants/${T}/services/${HELPDESK}`);
    assert.equal(saved.body.settings.distribution.callingTimeoutSec, 45);
    assert.equal(saved.body.settings.distribution.presence.away, true);
    await check(page, errors, 'tab-service-settings');
  });

  it('an agent switches Active off on My Services and the API confirms it', async () => {
    const { page, errors } = await open('Isaiah Langer');
    const active = page.getByRole('switch', { name: 'Active in IT Helpdesk' });
    assert.equal(await active.isChecked(), true);
    await active.click();
    await page.getByText('Switched off for this service').waitFor();
    assert.equal(await active.isChecked(), false);
    const mine = await call(ISAIAH, 'GET', '/me/services');
    assert.equal(
      mine.body.find((s: { serviceId: string }) => s.serviceId === HELPDESK).active,
      false,
    );
    await check(page, errors, 'tab-my-services-off');
  });

  it('shows presence, a ringing task (accepted and completed in the tab) and after-call work live, counting down on the server clock', async () => {
    await call(ALEX, 'PUT', `/tenants/${T}/services/${HELPDESK}/license`, {
      license: 'ContactCenter',
    });
    const acw = await call(ALEX, 'PATCH', `/tenants/${T}/services/${HELPDESK}/settings`, {
      distribution: { acw: { enabled: true, seconds: 60 } },
    });
    assert.equal(acw.status, 200, JSON.stringify(acw.body));
    for (const other of [MEGAN, ISAIAH])
      await call(ALEX, 'PUT', `/tenants/${T}/services/${HELPDESK}/members/${other}`, {
        active: false,
      });
    const { page, errors } = await open('Adele Vance');
    const reasons = page.getByRole('list', { name: 'Why not available in IT Helpdesk' });
    await page.getByText('Available', { exact: true }).first().waitFor();

    await call(ALEX, 'PUT', `/tenants/${T}/users/${ADELE}/presence`, { presence: 'DoNotDisturb' });
    await reasons.getByText('Do not disturb in Teams').waitFor();
    await call(ALEX, 'PUT', `/tenants/${T}/users/${ADELE}/presence`, { presence: 'Available' });
    await reasons.waitFor({ state: 'detached' });

    const task = await call(MEGAN, 'POST', `/tenants/${T}/services/${HELPDESK}/tasks`, {
      modality: 'Call',
      subject: 'VPN down',
    });
    assert.deepEqual(task.body.exit, 'DirectAvailable');
    await page.getByText('A task of IT Helpdesk is ringing for you.').waitFor();
    await page.getByText(/^Call: VPN down — answer within \d+:\d\d$/).waitFor();
    await check(page, errors, 'tab-my-services-ringing');
    await page.getByRole('button', { name: 'Accept' }).click();
    await page.getByText('On a task of IT Helpdesk.').waitFor();
    assert.equal((await call(ALEX, 'GET', `/tasks/${task.body.taskId}`)).body.acceptedBy, ADELE);
    await page.getByRole('button', { name: 'Complete' }).click();
    await reasons.getByText('In after-call work — 1:00 left').waitFor();
    await api(app.url, 'POST', '/dev/clock', { body: { advanceMs: 20_000 } });
    await reasons.getByText('In after-call work — 0:40 left').waitFor();
    await check(page, errors, 'tab-my-services-acw');
    await page.getByRole('button', { name: 'End after-call work' }).click();
    await page.getByText('No task right now.').waitFor();
    await reasons.waitFor({ state: 'detached' });
    const state = await call(ADELE, 'GET', '/me/state');
    assert.equal(state.body.engagement, null);
  });

  it('an admin stages two license changes, undoes one, saves, and the pools update', async () => {
    const { page, errors } = await open('Alex Wilber');
    await page.getByRole('tab', { name: 'Licenses' }).click();
    const pool = page.getByRole('group', { name: 'Contact Center user pool' });
    const before = await call(ALEX, 'GET', `/tenants/${T}/licenses`);
    const used = before.body.pools.find(
      (p: { license: string }) => p.license === 'ContactCenterUser',
    ).used;
    await pool.getByText(`${used} of 10 in use`).waitFor();
    await page.getByRole('checkbox', { name: 'Contact Center user for Adele Vance' }).check();
    await page.getByRole('checkbox', { name: 'Attendant Console for Isaiah Langer' }).check();
    await page.getByText('Give Isaiah Langer Attendant Console').waitFor();
    await pool.getByText(`${used + 1} of 10 after saving`).waitFor();
    await keepScreenshot(page, 'tab-licenses-staged');
    await page.getByRole('button', { name: 'Undo: Give Isaiah Langer Attendant Console' }).click();
    await page.getByRole('button', { name: 'Save 1 change' }).click();
    await page.getByText('Saved 1 change.').waitFor();
    await pool.getByText(`${used + 1} of 10 in use`).waitFor();
    const after = await call(ALEX, 'GET', `/tenants/${T}/licenses`);
    const holder = (userId: string) =>
      after.body.users.find((u: { userId: string }) => u.userId === userId).licenses;
    assert.ok(holder(ADELE).includes('ContactCenterUser'));
    assert.ok(!holder(ISAIAH).includes('AttendantConsole'));
    await check(page, errors, 'tab-licenses');
  });

  it('a tenant admin corrects a modality limit inline and saves the tenant settings', async () => {
    const { page, errors } = await open('Alex Wilber');
    await page.getByRole('tab', { name: 'Tenant settings' }).click();
    const im = page.getByRole('spinbutton', { name: 'Instant messages' });
    await im.fill('99');
    await page.getByRole('radio', { name: 'Tenant admins only' }).check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('must be at most 50').waitFor();
    const unchanged = await call(ALEX, 'GET', `/tenants/${T}/settings`);
    assert.equal(unchanged.body.provisioning.policy, 'Everyone');
    await im.fill('20');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    const saved = await call(ALEX, 'GET', `/tenants/${T}/settings`);
    assert.equal(saved.body.modalities.maxIm, 20);
    assert.equal(saved.body.provisioning.policy, 'TenantAdmins');
    await check(
      page,
      errors.filter((e) => !e.includes('400')),
      'tab-tenant-settings',
    );
  });

  it('a tenant admin hides time in state, and My services stops showing it', async () => {
    const admin = await open('Alex Wilber');
    await admin.page.getByRole('tab', { name: 'Tenant settings' }).click();
    await admin.page
      .getByRole('switch', { name: 'Show how long people have been in their state' })
      .uncheck();
    await admin.page.getByRole('button', { name: 'Save' }).click();
    await admin.page.getByText('Saved.').waitFor();
    const agent = await open('Adele Vance');
    const card = agent.page.getByRole('group', { name: 'IT Helpdesk' });
    await card.getByText(/^(Available|Not available)$/).waitFor();
    assert.equal(await card.getByText(/^for /).count(), 0);
    await check(agent.page, agent.errors, 'tab-my-services-no-time-in-state');
    // Back as it was, for the tests after this one.
    await call(ALEX, 'PATCH', `/tenants/${T}/settings`, {
      dataPrivacy: { showTimeInState: true },
    });
  });

  it('an owner sees on the Service page whom a waiting task rang and why others were skipped, and cancels it', async () => {
    // Megan and Isaiah are switched off in IT Helpdesk (tests above): the task rings Adele.
    const task = await call(MEGAN, 'POST', `/tenants/${T}/services/${HELPDESK}/tasks`, {
      modality: 'Im',
      subject: 'Printer on fire',
    });
    assert.deepEqual(task.body.offeredTo, [ADELE]);
    // Going Offline withdraws the invitation ringing for her at once: the task waits again.
    await call(ALEX, 'PUT', `/tenants/${T}/users/${ADELE}/presence`, { presence: 'Offline' });
    const waiting = await call(MEGAN, 'GET', `/tasks/${task.body.taskId}`);
    assert.equal(waiting.body.state, 'Queued');
    const { page, errors } = await open('Megan Bowen');
    await page.getByRole('link', { name: 'IT Helpdesk' }).click();
    const queue = page.getByRole('table', { name: 'Queue in serving order' });
    const row = queue.getByRole('row').filter({ hasText: 'Printer on fire' });
    await row.getByText('Rang Adele Vance').waitFor();
    await row
      .getByText(/skipped Megan Bowen \(switched off\) · Isaiah Langer \(switched off\)$/)
      .waitFor();
    await check(page, errors, 'tab-service-queue');
    await row.getByRole('button', { name: 'Cancel “Printer on fire”' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Nobody will be offered this task any more.').waitFor();
    // The dialog fades in: judge it (axe, screenshot) once it is fully there.
    // (A string, as it runs in the page: the tests' TypeScript has no DOM types.)
    await page.waitForFunction(
      `(() => { const d = document.querySelector('[role="dialog"]'); return d !== null && getComputedStyle(d).opacity === '1'; })()`,
    );
    await check(page, errors, 'tab-service-queue-cancel');
    await dialog.getByRole('button', { name: 'Cancel the task' }).click();
    await page.getByText('No task is waiting.').waitFor();
    assert.equal((await call(MEGAN, 'GET', `/tasks/${task.body.taskId}`)).body.state, 'Canceled');
  });

  it('a tenant admin finds, creates and deletes services on the Services page, and the pool follows', async () => {
    const { page, errors } = await open('Alex Wilber');
    const contactCenterUsed = async () =>
      (await call(ALEX, 'GET', `/tenants/${T}/licenses`)).body.pools.find(
        (p: { license: string }) => p.license === 'ContactCenter',
      ).used as number;
    // Earlier tests may have used the demo's two Contact Center licenses: the operator adds some.
    const system = await devToken(app.url, { system: true });
    const contingency = await api(app.url, 'PUT', `/tenants/${T}/contingency`, {
      token: system,
      body: { ContactCenter: 5 },
    });
    assert.equal(contingency.status, 200, JSON.stringify(contingency.body));
    const before = await contactCenterUsed();
    await page.getByRole('tab', { name: 'Services', exact: true }).click();
    await page.getByRole('link', { name: 'IT Helpdesk' }).waitFor();
    await check(page, errors, 'tab-services');

    await page.getByRole('button', { name: 'New service' }).click();
    const create = page.getByRole('dialog');
    await create.getByRole('textbox', { name: 'Name' }).fill('Claims');
    await create.getByRole('button', { name: 'Create' }).click();
    await page.getByText('Claims was created.').waitFor();
    assert.equal(await contactCenterUsed(), before + 1);
    const services = (await call(ALEX, 'GET', `/tenants/${T}/services`)).body as {
      serviceId: string;
      name: string;
    }[];
    const claims = services.find((s) => s.name === 'Claims');
    assert.ok(claims);
    const task = await call(ALEX, 'POST', `/tenants/${T}/services/${claims.serviceId}/tasks`, {
      modality: 'Email',
      subject: 'Hail damage',
    });
    assert.equal(task.status, 201, JSON.stringify(task.body));

    await page.getByRole('button', { name: 'Delete Claims' }).click();
    const remove = page.getByRole('dialog');
    await remove.getByRole('button', { name: 'Delete' }).click();
    await remove.getByText(/Claims has 1 waiting task/).waitFor();
    await check(
      page,
      errors.splice(0).filter((e) => !e.includes('409')),
      'tab-services-delete-confirm',
    );
    await remove.getByRole('button', { name: 'Cancel its tasks and delete' }).click();
    await page
      .getByText(
        'Claims was deleted (1 open task ended); its Contact Center license is free again.',
      )
      .waitFor();
    assert.equal(await contactCenterUsed(), before, 'its license is back in the pool');
    assert.equal((await call(ALEX, 'GET', `/tasks/${task.body.taskId}`)).status, 404);

    // In a side panel or on a phone: the page fits, the table scrolls in its own region.
    await page.setViewportSize({ width: 360, height: 800 });
    await page.getByRole('link', { name: 'IT Helpdesk' }).waitFor();
    const overflow = await sidewaysScroll(page);
    await check(page, errors, 'tab-services-360');
    assert.equal(overflow, 0, 'no horizontal scrolling of the page at 360 px');
  });

  it('an admin creates a skill-based service, adds two agents, sets a policy, and a task goes to the most qualified', async () => {
    const { PATTI, LYNNE } = PEOPLE;
    const system = await devToken(app.url, { system: true });
    await api(app.url, 'PUT', `/tenants/${T}/contingency`, {
      token: system,
      body: { ContactCenter: 10 },
    });
    const { page, errors } = await open('Alex Wilber');
    await page.getByRole('tab', { name: 'Services', exact: true }).click();
    await page.getByRole('button', { name: 'New service' }).click();
    await page.getByRole('dialog').getByRole('textbox', { name: 'Name' }).fill('Claims desk');
    await page.getByRole('dialog').getByRole('button', { name: 'Create' }).click();
    await page.getByText('Claims desk was created.').waitFor();
    await page.getByRole('link', { name: 'Claims desk' }).click();

    const agents = page.getByRole('region', { name: 'Agents' });
    for (const [name, skills] of [
      ['Patti Fernandez', 'english 90, sales 80'],
      ['Lynne Robbins', 'english 70, german 85'],
    ] as const) {
      await agents
        .getByRole('combobox', { name: 'Add an agent' })
        .selectOption({ label: `${name} (${skills})` });
      await agents.getByRole('button', { name: 'Add', exact: true }).click();
      await agents.getByRole('button', { name: `Remove ${name}` }).waitFor();
    }
    await agents.getByText('Patti Fernandez (english 90, sales 80)').waitFor();
    await check(page, errors, 'tab-skill-agents');

    await page.getByRole('button', { name: 'Service settings' }).click();
    await page.getByRole('button', { name: 'Set a policy' }).click();
    await page
      .getByRole('combobox', { name: 'Whom to offer a task first' })
      .selectOption('MostQualified');
    await page.getByRole('button', { name: 'Add a required skill' }).click();
    await page.getByRole('textbox', { name: 'Skill' }).fill('english');
    await page.getByRole('spinbutton', { name: 'Lowest level (1–100)' }).fill('60');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved. New tasks follow these settings.').waitFor();
    await check(page, errors, 'tab-skill-policy');

    // Both free (earlier tests moved people's presence about), then a test task from the tab.
    for (const person of [PATTI, LYNNE])
      await api(app.url, 'PUT', `/tenants/${T}/users/${person}/presence`, {
        token: system,
        body: { presence: 'Available' },
      });
    await page.getByRole('button', { name: 'Back to the service' }).click();
    await page.getByRole('button', { name: 'Send a test task' }).click();
    await page
      .getByText('The test task is ringing: see whom below, and in their Teams chat.')
      .waitFor();
    const offers = async (who: string) =>
      JSON.stringify((await call(who, 'GET', '/me/offers')).body);
    assert.match(await offers(PATTI), /Test task from the tab/, 'english 90 before 70');
    assert.doesNotMatch(await offers(LYNNE), /Test task from the tab/);
    await check(page, errors, 'tab-skill-test-task');
  });

  it('a tenant admin makes someone admin of their unit, who then administers only that unit’s services', async () => {
    const admin = await open('Alex Wilber');
    await admin.page.getByRole('tab', { name: 'People' }).click();
    await admin.page.getByText('Services provisioned from Teams start here').waitFor();
    await check(admin.page, admin.errors, 'tab-people');
    // The box shows what the directory says: checked once the change is saved and read back.
    await admin.page
      .getByRole('checkbox', { name: 'Patti Fernandez: admin of their unit' })
      .click();
    await admin.page
      .getByRole('checkbox', { name: 'Patti Fernandez: admin of their unit', checked: true })
      .waitFor();
    const patti = (await call(ALEX, 'GET', `/tenants/${T}/directory`)).body.users.find(
      (u: { userId: string }) => u.userId === PEOPLE.PATTI,
    );
    assert.deepEqual(patti.roles, ['OuAdmin']);

    const ouAdmin = await open('Patti Fernandez');
    await ouAdmin.page.getByRole('tab', { name: 'Services', exact: true }).click();
    await ouAdmin.page.getByRole('link', { name: 'VIP Sales' }).waitFor();
    assert.equal(await ouAdmin.page.getByRole('link', { name: 'IT Helpdesk' }).count(), 0);
    await check(ouAdmin.page, ouAdmin.errors, 'tab-services-ou-admin');
  });

  it('the system operator finds a tenant and changes its license contingency', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    pages.push(page);
    const errors = collectPageErrors(page);
    await page.goto(`${app.url}/tab/`);
    await page.getByRole('button', { name: 'System operator' }).click();
    await page.getByRole('heading', { name: 'Tenants' }).waitFor();
    await page.getByRole('link', { name: DEMO.tenant.name }).waitFor();
    await check(page, errors, 'tab-operator-tenants');
    await page.getByRole('link', { name: DEMO.tenant.name }).click();
    const system = await devToken(app.url, { system: true });
    const pool = async () =>
      (await api(app.url, 'GET', `/tenants/${T}/licenses`, { token: system })).body.pools.find(
        (p: { license: string }) => p.license === 'ContactCenter',
      ) as { total: number; used: number };
    const before = await pool();
    const total = page.getByRole('spinbutton', { name: 'Contact Center', exact: true });
    await page.getByText(`${before.used} in use`).first().waitFor();
    // Below what admins assigned: refused beside the field, in words.
    if (before.used > 0) {
      await total.fill(String(before.used - 1));
      await page.getByRole('button', { name: 'Save licenses' }).click();
      await page
        .getByText(/cannot go below/)
        .first()
        .waitFor();
    }
    await total.fill(String(before.total + 3));
    await page.getByRole('button', { name: 'Save licenses' }).click();
    await page.getByText(`Saved: Contact Center ${before.total + 3}.`).waitFor();
    assert.equal((await pool()).total, before.total + 3);
    await check(
      page,
      errors.filter((e) => !e.includes('400')),
      'tab-operator-tenant',
    );
  });

  it('a tenant admin fills in General; the name, which only the operator changes, is read-only', async () => {
    const { page, errors } = await open('Alex Wilber');
    await page.getByRole('tab', { name: 'Tenant settings' }).click();
    const name = page.getByRole('group', { name: 'Tenant name' });
    await name.getByText('Only the system operator changes the name.').waitFor();
    assert.equal(await name.getByRole('textbox').count(), 0, 'the name is read-only');
    await page.getByRole('textbox', { name: 'Company name' }).fill('Contoso Ltd');
    await page.getByRole('textbox', { name: 'Tenant admin group' }).fill('not a group');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText(/must be a GUID/).waitFor();
    const group = '0d3e0000-0000-4000-8000-00000000a001';
    await page.getByRole('textbox', { name: 'Tenant admin group' }).fill(group);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    const saved = await call(ALEX, 'GET', `/tenants/${T}/settings`);
    assert.equal(saved.body.general.companyName, 'Contoso Ltd');
    assert.equal(saved.body.general.tenantAdminGroupId, group);
    // Without Graph, Details says so instead of listing anyone.
    await page.getByRole('button', { name: 'Details of the tenant admin group' }).click();
    await page
      .getByRole('dialog')
      .getByText('Microsoft Graph is not configured', { exact: false })
      .waitFor();
    await check(
      page,
      errors.filter((e) => !e.includes('400')),
      'tab-tenant-settings-general',
    );
  });

  it('asks before leaving a page with unsaved changes: Stay keeps them, Leave discards them', async () => {
    const { page, errors } = await open('Alex Wilber');
    await page.getByRole('tab', { name: 'Tenant settings' }).click();
    await page.getByRole('textbox', { name: 'Company name' }).fill('Not saved yet');
    await page.getByRole('tab', { name: 'Licenses' }).click();
    const dialog = page.getByRole('dialog', { name: 'Leave without saving?' });
    await dialog.waitFor();
    await check(page, errors, 'tab-leave-unsaved');
    await dialog.getByRole('button', { name: 'Stay on this page' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(
      await page.getByRole('textbox', { name: 'Company name' }).inputValue(),
      'Not saved yet',
    );
    await page.getByRole('tab', { name: 'Licenses' }).click();
    await dialog.getByRole('button', { name: 'Leave and discard them' }).click();
    await page.getByRole('heading', { level: 1, name: 'Licenses' }).waitFor();
    const settings = await call(ALEX, 'GET', `/tenants/${T}/settings`);
    assert.notEqual(settings.body.general.companyName, 'Not saved yet');
  });
});
