import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { DEMO } from '../../core/app/demo-tenant.js';
import { startTestApp, type TestApp } from '../../test/app-harness.js';
import { PEOPLE } from '../../test/demo-people.js';
import { startEntraStandIn, type EntraStandIn } from '../../test/entra-standin.js';
import { snapshotTable } from '../../test/table-snapshot.js';

const T = DEMO.tenant.id;
const { ALEX, ADELE } = PEOPLE;
const CLIENT_ID = '5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b';
const BOT_ID = '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const OPERATOR = '0f0f0000-0000-4000-8000-00000000000f';
const TEAMS = 'https://smba.trafficmanager.net/amer/';

/** What no answer may ever show: a stack, a file, a type error, botbuilder's own words. */
const INTERNAL =
  /node_modules|\.ts:\d|\.js:\d|at \w+ \(|TypeError|ReferenceError|\/work\/|Unauthorized Access|req\.body/;

function assertSafeError(status: number, text: string, what: string) {
  assert.ok(status < 500, `${what} answered ${status}: ${text}`);
  assert.doesNotMatch(text, INTERNAL, what);
  if (status < 400) return;
  const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
  assert.equal(typeof body.error?.code, 'string', `${what}: ${text}`);
  assert.equal(typeof body.error?.message, 'string', `${what}: ${text}`);
}

const HOSTILE_IDS = [
  'a%2Fb',
  '..',
  '%2E%2E',
  '%00',
  '%',
  '%25',
  "'",
  "x' or PartitionKey ne '",
  'x'.repeat(300),
  '%E2%80%AE',
  '%3Cscript%3E',
  '-',
  `${T}.a%2Fb`,
  `${T}.`,
];

describe('outside dev mode: a fuzz of every route and of the bot endpoint', function () {
  // About 15 s: every route times every hostile value, each answer read and checked, and
  // storage compared before and after.
  this.timeout(120_000);
  let entra: EntraStandIn;
  let app: TestApp;
  const tenancy = () => snapshotTable(app.prefix, 'Tenancy', T);
  const links = () => snapshotTable(app.prefix, 'TeamsLinks', T);

  before(async () => {
    entra = await startEntraStandIn();
    app = await startTestApp({
      SEED: 'demo',
      HOST: '127.0.0.1',
      AAD_APP_CLIENT_ID: CLIENT_ID,
      ENTRA_AUTHORITY_HOST: entra.authority,
      SYSTEM_TENANT_ID: OPERATOR,
      BOT_ID,
      BOT_PASSWORD: 'not-a-real-secret',
      BOT_TENANT_ID: T,
      BOT_OPENID_METADATA_URL: entra.botMetadataUrl,
      RATE_LIMIT_USER_PER_MIN: '1000000',
      RATE_LIMIT_TENANT_PER_MIN: '1000000',
    });
  });
  after(async () => {
    await app.stop();
    await entra.stop();
  });

  it('is outside dev mode: no dev routes, Entra tokens accepted, dev tokens not', async () => {
    const health = await app.call('GET', '/health');
    assert.equal(health.body.devMode, false);
    assert.equal((await app.call('POST', '/dev/token', { body: { system: true } })).status, 404);
    const admin = await entra.userToken({ tenantId: T, userId: ALEX, audience: CLIENT_ID });
    assert.equal((await app.call('GET', `/tenants/${T}`, { token: admin })).status, 200);
  });

  it('every route: no 5xx, every error in the documented shape, nothing changed by a refusal', async () => {
    const tokens = {
      none: undefined,
      garbage: 'not.a.token',
      expired: await entra.userToken({
        tenantId: T,
        userId: ALEX,
        audience: CLIENT_ID,
        expiresInSec: -3600,
      }),
      wrongAudience: await entra.userToken({
        tenantId: T,
        userId: ALEX,
        audience: 'api://someone-else',
      }),
      foreignKey: await entra.foreignToken({ tenantId: T, userId: ALEX, audience: CLIENT_ID }),
      unsigned: `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ tid: T, oid: ALEX, aud: CLIENT_ID, iss: `${entra.authority}/${T}/v2.0`, exp: 9_999_999_999 })).toString('base64url')}.`,
      admin: await entra.userToken({ tenantId: T, userId: ALEX, audience: CLIENT_ID }),
      member: await entra.userToken({ tenantId: T, userId: ADELE, audience: CLIENT_ID }),
      outsider: await entra.userToken({
        tenantId: 'fabrikam',
        userId: 'boss',
        audience: CLIENT_ID,
      }),
      fakeOperator: await entra.userToken({
        tenantId: T,
        userId: 'x',
        audience: CLIENT_ID,
        roles: ['System.Operator'],
      }),
      system: await entra.userToken({
        tenantId: OPERATOR,
        userId: 'operator-app',
        audience: CLIENT_ID,
        roles: ['System.Operator'],
      }),
    };
    const task = await app.call('POST', `/tenants/${T}/services/svc-it-helpdesk/tasks`, {
      token: tokens.admin,
      body: { modality: 'Email', subject: 'Fuzz' },
    });
    assert.equal(task.status, 201, JSON.stringify(task.body));
    const valid: Record<string, string> = {
      tenantId: T,
      serviceId: 'svc-it-helpdesk',
      userId: ADELE,
      ouId: 'ou-sales',
      taskId: task.body.taskId,
    };
    const doc = (await app.call('GET', '/openapi.json')).body;
    const operations = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, methods]) => Object.keys(methods).map((m) => [m.toUpperCase(), path] as const),
    );
    assert.ok(operations.length > 30, `only ${operations.length} operations described`);
    const specialBodies = [
      '{}',
      '{"a":',
      '',
      '[]',
      'null',
      '{"__proto__":{"admin":true}}',
      '{"constructor":{"prototype":{"x":1}}}',
      `${'['.repeat(5000)}${']'.repeat(5000)}`,
      JSON.stringify({ name: 'x'.repeat(100_000) }),
      '{"general":{"name":"Pwned"}}',
      '{"active":"yes"}',
      '{"presence":"Available","extra":1}',
    ];
    type Token = keyof typeof tokens;
    interface Request {
      readonly token: Token;
      readonly id: string | null;
      readonly body: string;
      readonly contentType: string;
    }
    const random = fc.record({
      token: fc.constantFrom(...(Object.keys(tokens) as Token[])),
      id: fc.oneof(
        fc.constantFrom(...HOSTILE_IDS),
        fc.constant(null),
        fc.string({ maxLength: 20 }),
      ),
      body: fc.oneof(
        fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
        fc.constantFrom(...specialBodies),
      ),
      contentType: fc.constantFrom(
        'application/json',
        'text/plain',
        'application/json; charset=utf-8',
      ),
    });
    // Every hostile id in every path, every hostile body on every route, as someone who may
    // act (so the request gets past authentication), then random mixes of all of it.
    const admin: Token = 'admin';
    const requestsFor = (path: string): Request[] => [
      ...(path.includes('{')
        ? HOSTILE_IDS.map((id) => ({
            token: admin,
            id,
            body: '{}',
            contentType: 'application/json',
          }))
        : []),
      ...specialBodies.map((body) => ({
        token: admin,
        id: null,
        body,
        contentType: 'application/json',
      })),
      ...fc.sample(random, { numRuns: 10, seed: 7 }),
    ];
    let before = await tenancy();
    let refused = 0;
    for (const [method, path] of operations) {
      for (const r of requestsFor(path)) {
        const url = path.replace(/\{(\w+)\}/g, (_, name: string) =>
          r.id === null ? (valid[name] ?? 'x') : encodeURI(r.id).replace(/%25/g, '%'),
        );
        const headers: Record<string, string> = { 'content-type': r.contentType };
        const token = tokens[r.token];
        if (token) headers.authorization = `Bearer ${token}`;
        const what = `${method} ${url.slice(0, 120)} as ${r.token} with ${r.body.slice(0, 60)}`;
        const response = await fetch(`${app.url}${url}`, {
          method,
          headers,
          ...(method !== 'GET' && { body: r.body }),
        });
        if (response.headers.get('content-type')?.includes('text/event-stream')) {
          // A live view that was let in: it streams until closed.
          await response.body?.cancel();
          continue;
        }
        const text = await response.text();
        assertSafeError(response.status, text, what);
        const after = await tenancy();
        if (response.status >= 400) {
          refused++;
          assert.deepEqual(
            after,
            before,
            `${what} was refused (${response.status}) but changed the tenant`,
          );
        }
        before = after;
      }
    }
    assert.ok(
      refused > operations.length * 5,
      `only ${refused} refusals: the fuzz reached too little`,
    );
    assert.equal((await app.call('GET', '/health')).status, 200);
  });

  describe('/api/messages', () => {
    const activity = (over: Record<string, unknown> = {}) => ({
      type: 'message',
      id: 'a1',
      channelId: 'msteams',
      serviceUrl: TEAMS,
      from: { id: '29:adele', aadObjectId: ADELE, name: 'Adele' },
      recipient: { id: `28:${BOT_ID}` },
      conversation: { id: 'a:personal', tenantId: T, conversationType: 'personal' },
      text: 'my services',
      ...over,
    });
    const post = async (body: string, token?: string) => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (token) headers.authorization = `Bearer ${token}`;
      const response = await fetch(`${app.url}/api/messages`, { method: 'POST', headers, body });
      return { status: response.status, text: await response.text() };
    };
    const malformed: [string, unknown][] = [
      ['{}', {}],
      ['a null type', { ...activity(), type: null }],
      ['no conversation', { ...activity(), conversation: undefined }],
      ['a conversation of the wrong type', activity({ conversation: 7 })],
      ['no from', { ...activity(), from: undefined }],
      ['no recipient', { ...activity(), recipient: undefined }],
      ['a file: serviceUrl', activity({ serviceUrl: 'file:///etc/passwd' })],
      ['a javascript: serviceUrl', activity({ serviceUrl: 'javascript:alert(1)' })],
      ['an http serviceUrl', activity({ serviceUrl: 'http://smba.trafficmanager.net/amer/' })],
      ["an attacker's serviceUrl", activity({ serviceUrl: 'https://attacker.example/' })],
      ['a loopback serviceUrl', activity({ serviceUrl: 'http://127.0.0.1:9/' })],
      ['an array', [activity()]],
      ['a string', 'message'],
      ['null', null],
      [
        'members that are not a list',
        activity({ type: 'conversationUpdate', membersAdded: 'all' }),
      ],
    ];

    for (const [name, body] of malformed) {
      it(`refuses ${name} with 400 in the API's shape, signed or not, and stores nothing`, async () => {
        const before = [await tenancy(), await links()];
        const signed = await entra.channelToken({ botId: BOT_ID, serviceUrl: TEAMS });
        for (const token of [undefined, signed]) {
          const reply = await post(JSON.stringify(body), token);
          assert.equal(reply.status, 400, reply.text);
          assertSafeError(reply.status, reply.text, name);
        }
        assert.deepEqual([await tenancy(), await links()], before);
      });
    }

    it('refuses what is not JSON, or is random JSON, without a 5xx', async () => {
      for (const body of [
        '{"type":',
        '',
        'null',
        ...fc.sample(
          fc.jsonValue().map((v) => JSON.stringify(v)),
          { numRuns: 60, seed: 3 },
        ),
      ]) {
        const reply = await post(body);
        assert.ok([400, 401].includes(reply.status), `${body}: ${reply.status}`);
        assertSafeError(reply.status, reply.text, body);
      }
    });

    const unauthenticated: [string, () => Promise<string | undefined>][] = [
      ['no token', () => Promise.resolve(undefined)],
      [
        'a token for another bot',
        () => entra.channelToken({ botId: 'another-bot', serviceUrl: TEAMS }),
      ],
      [
        'a token for another serviceUrl',
        () =>
          entra.channelToken({
            botId: BOT_ID,
            serviceUrl: 'https://smba.trafficmanager.net/emea/',
          }),
      ],
      [
        'an Entra user token',
        () => entra.userToken({ tenantId: T, userId: ADELE, audience: BOT_ID }),
      ],
    ];
    for (const [name, token] of unauthenticated) {
      it(`refuses a well-formed activity with ${name}: 401, nothing stored`, async () => {
        const before = [await tenancy(), await links()];
        const reply = await post(JSON.stringify(activity()), await token());
        assert.equal(reply.status, 401, reply.text);
        assertSafeError(reply.status, reply.text, name);
        assert.deepEqual([await tenancy(), await links()], before);
      });
    }

    it('runs a signed activity from Teams (an unknown button answers 400 in Teams’ invoke shape)', async () => {
      const signed = await entra.channelToken({ botId: BOT_ID, serviceUrl: TEAMS });
      const reply = await post(
        JSON.stringify(
          activity({
            type: 'invoke',
            name: 'adaptiveCard/action',
            value: { action: { type: 'Action.Execute', verb: 'launchMissiles' } },
          }),
        ),
        signed,
      );
      assert.equal(reply.status, 400, reply.text);
      const body = JSON.parse(reply.text);
      assert.equal(body.statusCode, 400);
      assert.equal(body.type, 'application/vnd.microsoft.error');
      assert.equal((await app.call('GET', '/health')).status, 200);
    });
  });
});
