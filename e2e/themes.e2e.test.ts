import { strict as assert } from 'node:assert';
import type { Browser, Page } from 'playwright-core';
import { DEMO } from '../core/app/demo-tenant.js';
import { api, devToken, startBuiltApp, type RunningAppProcess } from './support/app-under-test.js';
import { PEOPLE } from '../test/demo-people.js';
import {
  collectPageErrors,
  explainingFailure,
  keepScreenshot,
  launchChromium,
} from './support/browser.js';
import { seriousAxeViolations, sidewaysScroll } from './support/tab-page.js';

const T = DEMO.tenant.id;
const THEMES = ['light', 'dark', 'contrast'] as const;
const WIDTHS = [1280, 360] as const;

/** Each page a person reaches, by its address, with the heading that says it has loaded. */
const ADMIN_PAGES = [
  ['my-services', '#/my-services', 'My services'],
  ['service', '#/service/svc-it-helpdesk', 'IT Helpdesk'],
  ['service-settings', '#/settings/svc-it-helpdesk', 'IT Helpdesk settings'],
  ['dashboard', '#/dashboard/svc-it-helpdesk', 'IT Helpdesk dashboard'],
  ['overview', '#/overview', 'Overview'],
  ['services', '#/services', 'Services'],
  ['people', '#/people', 'People and organization units'],
  ['licenses', '#/licenses', 'Licenses'],
  ['tenant-settings', '#/tenant', 'Tenant settings'],
] as const;
/**
 * A member of IT Helpdesk: her services, the service, its settings to read, and a service
 * she is not in (one sentence, not error bars).
 */
const AGENT_PAGES = [
  ['agent-my-services', '#/my-services', 'My services'],
  ['agent-service', '#/service/svc-it-helpdesk', 'IT Helpdesk'],
  ['agent-service-settings', '#/settings/svc-it-helpdesk', 'IT Helpdesk settings'],
  ['agent-dashboard', '#/dashboard/svc-it-helpdesk', 'IT Helpdesk dashboard'],
  // The API refuses its data (403, which the browser logs): the page says why in words.
  [
    'agent-not-a-member',
    '#/service/svc-vip-sales',
    'Service not available',
    '/services/svc-vip-sales',
  ],
] as const;
const OPERATOR_PAGES = [
  ['operator-tenants', '#/tenants', 'Tenants'],
  ['operator-tenant', `#/tenants/${T}`, DEMO.tenant.name],
] as const;

/** What else a page shows, checked in every theme and width too, and how to leave it clean. */
const STEPS: Readonly<
  Record<
    string,
    {
      readonly name: string;
      readonly run: (page: Page) => Promise<unknown>;
      readonly undo: (page: Page) => Promise<unknown>;
    }
  >
> = {
  'tenant-settings': {
    name: 'leave-unsaved',
    run: async (page) => {
      await page.getByRole('textbox', { name: 'Company name' }).fill('Typed, not saved');
      await page.getByRole('tab', { name: 'Licenses' }).click();
      await page.getByRole('dialog', { name: 'Leave without saving?' }).waitFor();
    },
    undo: async (page) => {
      await page.getByRole('button', { name: 'Leave and discard them' }).click();
      await page.getByRole('heading', { level: 1, name: 'Licenses' }).waitFor();
    },
  },
};

/**
 * Some of today's history for IT Helpdesk, so that its dashboard draws its charts: two tasks
 * accepted (after 12 and 8 s) and completed, one canceled while it waited.
 */
async function handleSomeTasks(url: string) {
  const system = await devToken(url, { system: true });
  const as = async (userId: string) => devToken(url, { tenantId: T, userId });
  const ok = async (reply: Promise<{ status: number; body: unknown }>) => {
    const { status, body } = await reply;
    assert.ok(status < 300, `${status} ${JSON.stringify(body)}`);
    return body as { taskId: string; offeredTo: string[] };
  };
  const advance = (advanceMs: number) =>
    ok(api(url, 'POST', '/dev/clock', { body: { advanceMs } }));
  for (const [waitMs, handleMs] of [
    [12_000, 65_000],
    [8_000, 200_000],
    [5_000, null],
  ] as const) {
    const { taskId } = await ok(
      api(url, 'POST', `/tenants/${T}/services/svc-it-helpdesk/tasks`, {
        token: system,
        body: { modality: 'Call', subject: 'Printer jam' },
      }),
    );
    await advance(waitMs);
    if (handleMs === null) {
      await ok(api(url, 'POST', `/tasks/${taskId}/cancel`, { token: system }));
      continue;
    }
    const { offeredTo } = await ok(api(url, 'GET', `/tasks/${taskId}`, { token: system }));
    const agent = await as(offeredTo[0]!);
    await ok(api(url, 'POST', `/tasks/${taskId}/accept`, { token: agent }));
    await advance(handleMs);
    await ok(api(url, 'POST', `/tasks/${taskId}/complete`, { token: agent }));
  }
}

/**
 * Whether the page's heading is what a person sees at its place: nothing (a portal's box, a
 * callout) lies over it.
 */
