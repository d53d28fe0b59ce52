import { strict as assert } from 'node:assert';
import { DEMO } from '../../core/app/demo-tenant.js';
import { foldTallies } from '../../core/app/reporting/tally-folder.js';
import { asServiceId, asTaskId, asTenantId } from '../../core/domain/ids.js';
import {
  addTallies,
  historyTallies,
  NO_TALLY,
  type Tally,
} from '../../core/domain/reporting/tally.js';
import type { TaskStep } from '../../core/domain/reporting/task-kpis.js';

import { createStores } from '../../core/store/stores.js';
import { startTestApp, type TestApp } from '../../test/app-harness.js';
import { testStorage } from '../../test/azurite-fixture.js';
import { PEOPLE } from '../../test/demo-people.js';

/** What a task's kept steps add up to. */
const total = (steps: readonly TaskStep[]): Tally =>
  historyTallies(steps).reduce((sum, b) => addTallies(sum, b.tally), NO_TALLY);

const T = DEMO.tenant.id;
const { ALEX, MEGAN, ADELE } = PEOPLE;
const HELPDESK = 'svc-it-helpdesk'; // members: Megan (owner), Adele, Isaiah; all Available

/**
 * Every step of a task is kept as history, written in the step's own transaction
 * (issue #21): what happened, when, and to whom, in order.
 */
