import assert from 'node:assert/strict';
import type { Browser, Page, Route } from 'playwright-core';
import { CHAT_PAGE_CSP, CHAT_PAGE_HTML, CHAT_PAGE_JS } from '../bot/interact/widget-assets.js';
import { launchChromium } from './support/browser.js';

/**
 * The website chat's page on its own, against a scripted server (page.route): how it
 * polls. The end-to-end chat through the app is in playground.e2e.test.ts.
 */
describe('the website chat page', function () {
  this.timeout(60_000);
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  interface Line {
    key: string;
    from: 'customer' | 'agent';
    text: string;
    at: string;
  }
  const AT = '2026-12-03T12:00:00.000Z';

  /** A page with a chat going on (as after a reload); `onPoll` answers its polls. */
  async function chatPage(
    onPoll: (after: string | undefined, route: Route) => void | Promise<void>,
    onMessage: (text: string) => void = () => undefined,
  ): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 360, height: 640 } });
    // (Strings, as they run in the page: the tests' TypeScript has no DOM types.)
    await page.addInitScript(`sessionStorage.setItem('interact-chat:svc-help', 'chat-1')`);
    await page.route('http://shop.test/**', async (route) => {
      const url = new URL(route.request().url());
      if (url.pathname === '/interact/chat')
        return route.fulfill({
          contentType: 'text/html',
          headers: { 'content-security-policy': CHAT_PAGE_CSP },
          body: CHAT_PAGE_HTML,
        });
      if (url.pathname === '/interact/chat.js')
        return route.fulfill({ contentType: 'text/javascript', body: CHAT_PAGE_JS });
      const body = route.request().postDataJSON() as { after?: string; text?: string };
      if (url.pathname === '/api/v1/interact/chats/poll') return onPoll(body.after, route);
      if (url.pathname === '/api/v1/interact/chats/messages') {
        onMessage(body.text ?? '');
        return route.fulfill({ json: { key: 'sent' } });
      }
      return route.fulfill({ status: 404, json: { error: { code: 'notFound', message: '' } } });
    });
    await page.goto('http://shop.test/interact/chat?key=wk~1&service=svc-help');
    return page;
  }

  const connected = (messages: Line[]) => ({
    json: {
      state: 'connected',
      agentName: 'Megan Bowen',
      position: 0,
      beyond: false,
      messages,
    },
  });

  /** The polls seen, in order, and a wait for the `times`-th that passes `test`. */
  function pollLog() {
    const seen: (string | undefined)[] = [];
    const waiters: (() => void)[] = [];
    return {
      seen,
      saw(after: string | undefined) {
        seen.push(after);
        for (const wake of waiters.splice(0)) wake();
      },
      async until(test: (after: string | undefined) => boolean, times = 1): Promise<void> {
        while (seen.filter(test).length < times)
          await new Promise<void>((wake) => waiters.push(wake));
      },
    };
  }

  it('sends one poll at a time: a message sent while a poll is out is fetched after it, never twice', async () => {
    const lines: Line[] = [{ key: 'm1', from: 'agent', text: 'Hello, I am Megan.', at: AT }];
    const log = pollLog();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let first = true;
    const page = await chatPage(
      async (after, route) => {
        log.saw(after);
        if (first) {
          first = false;
          await held;
        }
        await route.fulfill(connected(lines.filter((l) => !after || l.key > after)));
      },
      (text) => lines.push({ key: 'm2', from: 'customer', text, at: AT }),
    );
    await log.until((after) => after === undefined);

    // While the first poll is still out, Ann sends a line; the page asks for news again.
    await page.getByRole('textbox', { name: 'Message' }).fill('My printer is broken.');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.waitForFunction(`document.getElementById('text').value === ''`);
    release();

    // The poll that follows the first asks from the last line it showed.
    await log.until((after) => after === 'm2');
    assert.deepEqual(log.seen.slice(0, log.seen.indexOf('m2')), [undefined]);
    assert.equal(await page.locator('.line').count(), 2);
    assert.equal(await page.getByText('My printer is broken.').count(), 1);
    await page.close();
  });

  it('shows a line once even when the server sends it again', async () => {
    const line: Line = { key: 'm1', from: 'agent', text: 'Hello, I am Megan.', at: AT };
    const log = pollLog();
    const page = await chatPage(async (after, route) => {
      log.saw(after);
      await route.fulfill(connected([line]));
    });
    // The second poll from m1 is sent after the answer to the first was shown.
    await log.until((after) => after === 'm1', 2);
    assert.equal(await page.getByText('Hello, I am Megan.').count(), 1);
    await page.close();
  });
});
