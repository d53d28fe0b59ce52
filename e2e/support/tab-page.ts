import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { collectPageErrors } from './browser.js';

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: number;
}

/** axe-core's serious and critical findings on the page as it is now. */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as { axe: { run(context: unknown): Promise<{ violations: any[] }> } }
    ).axe;
    // Fluent's focus manager (tabster) places hidden focus sentinels that pass focus on at once;
    // they are focusable by design, and axe's aria-hidden-focus rule cannot tell.
    const result = await axe.run({ exclude: [['[data-tabster-dummy]']] });
    return result.violations.map((v) => ({
      id: v.id as string,
      impact: v.impact as string | null,
      help: v.help as string,
      nodes: (v.nodes as unknown[]).length,
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** A fresh browser page on the tab, signed in through the dev "sign in as" picker. */
export async function openTabAs(browser: Browser, url: string, displayName: string, width = 1280) {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const errors = collectPageErrors(page);
  await page.goto(`${url}/tab/`);
  await page.getByRole('button', { name: new RegExp(`^${displayName}`) }).click();
  await page.getByText(`${displayName} · `).waitFor();
  return { page, errors };
}

/** How far the page scrolls sideways (0: it fits). */
export const sidewaysScroll = (page: Page): Promise<number> =>
  page.evaluate(() => {
    const root = (
      globalThis as unknown as {
        document: { documentElement: { scrollWidth: number; clientWidth: number } };
      }
    ).document.documentElement;
    return root.scrollWidth - root.clientWidth;
  });
