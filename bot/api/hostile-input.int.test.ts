import { strict as assert } from 'node:assert';
import { DEMO } from '../../core/app/demo-tenant.js';
import { startTestApp, type TestApp } from '../../test/app-harness.js';
import { PEOPLE } from '../../test/demo-people.js';

const T = DEMO.tenant.id;
const { ALEX, MEGAN, ADELE } = PEOPLE;
const HELPDESK = 'svc-it-helpdesk';
const OTHER = 'fabrikam';

/** An answer in the API's error shape: a code and a sentence, and nothing from inside. */
function assertErrorShape(body: any, code?: string) {
  assert.equal(typeof body?.error?.code, 'string', JSON.stringify(body));
  assert.equal(typeof body.error.message, 'string');
  if (code) assert.equal(body.error.code, code, JSON.stringify(body));
  assert.doesNotMatch(JSON.stringify(body), /node_modules|\.ts:\d|at \w+ \(|TypeError|\/work\//);
}

describe('hostile input at the edge (dev mode)', () => {
  let app: TestApp;
  let otherService: string;
  const as = (userId: string, tenantId: string = T) => app.token({ tenantId, userId });

  before(async () => {
    app = await startTestApp({ SEED: 'demo' });
    const system = await app.token({ system: true });
    const put = async (path: string, body: unknown) => {
      const r = await app.call('PUT', path, { token: system, body });
      assert.ok(r.status < 300, `${path}: ${JSON.stringify(r.body)}`);
    };
    await put(`/tenants/${OTHER}`, { name: 'Fabrikam', state: 'Active' });
    await put(`/tenants/${OTHER}/contingency`, { AdvancedRouting: 1 });
    await put(`/tenants/${OTHER}/ous/ou-root`, { name: 'Fabrikam', parentId: null });
    await put(`/tenants/${OTHER}/users/boss`, {
      displayName: 'Boss',
      ouId: 'ou-root',
      roles: ['TenantAdmin'],
    });
    const created = await app.call('POST', `/tenants/${OTHER}/services`, {
      token: system,
      body: { name: 'Fabrikam desk', assignmentType: 'None', ouId: 'ou-root' },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    otherService = created.body.serviceId ?? created.body.id;
  });
  after(() => app.stop());

  describe('task ids follow one rule on every task route', () => {
    const bad = [
      `${T}.a%2Fb`,
      `${T}.a%5Cb`,
      `${T}.a%23b`,
      `${T}.`,
      'no-dot',
      `.x`,
      `${T}.${'x'.repeat(300)}`,
    ];
    const routes: [string, string][] = [
      ['GET', ''],
      ['POST', '/accept'],
      ['POST', '/decline'],
      ['POST', '/complete'],
      ['POST', '/cancel'],
    ];
    for (const id of bad)
      for (const [method, suffix] of routes)
        it(`${method} /tasks/${id.slice(0, 60)}${suffix}: 400, in words`, async () => {
          const reply = await app.call(method, `/tasks/${id}${suffix}`, {
            token: await as(MEGAN),
          });
          assert.equal(reply.status, 400, JSON.stringify(reply.body));
          assertErrorShape(reply.body, 'validation_failed');
        });
  });

  describe("another tenant's data is 403 everywhere", () => {
    it('a task of another tenant, by its id', async () => {
      const created = await app.call('POST', `/tenants/${T}/services/${HELPDESK}/tasks`, {
        token: await as(MEGAN),
        body: { modality: 'Email', subject: 'Printer' },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const outsider = await as('boss', OTHER);
      for (const [method, suffix] of [
        ['GET', ''],
        ['POST', '/accept'],
        ['POST', '/decline'],
        ['POST', '/complete'],
        ['POST', '/cancel'],
      ] as const) {
        const reply = await app.call(method, `/tasks/${created.body.taskId}${suffix}`, {
          token: outsider,
        });
        assert.equal(reply.status, 403, `${method} ${suffix}: ${JSON.stringify(reply.body)}`);
        assertErrorShape(reply.body, 'forbidden');
        assert.match(reply.body.error.message, /another tenant/);
      }
      const still = await app.call('GET', `/tasks/${created.body.taskId}`, {
        token: await as(ALEX),
      });
      assert.notEqual(still.body.state, 'Canceled');
    });

    it("switching oneself Active in another tenant's service", async () => {
      const reply = await app.call('PUT', `/me/services/${otherService}/active`, {
        token: await as(ADELE),
        body: { active: true },
      });
      assert.equal(reply.status, 403, JSON.stringify(reply.body));
      assert.match(reply.body.error.message, /another tenant/);
      const theirs = await app.call('PUT', `/me/services/${HELPDESK}/active`, {
        token: await as('boss', OTHER),
        body: { active: true },
      });
      assert.equal(theirs.status, 403, JSON.stringify(theirs.body));
    });

    it('a service that exists nowhere is still 404', async () => {
      const reply = await app.call('PUT', '/me/services/no-such-service/active', {
        token: await as(ADELE),
        body: { active: true },
      });
      assert.equal(reply.status, 404, JSON.stringify(reply.body));
    });
  });

  describe('dev mode answers this machine only', () => {
    for (const header of ['x-forwarded-for', 'forwarded', 'x-forwarded-host'])
      it(`refuses a request a tunnel forwarded (${header}), token minting included`, async () => {
        const response = await fetch(`${app.url}/api/v1/dev/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [header]: '203.0.113.9' },
          body: JSON.stringify({ system: true }),
        });
        assert.equal(response.status, 403);
        const body = (await response.json()) as { error: { code: string }; token?: string };
        assertErrorShape(body, 'forbidden');
        assert.equal(body.token, undefined);
      });
  });
});

describe('inbound rate limits', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({
      SEED: 'demo',
      RATE_LIMIT_USER_PER_MIN: '5',
      RATE_LIMIT_TENANT_PER_MIN: '8',
    });
  });
  after(() => app.stop());

  it('per person: 429 with Retry-After in the API shape; others go on', async () => {
    const adele = await app.token({ tenantId: T, userId: ADELE });
    const statuses: number[] = [];
    let refused: Response | undefined;
    for (let i = 0; i < 6; i++) {
      const response = await fetch(`${app.url}/api/v1/me/services`, {
        headers: { authorization: `Bearer ${adele}` },
      });
      statuses.push(response.status);
      if (response.status === 429) refused = response;
      else await response.text();
    }
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429]);
    assert.ok(refused);
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 12, `Retry-After ${retryAfter}`);
    const body = (await refused.json()) as { error: { details: { retryAfterSec: number } } };
    assertErrorShape(body, 'rate_limited');
    assert.equal(body.error.details.retryAfterSec, retryAfter);
    const megan = await app.token({ tenantId: T, userId: MEGAN });
    assert.equal((await app.call('GET', '/me/services', { token: megan })).status, 200);
  });

  it("per tenant: everyone of the tenant shares its limit; the operator isn't limited", async () => {
    // Adele used 5 of the tenant's 8 (and Megan 1) in the test before.
    const alex = await app.token({ tenantId: T, userId: ALEX });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await app.call('GET', '/me/services', { token: alex })).status);
    assert.deepEqual(statuses, [200, 200, 429]);
    const system = await app.token({ system: true });
    assert.equal((await app.call('GET', `/tenants/${T}`, { token: system })).status, 200);
  });
});
