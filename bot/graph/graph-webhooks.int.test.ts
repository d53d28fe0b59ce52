import { strict as assert } from 'node:assert';
import { DEMO } from '../../core/app/demo-tenant.js';
import { startTestApp, type TestApp } from '../../test/app-harness.js';
import { PEOPLE } from '../../test/demo-people.js';

/** Microsoft Graph's webhooks at the edge: the handshake, and what is not Graph's shape. */
describe('Microsoft Graph webhooks', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({
      SEED: 'demo',
      CLOCK: 'manual',
      GRAPH_CLIENT_ID: 'graph-app',
      GRAPH_CLIENT_SECRET: 'graph-secret',
      // Nothing listens there: sign-ins fail at once, and the feed says so.
      ENTRA_AUTHORITY_HOST: 'https://127.0.0.1:9',
      GRAPH_BASE_URL: 'https://127.0.0.1:9/v1.0',
    });
  });
  // A stop waits for the sweep in flight, whose sign-in to the closed port is retried a few times.
  after(() => app.stop());

  const post = (path: string, body?: string, contentType = 'application/json') =>
    fetch(`${app.url}${path}`, {
      method: 'POST',
      ...(body !== undefined && { body, headers: { 'content-type': contentType } }),
    });

  for (const path of ['/api/graph/notifications', '/api/graph/lifecycle'])
    it(`answers the validation handshake at ${path} with the token as plain text`, async () => {
      const token =
        'Validation: Testing client application reachability for subscription Request-Id: 1 & <b>';
      const reply = await post(
        `${path}?validationToken=${encodeURIComponent(token)}`,
        '',
        'text/plain',
      );
      assert.equal(reply.status, 200);
      assert.match(reply.headers.get('content-type') ?? '', /^text\/plain/);
      assert.equal(reply.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(await reply.text(), token);
    });

  it('refuses a body that is not Graph’s notifications, in the API’s error shape, and an overlong token', async () => {
    for (const body of [
      '{}',
      '{"value": "x"}',
      '{"value": [{"clientState": "x"}]}',
      '{"value": [{"subscriptionId": "s", "tenantId": "../x"}]}',
      '{"value": [{"subscriptionId": "s", "tenantId": "t1", "resourceData": {"id": "a b"}}]}',
    ]) {
      const reply = await post('/api/graph/notifications', body);
      assert.equal(reply.status, 400, body);
      assert.equal(
        ((await reply.json()) as { error: { code: string } }).error.code,
        'invalid_request',
      );
    }
    const long = await post(
      `/api/graph/notifications?validationToken=${'x'.repeat(5000)}`,
      '',
      'text/plain',
    );
    assert.equal(long.status, 400);
  });

  it('takes notifications of subscriptions it never made with 202, as Graph expects of any', async () => {
    const reply = await post(
      '/api/graph/notifications',
      JSON.stringify({
        value: [
          {
            subscriptionId: 'not-ours',
            clientState: 'guess',
            tenantId: DEMO.tenant.id,
            changeType: 'updated',
            resourceData: { id: DEMO.users[0]?.id },
          },
        ],
      }),
    );
    // What a forged one changes (nothing) is tested against the Graph stand-in
    // (presence-feed.int.test.ts), where a real notification in the same post shows when
    // the work is done.
    assert.equal(reply.status, 202);
  });
});

describe('presence without Microsoft Graph configured', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ SEED: 'demo' });
  });
  after(() => app.stop());

  it('says so to a tenant admin, in the status and in the test, and refuses members', async () => {
    const T = DEMO.tenant.id;
    const admin = await app.token({ system: true });
    const status = await app.call('GET', `/tenants/${T}/presence`, { token: admin });
    assert.equal(status.body.source, 'none');
    assert.match(status.body.problem, /Microsoft Graph is not configured/);
    const test = await app.call('POST', `/tenants/${T}/presence:test`, {
      token: admin,
      body: { upn: 'adele@contoso.example' },
    });
    assert.equal(test.body.ok, false);
    assert.match(test.body.problem, /Microsoft Graph is not configured/);
    const member = await app.token({ tenantId: T, userId: PEOPLE.ADELE });
    const refused = await app.call('GET', `/tenants/${T}/presence`, { token: member });
    assert.equal(refused.status, 403);
  });
});
