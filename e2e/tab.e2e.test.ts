import { strict as assert } from 'node:assert';
import type { Browser } from 'playwright-core';
import { startBuiltApp, type RunningAppProcess } from './support/app-under-test.js';
import { collectPageErrors, keepScreenshot, launchChromium } from './support/browser.js';

describe('the tab in headless Chromium', () => {
  let app: RunningAppProcess;
  let browser: Browser;
  before(async () => {
    app = await startBuiltApp();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('loads outside Teams, reaches the API and shows no console errors', async () => {
    const page = await browser.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${app.url}/tab/`);
    await page.getByRole('heading', { name: 'Service routing' }).waitFor();
    await page.getByText('Connected. Storage: embedded Azurite.').waitFor();
    await keepScreenshot(page, 'tab-home');
    assert.deepEqual(errors, []);
  });
});
