import { strict as assert } from 'node:assert';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO } from '../core/app/demo-tenant.js';
import { api, devToken } from './support/app-under-test.js';
import { freePort, healthy, spawnProcess, waitFor, type Spawned } from '../test/processes.js';

/** What the app logged as JSON lines with the given message. */
function logLines(output: string, msg: string): Record<string, unknown>[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry.msg === msg);
}

describe('npm start (the README command), end to end', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'svc-routing-e2e-'));
  let port: number;
  let url: string;
  let app: Spawned | undefined;

  async function start(): Promise<Spawned> {
    const proc = spawnProcess('npm', ['start'], {
      PORT: String(port),
      DATA_DIR: dataDir,
      TABLES_CONNECTION_STRING: '',
    });
    await waitFor('npm start', () => healthy(url), proc, 180_000);
    return proc;
  }

  before(async () => {
    port = await freePort();
    url = `http://127.0.0.1:${port}`;
    app = await start();
  });
  after(async () => {
    await app?.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is healthy on embedded Azurite and tells the newcomer where to go', async () => {
    assert.deepEqual(await api(url, 'GET', '/health'), {
      status: 200,
      body: { status: 'ok', storage: 'azurite', devMode: true, clock: 'system' },
    });
    assert.match(app?.output() ?? '', /Open the tab: +http:\/\/127\.0\.0\.1:\d+\/tab\//);
    assert.match(app?.output() ?? '', /npm run playground/);
  });

  it('seeds the demo tenant', async () => {
    const system = await devToken(url, { system: true });
    const tenant = await api(url, 'GET', `/tenants/${DEMO.tenant.id}`, { token: system });
    assert.equal(tenant.body.name, DEMO.tenant.name);
    assert.ok(Number(logLines(app?.output() ?? '', 'demo tenant ready')[0]?.created) > 0);
  });

  it('refuses a request without a token (401) and malformed JSON (400)', async () => {
    assert.equal((await api(url, 'GET', `/tenants/${DEMO.tenant.id}`)).status, 401);
    const malformed = await api(url, 'PUT', '/tenants/x', {
      token: await devToken(url, { system: true }),
      body: '{"name":',
    });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.error.code, 'invalid_request');
  });

  it('serves the built tab under /tab', async () => {
    const response = await fetch(`${url}/tab/`);
    assert.equal(response.status, 200);
    assert.match(await response.text(), /<div id="root">/);
  });

  it('serves the privacy statement and terms of use the Teams manifest links to', async () => {
    for (const [path, title] of [
      ['/tab/privacy.html', /Privacy statement/],
      ['/tab/terms.html', /Terms of use/],
    ] as const) {
      const response = await fetch(`${url}${path}`);
      assert.equal(response.status, 200, path);
      assert.match(await response.text(), title);
    }
  });

  it('a second npm start on the busy port says so at once, before building, and fails', async () => {
    const second = spawnProcess('npm', ['start'], {
      PORT: String(port),
      DATA_DIR: dataDir,
      TABLES_CONNECTION_STRING: '',
    });
    const [code] = (await once(second.child, 'exit')) as [number | null];
    assert.notEqual(code, 0);
    assert.match(second.output(), new RegExp(`port ${port} is in use; set PORT`));
    assert.doesNotMatch(second.output(), /> [\w-]+@[\d.]+ build/, 'nothing was built');
    assert.equal((await api(url, 'GET', '/health')).status, 200, 'the first one still serves');
  });

  it('stops gracefully on SIGTERM and finds every row again after a restart', async () => {
    const system = await devToken(url, { system: true });
    const created = await api(url, 'PUT', '/tenants/e2e-persisted', {
      token: system,
      body: { name: 'Persisted Ltd', state: 'Trial' },
    });
    assert.equal(created.status, 201);

    const exitCode = await app?.stop('SIGTERM');
    assert.equal(exitCode, 0, app?.output());
    assert.equal(logLines(app?.output() ?? '', 'stopped').length, 1);

    app = await start();
    const again = await api(url, 'GET', '/tenants/e2e-persisted', {
      token: await devToken(url, { system: true }),
    });
    assert.equal(again.status, 200);
    assert.equal(again.body.name, 'Persisted Ltd');
    assert.equal(again.body.createdAt, created.body.createdAt);
    assert.equal(
      logLines(app.output(), 'demo tenant ready')[0]?.created,
      0,
      'the seed found everything and created nothing',
    );
  });
});
