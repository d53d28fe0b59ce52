import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';
import { ROOT } from '../../test/processes.js';

export const ARTIFACTS = `${ROOT}artifacts/`;

/** Debian's Chromium, headless, with the network chatter this machine refuses switched off. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Keeps a screenshot as a test artifact (artifacts/<name>.png). */
export async function keepScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = `${ARTIFACTS}${name}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Collects console errors and uncaught page errors, which a test expects to stay empty;
 * `expected` names console errors a test provokes on purpose (a refused request).
 */
export function collectPageErrors(
  page: Page,
  expected: (message: ConsoleMessage) => boolean = () => false,
): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !expected(message)) errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/**
 * Runs `steps` on a page; when they fail, the error also says what the page showed then
 * (its text and address), and a screenshot `failed-<name>` is kept, so a failure found
 * once on a loaded machine can be read afterwards.
 */
export async function explainingFailure<T>(
  page: Page,
  name: string,
  steps: () => Promise<T>,
): Promise<T> {
  try {
    return await steps();
  } catch (error) {
    const shown = await page
      .locator('body')
      .innerText({ timeout: 5_000 })
      .catch((cause: unknown) => `(unreadable: ${String(cause)})`);
    await keepScreenshot(page, `failed-${name}`).catch(() => undefined);
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message}\nat ${page.url()} the page showed:\n${shown.slice(0, 1_500)}`, {
      cause: error,
    });
  }
}