const headingOnTop = (page: Page, heading: string) =>
  page.getByRole('heading', { level: 1, name: heading, exact: true }).evaluate((h) => {
    const box = h.getBoundingClientRect();
    const seen = h.ownerDocument.elementFromPoint(box.x + 4, box.y + box.height / 2);
    return seen !== null && h.contains(seen);
  });

/**
 * Every page of the tab in the three Teams themes (dev mode's `?theme=`), wide and at
 * 360 px (a side panel, a phone): axe finds nothing serious, the page never scrolls
 * sideways, the console stays clean, and a screenshot of each is kept.
 */
describe('every page in every theme, wide and at 360 px (headless Chromium)', () => {
  let app: RunningAppProcess;
  let browser: Browser;
  before(async () => {
    app = await startBuiltApp({ CLOCK: 'manual' });
    browser = await launchChromium();
    await handleSomeTasks(app.url);
  });
  after(async () => {
    await browser?.close();
    await app?.stop();
  });

  async function visitAll(
    who: string,
    signedIn: (page: Page) => Promise<unknown>,
    pages: readonly (readonly [string, string, string, string?])[],
  ) {
    const refusedPaths = pages.flatMap(([, , , refused]) => (refused ? [refused] : []));
    const problems: string[] = [];
    for (const width of WIDTHS) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      const errors = collectPageErrors(page, (message) =>
        // The API's refusals a page expects (it says why in words), whenever they arrive.
        refusedPaths.some((path) => message.location().url.includes(path)),
      );
      try {
        await explainingFailure(page, `sign-in-${width}`, async () => {
          await page.goto(`${app.url}/tab/`);
          await page.getByRole('button', { name: new RegExp(`^${who}`) }).click();
          await signedIn(page);
        });
        for (const theme of THEMES)
          for (const [name, hash, heading] of pages) {
            const shot = `theme-${theme}-${width}-${name}`;
            await explainingFailure(page, shot, async () => {
              await page.goto(`${app.url}/tab/?theme=${theme}${hash}`);
              await page.getByRole('heading', { level: 1, name: heading, exact: true }).waitFor();
              await page.locator('.fui-Spinner').first().waitFor({ state: 'detached' });
            });
            await keepScreenshot(page, shot);
            if (!(await headingOnTop(page, heading)))
              problems.push(`${shot}: the heading is hidden`);
            const found = await seriousAxeViolations(page);
            if (found.length) problems.push(`${shot}: ${JSON.stringify(found)}`);
            if (width === 360) {
              const sideways = await sidewaysScroll(page);
              if (sideways > 0) problems.push(`${shot}: scrolls ${sideways}px sideways`);
            }
            const step = STEPS[name];
            if (step) {
              const stepShot = `${shot}-${step.name}`;
              await step.run(page);
              await keepScreenshot(page, stepShot);
              const inStep = await seriousAxeViolations(page);
              if (inStep.length) problems.push(`${stepShot}: ${JSON.stringify(inStep)}`);
              await step.undo(page);
            }
          }
      } finally {
        await page.close();
      }
      if (errors.length) problems.push(`console at ${width}px: ${errors.join(' | ')}`);
    }
    assert.deepEqual(problems, []);
  }

  it('a tenant admin’s pages', async () => {
    await visitAll(
      'Alex Wilber',
      (page) => page.getByText('Alex Wilber · ').waitFor(),
      ADMIN_PAGES,
    );
  });

  it('an agent’s pages', async () => {
    // Not available, with its reason in a badge: the narrowest thing to fit on a phone.
    const system = await devToken(app.url, { system: true });
    const dnd = await api(app.url, 'PUT', `/tenants/${T}/users/${PEOPLE.ADELE}/presence`, {
      token: system,
      body: { presence: 'DoNotDisturb' },
    });
    assert.equal(dnd.status, 200, JSON.stringify(dnd.body));
    await visitAll(
      'Adele Vance',
      (page) => page.getByText('Adele Vance · ').waitFor(),
      AGENT_PAGES,
    );
  });

  it('the system operator’s pages', async () => {
    await visitAll(
      'System operator',
      (page) => page.getByRole('heading', { name: 'Tenants' }).waitFor(),
      OPERATOR_PAGES,
    );
  });

  it('offers the theme as it is in the address, and switching keeps the page', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await page.goto(`${app.url}/tab/?theme=dark`);
      const picker = page.getByRole('combobox', { name: 'Theme' });
      assert.equal(await picker.inputValue(), 'dark');
      await page.getByRole('button', { name: /^Alex Wilber/ }).click();
      await page.getByText('Alex Wilber · ').waitFor();
      await page.goto(`${app.url}/tab/?theme=dark#/licenses`);
      await page.getByRole('heading', { level: 1, name: 'Licenses' }).waitFor();
      await page.getByRole('combobox', { name: 'Theme' }).selectOption('contrast');
      assert.match(page.url(), /\?theme=contrast#\/licenses$/);
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Licenses' }).waitFor();
      assert.equal(await page.getByRole('combobox', { name: 'Theme' }).inputValue(), 'contrast');
    } finally {
      await page.close();
    }
  });
});
