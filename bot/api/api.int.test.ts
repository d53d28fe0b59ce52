import { strict as assert } from 'node:assert';
import { DEMO } from '../../core/app/demo-tenant.js';
import { startTestApp, type TestApp } from '../../test/app-harness.js';

describe('API (dev mode, on Azurite)', () => {
  let app: TestApp;
  let system: string;
  before(async () => {
    app = await startTestApp({ SEED: 'demo' });
    system = await app.token({ system: true });
  });
  after(() => app.stop());

  it('reports health and which storage it uses', async () => {
    assert.deepEqual(await app.call('GET', '/health'), {
      status: 200,
      body: { status: 'ok', storage: 'azurite', devMode: true, clock: 'system' },
    });
  });

  it('refuses a request without a valid token with 401', async () => {
    const none = await app.call('GET', `/tenants/${DEMO.tenant.id}`);
    assert.equal(none.status, 401);
    assert.equal(none.body.error.code, 'unauthenticated');
    const forged = await app.call('GET', `/tenants/${DEMO.tenant.id}`, {
      token: `${system.slice(0, -4)}AAAA`,
    });
    assert.equal(forged.status, 401);
  });

  it('answers malformed JSON with 400 invalid_request', async () => {
    const reply = await app.call('PUT', '/tenants/t-json', {
      token: system,
      body: '{"name": "A",',
    });
    assert.equal(reply.status, 400);
    assert.equal(reply.body.error.code, 'invalid_request');
  });

  it('answers unknown routes and methods in the same error shape', async () => {
    const unknown = await app.call('GET', '/no-such-thing');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'not_found');
    const method = await app.call('DELETE', '/health');
    assert.equal(method.status, 405);
    assert.equal(method.body.error.code, 'method_not_allowed');
  });

  it('refuses a body that is not JSON with 415', async () => {
    const reply = await app.call('PUT', '/tenants/t-form', {
      token: system,
      body: 'name=A',
      contentType: 'application/x-www-form-urlencoded',
    });
    assert.equal(reply.status, 415);
  });

  it('lets the system operator create (201) and update (200) a tenant', async () => {
    const created = await app.call('PUT', '/tenants/t-ops', {
      token: system,
      body: { name: 'Fabrikam', state: 'Trial' },
    });
    assert.equal(created.status, 201);
    assert.equal(created.body.state, 'Trial');
    const updated = await app.call('PUT', '/tenants/t-ops', {
      token: system,
      body: { name: 'Fabrikam', state: 'Active' },
    });
    assert.equal(updated.status, 200);
    assert.equal(updated.body.createdAt, created.body.createdAt);
  });

  it('creates a tenant with its routing shards, fixed from then on (another count is refused, none keeps them)', async () => {
    const created = await app.call('PUT', '/tenants/t-shards', {
      token: system,
      body: { name: 'Sharded', state: 'Active', routingShards: 4 },
    });
    assert.equal(created.status, 201);
    assert.equal(created.body.routingShards, 4);
    const changed = await app.call('PUT', '/tenants/t-shards', {
      token: system,
      body: { name: 'Renamed', state: 'Active', routingShards: 2 },
    });
    assert.equal(changed.status, 400);
    assert.equal(changed.body.error.code, 'validation_failed');
    assert.deepEqual(
      changed.body.error.details.map((d: { field: string }) => d.field),
      ['routingShards'],
    );
    const tooMany = await app.call('PUT', '/tenants/t-shards', {
      token: system,
      body: { name: 'Renamed', state: 'Active', routingShards: 17 },
    });
    assert.equal(tooMany.status, 400);
    const renamed = await app.call('PUT', '/tenants/t-shards', {
      token: system,
      body: { name: 'Renamed', state: 'Active' },
    });
    assert.equal(renamed.status, 200);
    assert.deepEqual([renamed.body.name, renamed.body.routingShards], ['Renamed', 4]);
    const plain = await app.call('PUT', '/tenants/t-plain', {
      token: system,
      body: { name: 'Plain', state: 'Active' },
    });
    assert.equal(plain.body.routingShards, 1);
  });

  it('given a bad update, then nothing changes and every bad field is named', async () => {
    await app.call('PUT', '/tenants/t-atomic', {
      token: system,
      body: { name: 'Before', state: 'Active' },
    });
    const bad = await app.call('PUT', '/tenants/t-atomic', {
      token: system,
      body: { name: '', state: 'Sleeping' },
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'validation_failed');
    assert.deepEqual(bad.body.error.details.map((d: { field: string }) => d.field).sort(), [
      'name',
      'state',
    ]);
    const after = await app.call('GET', '/tenants/t-atomic', { token: system });
    assert.equal(after.body.name, 'Before');
    assert.equal(after.body.state, 'Active');
  });

  it('words a refused field for people, not in the schema library’s terms', async () => {
    const admin = await app.token({ tenantId: DEMO.tenant.id, userId: DEMO.users[0].id });
    const reply = await app.call('PATCH', `/tenants/${DEMO.tenant.id}/settings`, {
      token: admin,
      body: { modalities: { maxIm: null }, provisioning: { policy: 'Anyone' } },
    });
    assert.equal(reply.status, 400);
    assert.deepEqual(reply.body.error.details, [
      {
        field: 'provisioning.policy',
        message: 'must be one of: Everyone, TenantAndOuAdmins, TenantAdmins, NoOne',
      },
      { field: 'modalities.maxIm', message: 'enter a number' },
    ]);
    assert.doesNotMatch(reply.body.error.message, /Invalid input|expected number/);
  });

  it('lets only the system operator change tenants (403 for a tenant admin)', async () => {
    const admin = await app.token({ tenantId: DEMO.tenant.id, userId: DEMO.users[0].id });
    const reply = await app.call('PUT', `/tenants/${DEMO.tenant.id}`, {
      token: admin,
      body: { name: 'Mine', state: 'Active' },
    });
    assert.equal(reply.status, 403);
    assert.equal(reply.body.error.code, 'forbidden');
    assert.equal(
      (await app.call('GET', `/tenants/${DEMO.tenant.id}`, { token: system })).body.name,
      DEMO.tenant.name,
    );
  });

  it("hides another tenant's data (403) and shows one's own", async () => {
    const outsider = await app.token({ tenantId: 'other-tenant', userId: 'someone' });
    assert.equal(
      (await app.call('GET', `/tenants/${DEMO.tenant.id}`, { token: outsider })).status,
      403,
    );
    const member = await app.token({ tenantId: DEMO.tenant.id, userId: DEMO.users[3].id });
    const own = await app.call('GET', `/tenants/${DEMO.tenant.id}`, { token: member });
    assert.equal(own.status, 200);
    assert.equal(own.body.name, DEMO.tenant.name);
  });

  it('answers 404 for a tenant that does not exist', async () => {
    const reply = await app.call('GET', '/tenants/nobody-here', { token: system });
    assert.equal(reply.status, 404);
    assert.equal(reply.body.error.code, 'not_found');
  });

  it('lists the tenants a page at a time for the operator, with a cursor, and refuses bad paging', async () => {
    for (const id of ['t-list-1', 't-list-2', 't-list-3'])
      await app.call('PUT', `/tenants/${id}`, { token: system, body: { name: id, state: 'Lab' } });
    const seen: string[] = [];
    let next: string | null = null;
    do {
      const query: string = next === null ? '?top=2' : `?top=2&cursor=${next}`;
      const page = await app.call('GET', `/tenants${query}`, { token: system });
      assert.equal(page.status, 200);
      assert.ok(page.body.items.length <= 2);
      seen.push(...page.body.items.map((t: { tenantId: string }) => t.tenantId));
      next = page.body.next;
    } while (next !== null);
    assert.deepEqual(seen, [...new Set(seen)].sort(), 'each once, by id');
    for (const id of [DEMO.tenant.id, 't-list-1', 't-list-2', 't-list-3'])
      assert.ok(seen.includes(id), id);
    const demo = (await app.call('GET', '/tenants?top=200', { token: system })).body.items.find(
      (t: { tenantId: string }) => t.tenantId === DEMO.tenant.id,
    );
    assert.ok(
      demo.pools.some(
        (p: { license: string; used: number }) => p.license === 'AdvancedRouting' && p.used > 0,
      ),
      'with its pools and what they use',
    );
    for (const bad of ['?top=0', '?top=201', '?top=x', '?cursor=%25%25', '?cursor=bm90IGFuIGlk!'])
      assert.equal(
        (await app.call('GET', `/tenants${bad}`, { token: system })).body.error?.code,
        'validation_failed',
        bad,
      );
    const admin = await app.token({ tenantId: DEMO.tenant.id, userId: DEMO.users[0].id });
    assert.equal((await app.call('GET', '/tenants', { token: admin })).status, 403);
  });

  it('describes every served route in its OpenAPI document', async () => {
    const doc = (await app.call('GET', '/openapi.json')).body;
    assert.equal(doc.openapi, '3.1.0');
    for (const path of ['/api/v1/health', '/api/v1/dev/token', '/api/v1/tenants/{tenantId}'])
      assert.ok(doc.paths[path], path);
    assert.deepEqual(
      doc.paths['/api/v1/tenants'].get.parameters.map((p: { name: string; in: string }) => [
        p.name,
        p.in,
      ]),
      [
        ['top', 'query'],
        ['cursor', 'query'],
      ],
    );
    assert.equal(
      doc.paths['/api/v1/dev/clock'],
      undefined,
      'the clock route is not served with the system clock',
    );
    assert.deepEqual(
      doc.paths['/api/v1/tenants/{tenantId}'].put.requestBody.content['application/json'].schema
        .properties.state.enum,
      ['Active', 'Trial', 'Suspended', 'Expired', 'Canceled', 'Lab'],
    );
  });

  it('has no manual clock route when the clock is the system clock', async () => {
    assert.equal((await app.call('POST', '/dev/clock', { body: { advanceMs: 1000 } })).status, 404);
  });
});

