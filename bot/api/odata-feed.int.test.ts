import { strict as assert } from 'node:assert';
import { XMLParser } from 'fast-xml-parser';
// Its package.json names its main file wrongly (`/index.js`): the file, by its name.
import { ODataQuery } from 'ts-odata-client/index.js';
import { DEMO } from '../../core/app/demo-tenant.js';
import { asTenantId } from '../../core/domain/ids.js';
import { createStores } from '../../core/store/stores.js';
import { startTestApp, type TestApp } from '../../test/app-harness.js';
import { testStorage } from '../../test/azurite-fixture.js';
import { PEOPLE } from '../../test/demo-people.js';

const T = DEMO.tenant.id;
const { ALEX, NESTOR, MEGAN, ADELE } = PEOPLE;
const HELPDESK = 'svc-it-helpdesk'; // ou-support: Megan (owner), Adele, Isaiah
const VIP = 'svc-vip-sales'; // ou-sales
const PARTNERS = '7a1e0000-0000-4000-8000-00000000fa11';
const PAGE = 3;

type Row = Record<string, unknown>;

/**
 * The reporting feed (issue #21): OData v4 read the way Power BI reads it, with a tenant's
 * reporting key or an Entra token, paged by @odata.nextLink, with the tenant's privacy
 * settings applied.
 */
