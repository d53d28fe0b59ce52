import { strict as assert } from 'node:assert';
import type { Browser } from 'playwright-core';
import { DEMO } from '../core/app/demo-tenant.js';
import { api, devToken, startBuiltApp, type RunningAppProcess } from './support/app-under-test.js';
import { keepScreenshot, launchChromium } from './support/browser.js';
import { openTabAs, seriousAxeViolations, sidewaysScroll } from './support/tab-page.js';
import { PEOPLE } from '../test/demo-people.js';

const T = DEMO.tenant.id;
const { MEGAN, ADELE, ISAIAH } = PEOPLE;
const HELPDESK = 'svc-it-helpdesk';
const THEMES = ['light', 'dark', 'contrast'] as const;

/**
 * Chats at once in the tab: an agent holding two chats sees both in My state, each with its
 * own Complete, and in My services how many more may come; the owner's Service page says how
 * many she holds of how many. Every theme, wide and at 360 px.
 */
describe('chats at once in the tab (headless Chromium, npm start build, CLOCK=manual)', () => {
  let app: RunningAppProcess;
  let browser: Browser;
  const call = async (who: string, method: string, path: string, body?: unknown) => {
    const reply = await api(app.url, method, path, {
      token: await devToken(app.url, { tenantId: T, userId: who }),
      body,
    });
    assert.ok(
      reply.status < 300,
      `${method} ${path}: ${reply.status} ${JSON.stringify(reply.body)}`,
    );
    return reply.body;
  };

  before(async () => {
    app = await startBuiltApp({ CLOCK: 'manual' });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('Adele holds two chats of three: both in My state, the rest in words, the owner sees it', async () => {
    await call(MEGAN, 'PATCH', `/tenants/${T}/services/${HELPDESK}/settings`, {
      distribution: { chatsAtOnce: 3 },
    });
    for (const who of [MEGAN, ISAIAH])
      await call(who, 'PUT', `/tenants/${T}/users/${who}/presence`, { presence: 'Offline' });
    const taken: string[] = [];
    for (const subject of ['Password reset', 'Printer on fire']) {
      const { taskId, offeredTo } = await call(
        MEGAN,
        'POST',
        `/tenants/${T}/services/${HELPDESK}/tasks`,
        { modality: 'Im', subject },
      );
      assert.deepEqual(offeredTo, [ADELE]);
      await call(ADELE, 'POST', `/tasks/${taskId}/accept`);
      taken.push(taskId);
    }

    const problems: string[] = [];
    for (const width of [1280, 360]) {
      const { page, errors } = await openTabAs(browser, app.url, 'Adele Vance', width);
      for (const theme of THEMES) {
        await page.goto(`${app.url}/tab/?theme=${theme}#/my-services`);
        await page.getByText('In 2 chats.').waitFor();
        await page.getByRole('group', { name: 'Chat: Printer on fire' }).waitFor();
        await page.getByText('Only further chats come: in 2 of 3 chats.').waitFor();
        const shot = `chats-at-once-${theme}-${width}`;
        await keepScreenshot(page, shot);
        const found = await seriousAxeViolations(page);
        if (found.length) problems.push(`${shot}: ${JSON.stringify(found)}`);
        if (width === 360 && (await sidewaysScroll(page)) > 0)
          problems.push(`${shot}: scrolls sideways`);
      }
      assert.deepEqual(errors, [], `console at ${width}`);
      await page.close();
    }
    assert.deepEqual(problems, []);

    // She ends the first from its own group; the other stays in her hands.
    const { page, errors } = await openTabAs(browser, app.url, 'Adele Vance');
    const first = page.getByRole('group', { name: 'Chat: Password reset' });
    await first.getByRole('button', { name: 'Complete' }).click();
    await page.getByText('On a chat of IT Helpdesk.').waitFor();
    const state = await call(ADELE, 'GET', '/me/state');
    assert.deepEqual(
      state.chats.map((c: { taskId: string }) => c.taskId),
      [taken[1]],
    );
    assert.deepEqual(errors, []);
    await page.close();

    const { page: owner, errors: ownerErrors } = await openTabAs(browser, app.url, 'Megan Bowen');
    await owner.goto(`${app.url}/tab/#/service/${HELPDESK}`);
    const row = owner.getByRole('row', { name: /Adele Vance/ });
    await row.getByText('Printer on fire').waitFor();
    await row.getByText(/In 1 of 3 chats/).waitFor();
    await row.getByText('Available for chats').waitFor();
    await keepScreenshot(owner, 'chats-at-once-service-page');
    assert.deepEqual(await seriousAxeViolations(owner), []);
    assert.deepEqual(ownerErrors, []);
    await owner.close();
  });
});