describe('API with CLOCK=manual', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ CLOCK: 'manual' });
  });
  after(() => app.stop());

  it('moves time only when told', async () => {
    const first = await app.call('POST', '/dev/clock', { body: { advanceMs: 0 } });
    const second = await app.call('POST', '/dev/clock', { body: { advanceMs: 90_000 } });
    assert.equal(Date.parse(second.body.now) - Date.parse(first.body.now), 90_000);
    assert.equal((await app.call('POST', '/dev/clock', { body: { advanceMs: -5 } })).status, 400);
  });
});

describe('API outside dev mode (an Entra app is configured)', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({
      AAD_APP_CLIENT_ID: '5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b',
      BOT_ID: '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
      BOT_PASSWORD: 'not-a-real-secret',
      BOT_TENANT_ID: '0d3e0000-0000-4000-8000-000000000001',
    });
  });
  after(() => app.stop());

  it('serves no dev token route', async () => {
    const reply = await app.call('POST', '/dev/token', { body: { system: true } });
    assert.equal(reply.status, 404);
  });

  it('serves no dev clock route', async () => {
    assert.equal((await app.call('POST', '/dev/clock', { body: { advanceMs: 1 } })).status, 404);
  });

  it('still refuses requests without a token', async () => {
    assert.equal((await app.call('GET', '/tenants/any')).status, 401);
  });
});

describe('bot endpoint with a bot registration (BOT_ID set)', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({
      BOT_ID: '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
      BOT_PASSWORD: 'not-a-real-secret',
      BOT_TENANT_ID: '0d3e0000-0000-4000-8000-000000000001',
    });
  });
  after(() => app.stop());

  it('refuses an activity without Bot Framework authentication', async () => {
    const response = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        text: 'hi',
        channelId: 'msteams',
        serviceUrl: 'http://127.0.0.1:1/',
        from: { id: 'u' },
        conversation: { id: 'c' },
        recipient: { id: 'b' },
      }),
    });
    assert.equal(response.status, 401);
  });
});