describe('the reporting feed (OData v4)', function () {
  let app: TestApp;
  const feed = () => `${app.url}/api/v1/reporting/odata`;
  const call = async (who: string, method: string, path: string, body?: unknown) =>
    app.call(method, path, { token: await app.token({ tenantId: T, userId: who }), body });
  const system = async (method: string, path: string, body?: unknown) =>
    app.call(method, path, { token: await app.token({ system: true }), body });
  const settings = async (patch: unknown) => {
    const set = await system('PATCH', `/tenants/${T}/settings`, patch);
    assert.equal(set.status, 200, JSON.stringify(set.body));
  };
  const advance = (ms: number) => app.call('POST', '/dev/clock', { body: { advanceMs: ms } });
  const newTask = async (subject: string, externalId: string, service = HELPDESK) => {
    const created = await call(ALEX, 'POST', `/tenants/${T}/services/${service}/tasks`, {
      modality: service === HELPDESK ? 'Call' : 'Im',
      subject,
      externalId,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return created.body.taskId as string;
  };
  const newKey = async () => {
    const made = await call(ALEX, 'POST', `/tenants/${T}/reporting-key`);
    assert.equal(made.status, 201, JSON.stringify(made.body));
    return made.body.key as string;
  };
  /** Every row of an entity set through the OData client, following each nextLink. */
  const readAll = async (set: string, headers: Record<string, string>) => {
    const rows: Row[] = [];
    const query = ODataQuery.forV4<Row>(`${feed()}/${set}`, {
      requestInit: () => ({ headers }),
    });
    for await (const row of query) rows.push(row);
    return rows;
  };
  /** A GET of the feed as Power BI sends it: the key as `api-key` on every URL. */
  const get = async (url: string, key?: string) => {
    const u = new URL(url.startsWith('http') ? url : `${feed()}${url}`);
    if (key) u.searchParams.set('api-key', key);
    const response = await fetch(u);
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      text,
      body: response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined,
    };
  };

  before(async () => {
    app = await startTestApp({ SEED: 'demo', CLOCK: 'manual', REPORTING_PAGE_SIZE: String(PAGE) });
    await settings({ dataPrivacy: { persistUserStates: true } });
    // Seven tasks: five answered and completed, one abandoned, one waiting.
    for (let i = 1; i <= 5; i++) {
      const t = await newTask(`printer ${i} for Jane Doe`, `+4179000000${i}`);
      await advance(2_000 * i);
      const [ringing] = (await call(ALEX, 'GET', `/tasks/${t}`)).body.offeredTo as string[];
      assert.equal((await call(ringing!, 'POST', `/tasks/${t}/accept`)).status, 200);
      await advance(60_000);
      assert.equal((await call(ringing!, 'POST', `/tasks/${t}/complete`)).status, 200);
    }
    const abandoned = await newTask('gave up', '+41790000006');
    await advance(5_000);
    assert.equal((await call(MEGAN, 'POST', `/tasks/${abandoned}/cancel`)).status, 200);
    await newTask('chat', 'chat-7', VIP);
  });
  after(() => app.stop());

  it('is read whole by an OData client with a reporting key, every entity set paged', async () => {
    const key = await newKey();
    const headers = { 'api-key': key };
    const stores = createStores(testStorage(app.prefix));
    const history = await stores.history.all(
      asTenantId(T),
      await stores.routingShards(asTenantId(T)),
    );
    const states = await stores.userStates.all(asTenantId(T));

    const tasks = await readAll('Tasks', headers);
    assert.equal(tasks.length, 7);
    assert.equal(new Set(tasks.map((t) => t.TaskId)).size, 7, 'no task twice');
    const events = await readAll('TaskEvents', headers);
    const expected = history.reduce(
      (n, r) => n + (r.step.kind === 'offered' ? r.step.to.length : 1),
      0,
    );
    assert.equal(events.length, expected, 'one event per step, one per person offered');
    assert.ok(events.length > PAGE * 3, `${events.length} events over several pages`);
    assert.equal(new Set(events.map((e) => e.EventId)).size, events.length);
    const userStates = await readAll('UserStates', headers);
    assert.equal(userStates.length, states.length);
    assert.ok(userStates.length > PAGE, 'people’s states over several pages');
    assert.deepEqual((await readAll('Services', headers)).map((s) => s.ServiceId).sort(), [
      HELPDESK,
      VIP,
    ]);
    assert.equal((await readAll('People', headers)).length, DEMO.users.length);

    const completed = tasks.filter((t) => t.Outcome === 'Completed');
    assert.equal(completed.length, 5);
    assert.deepEqual(
      completed.map((t) => t.WaitMs).sort(),
      [2_000, 4_000, 6_000, 8_000, 10_000].sort(),
    );
    assert.ok(completed.every((t) => t.HandleMs === 60_000 && t.AcceptedBy !== null));
    assert.equal(tasks.filter((t) => t.Outcome === 'Abandoned').length, 1);
    assert.equal(tasks.filter((t) => t.Outcome === 'Waiting').length, 1);
  });

  it('pages as Power BI does (the key on each URL), and a link never carries the key', async () => {
    const key = await newKey();
    let url: string | undefined = '/TaskEvents?$select=EventId,Kind';
    const seen: unknown[] = [];
    let pages = 0;
    while (url) {
      const page = await get(url, key);
      assert.equal(page.status, 200, page.text);
      assert.equal(page.headers.get('odata-version'), '4.0');
      assert.ok(page.body.value.length <= PAGE);
      seen.push(...page.body.value.map((r: Row) => r.EventId));
      assert.deepEqual(Object.keys(page.body.value[0]).sort(), ['EventId', 'Kind']);
      url = page.body['@odata.nextLink'];
      if (url) assert.ok(!url.includes('api-key') && !url.includes(key.slice(-10)), url);
      pages++;
    }
    assert.ok(pages > 3);
    assert.equal(new Set(seen).size, seen.length, 'no event twice across pages');
  });

  it('serves the service document and $metadata (CSDL) describing every set', async () => {
    const key = await newKey();
    const doc = await get('/', key);
    assert.equal(doc.status, 200, doc.text);
    assert.deepEqual(
      doc.body.value.map((s: Row) => s.name),
      ['Tasks', 'TaskEvents', 'UserStates', 'Services', 'People'],
    );
    const metadata = await get('/$metadata', key);
    assert.equal(metadata.status, 200, metadata.text);
    assert.match(metadata.headers.get('content-type') ?? '', /application\/xml/);
    const xml = new XMLParser({ ignoreAttributes: false }).parse(metadata.text);
    const schema = xml['edmx:Edmx']['edmx:DataServices'].Schema;
    const types = schema.EntityType.map((t: Row) => t['@_Name']);
    assert.deepEqual(types, ['Task', 'TaskEvent', 'UserState', 'Service', 'Person']);
    const sets = schema.EntityContainer.EntitySet.map((s: Row) => s['@_Name']);
    assert.deepEqual(sets, ['Tasks', 'TaskEvents', 'UserStates', 'Services', 'People']);
  });

  it('filters by date, service, modality and outcome; selects, orders, counts and skips', async () => {
    const key = await newKey();
    const q = async (query: string) => {
      const page = await get(`/Tasks?${query}`, key);
      assert.equal(page.status, 200, page.text);
      return page.body;
    };
    const all = await q('$count=true&$top=0');
    assert.equal(all['@odata.count'], 7);
    assert.equal(all.value.length, 0);
    assert.equal((await q(`$filter=ServiceId eq '${VIP}'&$count=true`))['@odata.count'], 1);
    assert.equal((await q(`$filter=Modality eq 'Im'&$count=true`))['@odata.count'], 1);
    assert.equal(
      (await q(`$filter=Outcome in ('Abandoned','Waiting')&$count=true`))['@odata.count'],
      2,
    );
    const sorted = await q('$orderby=EnqueuedAt desc&$select=TaskId,EnqueuedAt&$top=2');
    assert.equal(sorted.value.length, 2);
    assert.ok(sorted.value[0].EnqueuedAt > sorted.value[1].EnqueuedAt);
    assert.equal(sorted['@odata.nextLink'], undefined, '$top=2 ends within one page');
    const firstAt = (await q('$orderby=EnqueuedAt&$top=1')).value[0].EnqueuedAt;
    const later = await q(`$filter=EnqueuedAt gt ${firstAt}&$count=true&$top=0`);
    assert.equal(later['@odata.count'], 6, 'DateTimeOffset literals compare as times');
    // Power Query folds a date step into a function call.
    const thisCentury = await q(
      '$filter=year(EnqueuedAt) ge 2000 and length(TaskId) gt 0&$count=true&$top=0',
    );
    assert.equal(thisCentury['@odata.count'], 7);
    const skipped = await q('$orderby=EnqueuedAt&$skip=5');
    assert.equal(skipped.value.length, 2);
    const count = await get(`/Tasks/$count?$filter=Outcome eq 'Completed'`, key);
    assert.equal(count.text, '5');
  });

  it('refuses a query it cannot answer with a clear 400, never a 5xx', async () => {
    const key = await newKey();
    for (const [query, option] of [
      ['$filter=Nope eq 1', '$filter'],
      ["$filter=WaitMs eq 'x'", '$filter'],
      ['$filter=(Outcome eq ', '$filter'],
      ['$orderby=Subject sideways', '$orderby'],
      ['$top=-1', '$top'],
      ['$expand=Events', '$expand'],
      ['$skiptoken=garbage', '$skiptoken'],
      ['$format=atom', '$format'],
    ]) {
      const page = await get(`/Tasks?${query}`, key);
      assert.equal(page.status, 400, `${query}: ${page.text}`);
      assert.equal(page.body.error.code, 'validation_failed');
      assert.equal(page.body.error.details[0].field, option, query);
    }
    assert.equal((await get('/Nothing', key)).status, 404);
  });

  it('asks for credentials, and refuses a revoked or replaced key', async () => {
    const none = await get('/Tasks');
    assert.equal(none.status, 401);
    assert.match(none.headers.get('www-authenticate') ?? '', /^Bearer authorization_uri=/);
    const first = await newKey();
    const status = await call(ALEX, 'GET', `/tenants/${T}/reporting-key`);
    assert.equal(status.body.exists, true);
    assert.equal(status.body.hint, first.slice(-4));
    assert.ok(!JSON.stringify(status.body).includes(first), 'the key is shown once only');
    const second = await newKey();
    assert.equal((await get('/Tasks', first)).status, 401, 'the replaced key');
    assert.equal((await get('/Tasks', second)).status, 200);
    assert.equal((await call(ALEX, 'DELETE', `/tenants/${T}/reporting-key`)).status, 200);
    const revoked = await get('/Tasks', second);
    assert.equal(revoked.status, 401);
    assert.match(revoked.body.error.message, /revoked/);
    assert.equal((await get('/Tasks', `rk~${T}~guess`)).status, 401);
    // A suspended tenant's key says why the feed answers nothing.
    const third = await newKey();
    const state = (s: string) =>
      system('PUT', `/tenants/${T}`, { name: DEMO.tenant.name, state: s });
    assert.equal((await state('Suspended')).status, 200);
    const suspended = await get('/Tasks', third);
    assert.equal(suspended.status, 409, suspended.text);
    assert.equal(suspended.body.error.code, 'tenant_inactive');
    assert.equal((await state('Active')).status, 200);
    assert.equal((await get('/Tasks', third)).status, 200);
    assert.equal((await get('/Tasks', 'rk~no/such~x')).status, 401);
    // Only tenant admins manage the key.
    assert.equal((await call(NESTOR, 'POST', `/tenants/${T}/reporting-key`)).status, 403);
    assert.equal((await call(MEGAN, 'GET', `/tenants/${T}/reporting-key`)).status, 403);
  });

  describe('with an Entra token', () => {
    const read = async (set: string, token: string) =>
      readAll(set, { authorization: `Bearer ${token}` });

    it('tenant admins read everything; OU admins their units; others nothing', async () => {
      const alex = await app.token({ tenantId: T, userId: ALEX });
      assert.equal((await read('Tasks', alex)).length, 7);
      const nestor = await app.token({ tenantId: T, userId: NESTOR });
      const his = await read('Tasks', nestor);
      assert.equal(his.length, 6, 'the helpdesk’s tasks, not VIP Sales’');
      assert.ok(his.every((t) => t.ServiceId === HELPDESK));
      assert.deepEqual(
        (await read('Services', nestor)).map((s) => s.ServiceId),
        [HELPDESK],
      );
      const people = (await read('People', nestor)).map((p) => p.DisplayName).sort();
      assert.deepEqual(people, ['Adele Vance', 'Isaiah Langer', 'Megan Bowen', 'Nestor Wilke']);
      const megan = await app.token({ tenantId: T, userId: MEGAN });
      const refused = await fetch(`${feed()}/Tasks`, {
        headers: { authorization: `Bearer ${megan}` },
      });
      assert.equal(refused.status, 403);
    });

    it('masks people and customers for a partner’s admins unless the tenant allows them', async () => {
      await settings({ general: { partnerAdminGroupId: PARTNERS } });
      const partner = await app.token({
        tenantId: T,
        userId: '7a1e0000-0000-4000-8000-0000000000f1',
        groups: [PARTNERS],
      });
      const people = await read('People', partner);
      assert.ok(people.every((p) => p.DisplayName === '*****'));
      assert.ok(people.every((p) => String(p.UserId).startsWith('*****-')));
      assert.equal(
        new Set(people.map((p) => p.UserId)).size,
        people.length,
        'still one per person',
      );
      const tasks = await read('Tasks', partner);
      assert.ok(tasks.every((t) => t.CustomerId === '*****' && t.Subject === null));
      const accepted = tasks.filter((t) => t.AcceptedBy !== null);
      assert.ok(accepted.every((t) => String(t.AcceptedBy).startsWith('*****-')));
      assert.ok(!JSON.stringify(await read('UserStates', partner)).includes(MEGAN));
      assert.ok(!JSON.stringify(await read('TaskEvents', partner)).includes(ADELE));

      await settings({
        dataPrivacy: { partnerSeesUserIdentifiers: true, partnerSeesCustomerIdentifiers: true },
      });
      const clear = await read('People', partner);
      assert.ok(clear.some((p) => p.DisplayName === 'Megan Bowen'));
      const pseudonymous = await read('Tasks', partner);
      assert.ok(pseudonymous.every((t) => String(t.CustomerId).startsWith('c-')));
      await settings({
        dataPrivacy: { partnerSeesUserIdentifiers: false, partnerSeesCustomerIdentifiers: false },
      });
    });
  });

  describe('data privacy settings', () => {
    it('pseudonymizes customers without “share PII”, and shows them with it', async () => {
      const key = await newKey();
      const off = await readAll('Tasks', { 'api-key': key });
      const ids = off.map((t) => t.CustomerId);
      assert.ok(
        ids.every((id) => /^c-[0-9a-f]{16}$/.test(String(id))),
        String(ids),
      );
      assert.equal(new Set(ids).size, 7, 'one pseudonym per customer');
      assert.ok(
        off.every((t) => t.Subject === null),
        'free text may name the customer',
      );
      assert.deepEqual(
        (await readAll('Tasks', { 'api-key': key })).map((t) => t.CustomerId),
        ids,
        'the same pseudonyms each time, so reports join',
      );
      await settings({ dataPrivacy: { sharePii: true } });
      const on = await readAll('Tasks', { 'api-key': key });
      assert.ok(on.some((t) => t.CustomerId === '+41790000001'));
      assert.ok(on.some((t) => t.Subject === 'printer 1 for Jane Doe'));
      await settings({ dataPrivacy: { sharePii: false } });
    });

    it('shows how long each state lasted only with “show time in state”', async () => {
      const key = await newKey();
      await settings({ dataPrivacy: { showTimeInState: false } });
      const hidden = await readAll('UserStates', { 'api-key': key });
      assert.ok(hidden.every((s) => s.DurationMs === null));
      await settings({ dataPrivacy: { showTimeInState: true } });
      const shown = await readAll('UserStates', { 'api-key': key });
      const lasted = shown.filter((s) => s.DurationMs !== null);
      assert.ok(lasted.length > 0);
      assert.ok(lasted.every((s) => s.Kind === 'State' && Number(s.DurationMs) >= 0));
      // Megan rang 2 s into the first task: her state before it lasted until then.
      assert.ok(lasted.some((s) => s.UserId === MEGAN && s.DurationMs === 60_000));
    });

    it('keeps no people’s states while “persist user states” is off', async () => {
      const fresh = await startTestApp({ SEED: 'demo', CLOCK: 'manual' });
      try {
        const made = await fresh.call('POST', `/tenants/${T}/reporting-key`, {
          token: await fresh.token({ tenantId: T, userId: ALEX }),
        });
        const t = await fresh.call('POST', `/tenants/${T}/services/${HELPDESK}/tasks`, {
          token: await fresh.token({ tenantId: T, userId: MEGAN }),
          body: { modality: 'Call', subject: 'x' },
        });
        assert.equal(t.status, 201);
        const states = await fetch(`${fresh.url}/api/v1/reporting/odata/UserStates`, {
          headers: { 'api-key': made.body.key },
        });
        assert.equal(states.status, 200);
        assert.deepEqual(((await states.json()) as { value: unknown[] }).value, []);
      } finally {
        await fresh.stop();
      }
    });
  });
});