describe('task history through the API (CLOCK=manual)', () => {
  let app: TestApp;
  const call = async (who: string, method: string, path: string, body?: unknown) =>
    app.call(method, path, { token: await app.token({ tenantId: T, userId: who }), body });
  const newTask = async (subject: string) => {
    const created = await call(MEGAN, 'POST', `/tenants/${T}/services/${HELPDESK}/tasks`, {
      modality: 'Call',
      subject,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return created.body.taskId as string;
  };
  const advance = (ms: number) => app.call('POST', '/dev/clock', { body: { advanceMs: ms } });
  /** A task's steps as stored: kind, and who (or what) each concerned. */
  const history = async (taskId: string) =>
    (await createStores(testStorage(app.prefix)).history.ofTask(asTenantId(T), asTaskId(taskId)))
      .map(({ step }) => step)
      .map((step) => {
        switch (step.kind) {
          case 'created':
            return `created ${step.exit} ${step.modality}`;
          case 'offered':
            return `offered ${step.to.join(',')}`;
          case 'withdrawn':
            return `withdrawn ${step.from} ${step.cause}`;
          case 'completed':
          case 'canceled':
            return step.kind;
          case 'accepted':
          case 'declined':
          case 'missed':
          case 'acwStarted':
          case 'acwEnded':
            return `${step.kind} ${step.by}`;
        }
      });
  const stepsOf = async (taskId: string) =>
    createStores(testStorage(app.prefix)).history.ofTask(asTenantId(T), asTaskId(taskId));

  beforeEach(async () => {
    app = await startTestApp({ SEED: 'demo', CLOCK: 'manual' });
  });
  afterEach(() => app.stop());

  it('a whole lifecycle: created, offered, accepted, completed, and the ACW start and end', async () => {
    // After-call work comes with Contact Center.
    const license = await call(ALEX, 'PUT', `/tenants/${T}/services/${HELPDESK}/license`, {
      license: 'ContactCenter',
    });
    assert.equal(license.status, 200, JSON.stringify(license.body));
    const acw = await call(ALEX, 'PATCH', `/tenants/${T}/services/${HELPDESK}/settings`, {
      distribution: { acw: { enabled: true, seconds: 60 } },
    });
    assert.equal(acw.status, 200, JSON.stringify(acw.body));
    const t = await newTask('printer');
    await advance(4_000);
    await call(MEGAN, 'POST', `/tasks/${t}/accept`);
    await advance(60_000);
    await call(MEGAN, 'POST', `/tasks/${t}/complete`);
    await advance(60_000); // the ACW runs out
    assert.deepEqual(await history(t), [
      'created DirectAvailable Call',
      `offered ${MEGAN}`,
      `accepted ${MEGAN}`,
      'completed',
      `acwStarted ${MEGAN}`,
      `acwEnded ${MEGAN}`,
    ]);
    const told = total((await stepsOf(t)).map((r) => r.step));
    assert.equal(told.wait.totalMs, 4_000, 'the wait');
    assert.equal(told.handle.totalMs, 60_000, 'the handle time');
    assert.equal(told.acw.totalMs, 60_000);
  });

  it('a decline, a ring-out and a cancel while ringing', async () => {
    const t = await newTask('nobody wants it');
    await call(MEGAN, 'POST', `/tasks/${t}/decline`);
    await advance(30_000); // Adele lets it ring out
    await call(MEGAN, 'POST', `/tasks/${t}/cancel`);
    const ringing = await history(t);
    assert.deepEqual(ringing.slice(0, 5), [
      'created DirectAvailable Call',
      `offered ${MEGAN}`,
      `declined ${MEGAN}`,
      `offered ${ADELE}`,
      `missed ${ADELE}`,
    ]);
    // Then Isaiah was rung, and the cancel withdrew it from him.
    assert.deepEqual(ringing.slice(5), [
      `offered ${PEOPLE.ISAIAH}`,
      `withdrawn ${PEOPLE.ISAIAH} ended`,
      'canceled',
    ]);
    const told = total((await stepsOf(t)).map((r) => r.step));
    assert.equal(told.abandoned, 1, 'abandoned: canceled before anyone accepted');
    assert.equal(told.missed, 1);
    assert.deepEqual(Object.keys(told.people), [ADELE]);
  });

  it('the service level threshold: 20 s until set, 1 to 3600, kept when a patch leaves it out', async () => {
    const path = `/tenants/${T}/services/${HELPDESK}`;
    const patch = (distribution: object) =>
      call(ALEX, 'PATCH', `${path}/settings`, { distribution });
    const stored = async () =>
      (await call(ALEX, 'GET', path)).body.settings.distribution.serviceLevelSec;
    assert.equal(await stored(), 20);
    assert.equal((await patch({ serviceLevelSec: 45 })).status, 200);
    const refused = await patch({ serviceLevelSec: 0 });
    assert.equal(refused.status, 400, JSON.stringify(refused.body));
    assert.equal(refused.body.error.details[0].field, 'distribution.serviceLevelSec');
    assert.equal((await patch({ callingTimeoutSec: 40 })).status, 200);
    assert.equal(await stored(), 45);
  });

  it('the tenant’s time zone: UTC until set, a known zone or a clear refusal', async () => {
    const path = `/tenants/${T}/settings`;
    const zone = async () => (await call(ALEX, 'GET', path)).body.general.timeZone;
    assert.equal(await zone(), 'UTC');
    const refused = await call(ALEX, 'PATCH', path, { general: { timeZone: 'Mars/Base' } });
    assert.equal(refused.status, 400, JSON.stringify(refused.body));
    assert.equal(refused.body.error.details[0].field, 'general.timeZone');
    assert.equal(await zone(), 'UTC', 'the refusal changed nothing');
    const set = await call(ALEX, 'PATCH', path, { general: { timeZone: 'Europe/Zurich' } });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    await call(ALEX, 'PATCH', path, { general: { companyName: 'Contoso Ltd' } });
    assert.equal(await zone(), 'Europe/Zurich');
  });

  describe('the service dashboard', () => {
    const dashboard = async (who: string, query = '') =>
      call(who, 'GET', `/tenants/${T}/services/${HELPDESK}/dashboard${query}`);

    it('counts today’s tasks as they are handled, each person’s, and the live figures', async () => {
      const empty = await dashboard(MEGAN);
      assert.equal(empty.status, 200, JSON.stringify(empty.body));
      assert.deepEqual(
        [empty.body.kpis.offered, empty.body.kpis.serviceLevel, empty.body.timeZone],
        [0, null, 'UTC'],
      );
      assert.equal(empty.body.live.available, 3, 'Megan, Adele and Isaiah');
      // One answered in 10 s and completed a minute later, one answered after 30 s, one abandoned.
      const quick = await newTask('quick');
      await advance(10_000);
      await call(MEGAN, 'POST', `/tasks/${quick}/accept`);
      const slow = await newTask('slow'); // rings Adele
      const lost = await newTask('lost'); // rings Isaiah
      await advance(29_000);
      await call(ADELE, 'POST', `/tasks/${slow}/accept`);
      await call(MEGAN, 'POST', `/tasks/${lost}/cancel`);
      await advance(21_000);
      await call(MEGAN, 'POST', `/tasks/${quick}/complete`);
      const waiting = await newTask('still waiting'); // rings Isaiah
      await advance(1_000);
      const day = (await dashboard(ADELE)).body;
      assert.deepEqual(
        [day.kpis.offered, day.kpis.accepted, day.kpis.abandoned],
        [4, 2, 1],
        JSON.stringify(day.kpis),
      );
      assert.deepEqual(day.kpis.wait, { count: 2, averageMs: 19_500, p90Ms: 29_000 });
      assert.equal(
        day.kpis.serviceLevel,
        1 / 3,
        'decided: answered in 10 s (within 20), answered in 29 s, abandoned; the one waiting 1 s is not yet',
      );
      const megan = day.people.find((p: { userId: string }) => p.userId === MEGAN);
      assert.deepEqual([megan.handled, megan.handle.averageMs], [1, 50_000]);
      assert.deepEqual(
        [day.live.waiting, day.live.available, day.live.busy, day.live.inAcw],
        [1, 1, 2, 0],
        `${waiting} rings Isaiah, Adele handles one: only Megan is free`,
      );
    });

    it('counts each step once, reads the same before and after folding, and never reads history', async () => {
      await app.stop();
      const filters: string[] = [];
      app = await startTestApp(
        { SEED: 'demo', CLOCK: 'manual' },
        {
          wrapStorageClient: (client) =>
            new Proxy(client, {
              get: (target, name, receiver) =>
                name === 'listEntities'
                  ? (options?: { queryOptions?: { filter?: string } }) => {
                      filters.push(options?.queryOptions?.filter ?? '');
                      return target.listEntities(options);
                    }
                  : Reflect.get(target, name, receiver),
            }),
        },
      );
      const tasks = [await newTask('one'), await newTask('two')]; // ring Megan, then Adele
      await advance(5_000);
      await call(MEGAN, 'POST', `/tasks/${tasks[0]}/accept`);
      await call(ADELE, 'POST', `/tasks/${tasks[1]}/decline`);
      await advance(40_000);
      await call(MEGAN, 'POST', `/tasks/${tasks[0]}/complete`);
      const stores = createStores(testStorage(app.prefix));
      const tenantId = asTenantId(T);
      filters.length = 0;
      const first = await dashboard(MEGAN);
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.ok(
        filters.some((f) => f.includes("'agg:s")),
        'the service’s tallies were read',
      );
      assert.deepEqual(
        filters.filter((f) => f.includes("'hist:")),
        [],
        'a view reads no history',
      );
      assert.deepEqual(await stores.history.pending(tenantId), [], 'the view folded what waited');
      assert.equal(await foldTallies(stores, tenantId), 0, 'nothing is left to count twice');
      const again = await dashboard(MEGAN);
      assert.deepEqual(again.body.kpis, first.body.kpis);
      assert.deepEqual(again.body.people, first.body.people);
      // What was folded is what the history tells, step for step.
      let told = NO_TALLY;
      for (const t of tasks) told = addTallies(told, total((await stepsOf(t)).map((r) => r.step)));
      const quarters = await stores.tallies.between(tenantId, asServiceId(HELPDESK), 0, 9e12);
      assert.deepEqual(
        quarters.reduce((sum, q) => addTallies(sum, q.tally), NO_TALLY),
        told,
      );
      assert.deepEqual([told.offered, told.accepted, told.handle.count], [2, 1, 1]);
    });

    it('the admins’ overview: services added up, each by its own threshold, people once', async () => {
      const SALES = 'svc-vip-sales'; // Patti and Lynne, in another unit than Nestor's
      const sixty = await call(ALEX, 'PATCH', `/tenants/${T}/services/${SALES}/settings`, {
        distribution: { serviceLevelSec: 60 },
      });
      assert.equal(sixty.status, 200, JSON.stringify(sixty.body));
      const licensed = await call(ALEX, 'POST', `/tenants/${T}/licenses/changes`, {
        changes: [{ op: 'assign', license: 'ContactCenterUser', userId: MEGAN }],
      });
      assert.equal(licensed.status, 200, JSON.stringify(licensed.body));
      const joined = await call(ALEX, 'PUT', `/tenants/${T}/services/${SALES}/members/${MEGAN}`, {
        active: true,
      });
      assert.ok(joined.status < 300, JSON.stringify(joined.body));
      // Megan alone takes IT Helpdesk's tasks.
      for (const other of [ADELE, PEOPLE.ISAIAH])
        await call(ALEX, 'PUT', `/tenants/${T}/services/${HELPDESK}/members/${other}`, {
          active: false,
        });
      // One task each, both answered after 25 s (before they ring out): late for IT Helpdesk
      // (20 s), in time for Sales (60 s).
      const help = await newTask('help');
      const sale = await call(ALEX, 'POST', `/tenants/${T}/services/${SALES}/tasks`, {
        modality: 'Call',
        subject: 'sale',
      });
      assert.equal(sale.status, 201, JSON.stringify(sale.body));
      await advance(25_000);
      const ringing = async (taskId: string) =>
        ((await call(ALEX, 'GET', `/tasks/${taskId}`)).body.offeredTo as string[])[0]!;
      const helper = await ringing(help);
      assert.equal(helper, MEGAN, 'the one Active in IT Helpdesk');
      await call(MEGAN, 'POST', `/tasks/${help}/accept`);
      const seller = await ringing(sale.body.taskId);
      assert.notEqual(seller, MEGAN, 'Megan is busy');
      const sold = await call(seller, 'POST', `/tasks/${sale.body.taskId}/accept`);
      assert.equal(sold.status, 200, JSON.stringify(sold.body));

      const overview = async (who: string, query = '') =>
        call(who, 'GET', `/tenants/${T}/dashboard${query}`);
      const all = await overview(ALEX);
      assert.equal(all.status, 200, JSON.stringify(all.body));
      assert.equal(all.body.scope, 'tenant');
      type Line = { name: string; serviceLevelSec: number; kpis: { serviceLevel: number } };
      assert.deepEqual(
        all.body.services.map((l: Line) => [l.name, l.serviceLevelSec, l.kpis.serviceLevel]),
        [
          ['IT Helpdesk', 20, 0],
          ['VIP Sales', 60, 1],
        ],
      );
      assert.deepEqual(
        [all.body.kpis.offered, all.body.kpis.accepted, all.body.kpis.serviceLevel],
        [2, 2, 0.5],
        'each task judged by its own service’s threshold',
      );
      assert.deepEqual(
        all.body.people.map((p: { userId: string }) => p.userId).sort(),
        [MEGAN, seller].sort(),
      );
      type Live = { live: { busy: number } };
      assert.deepEqual(
        all.body.services.map((l: Live) => l.live.busy),
        [1, 2],
        'Megan is busy in both of her services, the seller in Sales',
      );
      assert.equal(all.body.live.busy, 2, 'each person once');

      const unit = await overview(PEOPLE.NESTOR, '?days=7');
      assert.equal(unit.status, 200, JSON.stringify(unit.body));
      assert.equal(unit.body.scope, 'unit');
      assert.deepEqual(
        unit.body.services.map((l: Line) => l.name),
        ['IT Helpdesk'],
        'an OU admin sees the services of his unit',
      );
      assert.deepEqual([unit.body.kpis.offered, unit.body.kpis.serviceLevel], [1, 0]);

      const member = await overview(MEGAN);
      assert.equal(member.status, 403, 'an owner who is no admin has her services’ dashboards');
      assert.equal(member.body.error.code, 'forbidden');
      const bad = await overview(ALEX, '?days=2');
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.code, 'validation_failed');
    });

    it('refuses a range that is no range, in the API’s shape, and people outside the service', async () => {
      for (const query of [
        '?days=2',
        '?from=2026-01-02&to=2026-01-01',
        '?from=2026-01-01',
        '?from=2026-02-30&to=2026-03-01',
        '?days=1&from=2026-01-01&to=2026-01-02',
        '?colour=red',
        '?from=2025-01-01&to=2026-01-02', // 367 days
      ]) {
        const refused = await dashboard(MEGAN, query);
        assert.equal(refused.status, 400, `${query}: ${JSON.stringify(refused.body)}`);
        assert.equal(refused.body.error.code, 'validation_failed', query);
      }
      assert.equal((await dashboard(PEOPLE.PATTI)).status, 403, 'not a member of IT Helpdesk');
      assert.equal((await dashboard(MEGAN, '?from=2026-01-01&to=2026-01-31')).status, 200);
      assert.equal(
        (await dashboard(MEGAN, '?from=2025-01-01&to=2026-01-01')).status,
        200,
        'a year and a day',
      );
    });
  });

  describe('people Active at least once a month (the admins’ statistics)', () => {
    const statistics = (who: string, query = '') =>
      call(who, 'GET', `/tenants/${T}/statistics/active-users${query}`);
    const switchMe = (who: string, active: boolean) =>
      call(who, 'PUT', `/me/services/${HELPDESK}/active`, { active });
    const activeNow = async () => {
      const stores = createStores(testStorage(app.prefix));
      const rows = await stores.memberships.list(asTenantId(T));
      return new Set<string>(rows.filter((m) => m.value.active).map((m) => m.value.userId));
    };
    const marked = async (month: string) =>
      new Set<string>(
        await createStores(testStorage(app.prefix)).activity.usersIn(asTenantId(T), month),
      );

    it('counts this month’s Active people, keeps a month through a switch off and into the next', async () => {
      const first = await statistics(ALEX);
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.equal(first.body.length, 12);
      const [now] = first.body as { month: string; users: number }[];
      const active = await activeNow();
      assert.ok(active.has(ADELE));
      assert.equal(now!.users, active.size, 'everyone Active now counts this month');

      assert.equal((await switchMe(ADELE, false)).status, 200);
      assert.ok((await marked(now!.month)).has(ADELE), 'her switch off marked the month');
      assert.equal((await statistics(ALEX)).body[0].users, active.size, 'she was Active in it');

      // Into the next month: the tenant's jobs mark everyone still Active for it.
      await advance(32 * 86_400_000);
      const later = (await statistics(ALEX, '?months=2')).body as {
        month: string;
        users: number;
      }[];
      assert.notEqual(later[0]!.month, now!.month);
      assert.deepEqual(later[1], now, 'the month before keeps its count');
      assert.equal(later[0]!.users, active.size - 1, 'Adele was not Active this month');
      const next = await marked(later[0]!.month);
      assert.deepEqual([...next].sort(), [...active].filter((id) => id !== ADELE).sort());

      // Her switch to Active marks the new month in its own transaction.
      assert.equal((await switchMe(ADELE, true)).status, 200);
      assert.ok((await marked(later[0]!.month)).has(ADELE));
      assert.equal((await statistics(ALEX, '?months=1')).body[0].users, active.size);
    });

    it('is for tenant admins, and says why a number of months is refused', async () => {
      assert.equal((await statistics(PEOPLE.NESTOR)).status, 403, 'an OU admin');
      assert.equal((await statistics(MEGAN)).status, 403, 'an owner');
      for (const query of ['?months=0', '?months=25', '?months=1.5', '?months=x', '?colour=red']) {
        const refused = await statistics(ALEX, query);
        assert.equal(refused.status, 400, `${query}: ${JSON.stringify(refused.body)}`);
        assert.equal(refused.body.error.code, 'validation_failed');
      }
      assert.equal((await statistics(ALEX, '?months=24')).body.length, 24);
    });
  });

  describe('people’s states (the tenant’s “persist user states”)', () => {
    const states = async () =>
      (await createStores(testStorage(app.prefix)).userStates.all(asTenantId(T))).map(
        ({ userId, step }) =>
          step.kind === 'active'
            ? `${userId} ${step.serviceId} ${step.active ? 'Active' : 'inactive'}`
            : `${userId} ${step.before?.presence}/${step.before?.engagement} → ${step.after.presence}/${step.after.engagement}${step.after.rona ? ' rona' : ''}`,
      );
    const persist = async (on: boolean) => {
      const set = await call(ALEX, 'PATCH', `/tenants/${T}/settings`, {
        dataPrivacy: { persistUserStates: on },
      });
      assert.equal(set.status, 200, JSON.stringify(set.body));
    };

    it('keeps nothing while the setting is off (as it is by default)', async () => {
      const t = await newTask('unkept');
      await call(MEGAN, 'POST', `/tasks/${t}/accept`);
      await call(MEGAN, 'POST', `/tasks/${t}/complete`);
      await call(ADELE, 'PUT', `/me/services/${HELPDESK}/active`, { active: false });
      assert.deepEqual(await states(), []);
    });

    it('keeps each change of presence, task and Active switch, with its state before', async () => {
      await persist(true);
      const t = await newTask('kept'); // rings Megan
      await call(MEGAN, 'POST', `/tasks/${t}/accept`);
      await call(MEGAN, 'POST', `/tasks/${t}/complete`);
      const away = await call(ALEX, 'PUT', `/tenants/${T}/users/${ADELE}/presence`, {
        presence: 'Away',
      });
      assert.equal(away.status, 200, JSON.stringify(away.body));
      await call(ADELE, 'PUT', `/me/services/${HELPDESK}/active`, { active: false });
      await advance(1_000);
      const removed = await call(
        MEGAN,
        'DELETE',
        `/tenants/${T}/services/${HELPDESK}/members/${PEOPLE.ISAIAH}`,
      );
      assert.equal(removed.status, 204, JSON.stringify(removed.body));
      assert.deepEqual(await states(), [
        `${MEGAN} Available/null → Available/offered`,
        `${MEGAN} Available/offered → Available/accepted`,
        `${MEGAN} Available/accepted → Available/null`,
        `${ADELE} Available/null → Away/null`,
        `${ADELE} ${HELPDESK} inactive`,
        `${PEOPLE.ISAIAH} ${HELPDESK} inactive`,
      ]);

      // Off again: what was kept stays, nothing more is added.
      await persist(false);
      const before = await states();
      await call(ADELE, 'PUT', `/me/services/${HELPDESK}/active`, { active: true });
      await call(ALEX, 'PUT', `/tenants/${T}/users/${ADELE}/presence`, { presence: 'Available' });
      assert.deepEqual(await states(), before);
    });

    it('counts each person’s time Active and available in a service, to the second', async () => {
      const MIN = 60_000;
      // Megan alone in IT Helpdesk, so its tasks ring her.
      for (const other of [ADELE, PEOPLE.ISAIAH])
        await call(ALEX, 'PUT', `/tenants/${T}/services/${HELPDESK}/members/${other}`, {
          active: false,
        });
      const dashboard = async () =>
        (await call(MEGAN, 'GET', `/tenants/${T}/services/${HELPDESK}/dashboard?days=7`)).body;
      const off = (await dashboard()).people as { activeMs: number | null }[];
      assert.ok(
        off.every((p) => p.activeMs === null),
        'no user states kept: no such figures',
      );
      await persist(true);
      const presence = (p: string) =>
        call(ALEX, 'PUT', `/tenants/${T}/users/${MEGAN}/presence`, { presence: p });
      await presence('Away'); // counting starts here
      await advance(10 * MIN); // Away: Active, not available
      await presence('Available');
      await advance(20 * MIN); // free: both
      const t = await newTask('timed'); // ringing: Active only
      await advance(20_000);
      await call(MEGAN, 'POST', `/tasks/${t}/accept`);
      await advance(5 * MIN); // on the task: Active only
      await call(MEGAN, 'POST', `/tasks/${t}/complete`);
      await advance(4 * MIN); // free again
      await call(MEGAN, 'PUT', `/me/services/${HELPDESK}/active`, { active: false });
      await advance(10 * MIN); // not Active: neither
      const megan = (await dashboard()).people.find((p: { userId: string }) => p.userId === MEGAN);
      assert.deepEqual(
        [megan.activeMs, megan.availableMs],
        [(10 + 20 + 5 + 4) * MIN + 20_000, (20 + 4) * MIN],
        JSON.stringify(megan),
      );
      assert.equal(megan.handled, 1);
      // The same once everything is counted (the stretches since a change are added live).
      const stores = createStores(testStorage(app.prefix));
      assert.deepEqual(await stores.stateTimes.pending(asTenantId(T)), []);
      const again = (await dashboard()).people.find((p: { userId: string }) => p.userId === MEGAN);
      assert.deepEqual([again.activeMs, again.availableMs], [megan.activeMs, megan.availableMs]);
      // VIP Sales is skill-based (its members count as Active): Megan is none of them.
      const sales = await call(ALEX, 'GET', `/tenants/${T}/services/svc-vip-sales/dashboard`);
      assert.equal(sales.status, 200, JSON.stringify(sales.body));
      assert.deepEqual(
        sales.body.people.map((p: { userId: string }) => p.userId),
        [],
        'no time in a service for someone outside it',
      );
    });
  });
});
