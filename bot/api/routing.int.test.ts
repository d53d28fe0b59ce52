import { routingPartition } from '../../core/store/routing-rows.js';
import { shardOfTask } from '../../core/domain/routing/task-id.js';
import { foldStates } from '../../core/app/reporting/state-folder.js';
import { strict as assert } from 'node:assert';
import { DEMO } from '../../core/app/demo-tenant.js';
import { startTestApp, type TestApp } from '../../test/app-harness.js';
import { testStorage } from '../../test/azurite-fixture.js';
import { createStores } from '../../core/store/stores.js';
import { asServiceId, asTaskId, asTenantId, asUserId } from '../../core/domain/ids.js';
import { instantOf } from '../../core/domain/instant.js';
import { PEOPLE } from '../../test/demo-people.js';
import { markCardOp } from '../../core/store/card-rows.js';

const T = DEMO.tenant.id;
const { ALEX, MEGAN, ADELE, ISAIAH, PATTI, LYNNE } = PEOPLE;
const HELPDESK = 'svc-it-helpdesk'; // members: Megan (owner), Adele, Isaiah; all Available

describe('distribution through the API (CLOCK=manual)', () => {
  let app: TestApp;
  const tokens = new Map<string, string>();
  const as = async (userId: string) => {
    const known = tokens.get(userId);
    if (known) return known;
    const token = await app.token(userId === 'system' ? { system: true } : { tenantId: T, userId });
    tokens.set(userId, token);
    return token;
  };
  const call = async (who: string, method: string, path: string, body?: unknown) =>
    app.call(method, path, { token: await as(who), body });
  const newTask = async (subject: string, over: object = {}, service = HELPDESK) =>
    call(MEGAN, 'POST', `/tenants/${T}/services/${service}/tasks`, {
      modality: 'Call',
      subject,
      ...over,
    });
  const task = async (taskId: string) => (await call(ALEX, 'GET', `/tasks/${taskId}`)).body;
  const advance = (ms: number) => app.call('POST', '/dev/clock', { body: { advanceMs: ms } });
  const settings = async (patch: object, service = HELPDESK) => {
    const reply = await call(ALEX, 'PATCH', `/tenants/${T}/services/${service}/settings`, patch);
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
  };
  const contactCenter = async () => {
    await call(ALEX, 'PUT', `/tenants/${T}/services/${HELPDESK}/license`, {
      license: 'ContactCenter',
    });
  };
  const reasons = async (userId: string, service = HELPDESK) =>
    (await call(userId, 'GET', '/me/services')).body.find(
      (s: { serviceId: string }) => s.serviceId === service,
    ).reasons;
  const presence = (userId: string, value: string) =>
    call(ALEX, 'PUT', `/tenants/${T}/users/${userId}/presence`, { presence: value });

  beforeEach(async () => {
    tokens.clear();
    app = await startTestApp({ SEED: 'demo', CLOCK: 'manual' });
  });
  afterEach(() => app.stop());

  describe('round robin', () => {
    it('offers a new task at once to the longest idle member (ties by id) and records the decision', async () => {
      const created = await newTask('Printer on fire');
      assert.equal(created.status, 201);
      assert.deepEqual(
        [created.body.state, created.body.exit, created.body.offeredTo],
        ['Offered', 'DirectAvailable', [MEGAN]],
      );
      const decision = (await task(created.body.taskId)).decisions[0];
      assert.deepEqual(decision.offeredTo, [MEGAN]);
    });

    it('accept, complete: the person is idle from then on, so the next task goes to someone idle longer', async () => {
      const first = (await newTask('one')).body.taskId;
      assert.equal((await call(MEGAN, 'POST', `/tasks/${first}/accept`)).body.state, 'Accepted');
      assert.deepEqual(await reasons(MEGAN), ['busyElsewhere']);
      const second = (await newTask('two')).body;
      assert.deepEqual(second.offeredTo, [ADELE], 'Megan is busy');
      await advance(5_000);
      assert.equal((await call(MEGAN, 'POST', `/tasks/${first}/complete`)).body.state, 'Completed');
      await call(ADELE, 'POST', `/tasks/${second.taskId}/decline`);
      assert.deepEqual(
        (await task(second.taskId)).offeredTo,
        [ISAIAH],
        'Isaiah idled longer than Megan, who just finished',
      );
    });

    it('a decline hands the task to the next person at once', async () => {
      const t = (await newTask('decline me')).body.taskId;
      const declined = await call(MEGAN, 'POST', `/tasks/${t}/decline`);
      assert.deepEqual([declined.body.state, declined.body.offeredTo], ['Offered', [ADELE]]);
      assert.deepEqual(await reasons(MEGAN), [], 'no RONA without persistent RONA');
    });

    it('an unanswered invitation times out after the calling timeout and goes to the next person', async () => {
      const t = (await newTask('nobody answers')).body.taskId;
      await advance(29_000);
      assert.deepEqual((await task(t)).offeredTo, [MEGAN]);
      await advance(1_000);
      const after = await task(t);
      assert.deepEqual([after.state, after.offeredTo], ['Offered', [ADELE]]);
      assert.equal(after.decisions.length, 2);
    });

    it('tells me what is ringing for me', async () => {
      const t = (await newTask('for Megan')).body.taskId;
      assert.deepEqual(
        (await call(MEGAN, 'GET', '/me/offers')).body.map((o: { taskId: string }) => o.taskId),
        [t],
      );
      assert.deepEqual((await call(ADELE, 'GET', '/me/offers')).body, []);
    });
  });

  describe('persistent RONA (Contact Center)', () => {
    beforeEach(async () => {
      await contactCenter();
      await settings({ distribution: { rona: { persistent: true, resetSec: 60 } } });
    });

    it('a missed invitation makes the person RONA until the reset time, then selectable again', async () => {
      const t = (await newTask('missed')).body.taskId;
      await advance(30_000);
      assert.deepEqual(await reasons(MEGAN), ['rona']);
      assert.deepEqual((await task(t)).offeredTo, [ADELE]);
      await advance(60_000);
      assert.deepEqual(await reasons(MEGAN), []);
    });

    it('a decline makes RONA too; the person can reset it, and going Offline resets it', async () => {
      const t = (await newTask('declined')).body.taskId;
      await call(MEGAN, 'POST', `/tasks/${t}/decline`);
      assert.deepEqual(await reasons(MEGAN), ['rona']);
      await call(MEGAN, 'POST', '/me/rona/reset');
      assert.deepEqual(await reasons(MEGAN), []);
      const t2 = (await newTask('declined again')).body.taskId;
      const ringing = (await task(t2)).offeredTo[0];
      await call(ringing, 'POST', `/tasks/${t2}/decline`);
      await presence(ringing, 'Offline');
      await presence(ringing, 'Available');
      assert.ok(!(await reasons(ringing)).includes('rona'));
    });

    it('changing the RONA settings does not touch RONA states already set', async () => {
      const t = (await newTask('x')).body.taskId;
      await call(MEGAN, 'POST', `/tasks/${t}/decline`);
      await settings({ distribution: { rona: { persistent: false } } });
      assert.deepEqual(await reasons(MEGAN), ['rona']);
    });
  });

  describe('broadcast', () => {
    beforeEach(() => settings({ distribution: { type: 'Broadcast' } }));

    it('offers to everyone available; the first accept wins and a second accept loses cleanly', async () => {
      const t = (await newTask('everyone')).body;
      assert.deepEqual([...t.offeredTo].sort(), [MEGAN, ADELE, ISAIAH].sort());
      assert.equal((await call(ADELE, 'POST', `/tasks/${t.taskId}/accept`)).status, 200);
      const late = await call(ISAIAH, 'POST', `/tasks/${t.taskId}/accept`);
      assert.equal(late.status, 409);
      assert.match(late.body.error.message, /Already taken/);
      assert.deepEqual(await reasons(ISAIAH), [], 'withdrawn and free again');
      assert.equal((await task(t.taskId)).acceptedBy, ADELE);
    });

    it('sets no RONA when a broadcast goes unanswered', async () => {
      await contactCenter();
      await settings({ distribution: { rona: { persistent: true } } });
      const t = (await newTask('nobody')).body.taskId;
      await advance(30_000);
      assert.ok(!(await reasons(MEGAN)).includes('rona'));
      assert.equal((await task(t)).decisions.length, 2, 'rings again for everyone');
    });
  });

  describe('after-call work (Contact Center)', () => {
    beforeEach(async () => {
      await contactCenter();
      await settings({
        distribution: {
          acw: {
            enabled: true,
            seconds: 150,
            allowEarlyEnd: true,
            allowExtension: true,
            maxExtensionSec: 120,
          },
        },
      });
    });

    async function finishOne() {
      const t = (await newTask('work')).body.taskId;
      await call(MEGAN, 'POST', `/tasks/${t}/accept`);
      await call(MEGAN, 'POST', `/tasks/${t}/complete`);
    }

    it('blocks the person from all services for the ACW time, then frees them', async () => {
      await finishOne();
      assert.deepEqual(await reasons(MEGAN), ['acw']);
      await advance(149_000);
      assert.deepEqual(await reasons(MEGAN), ['acw']);
      await advance(1_000);
      assert.deepEqual(await reasons(MEGAN), []);
    });

    it('may be ended early, or extended to a flat new value', async () => {
      await finishOne();
      await advance(100_000);
      const extended = await call(MEGAN, 'POST', '/me/acw/extend', { seconds: 120 });
      assert.equal(extended.status, 200);
      await advance(119_000);
      assert.deepEqual(
        await reasons(MEGAN),
        ['acw'],
        'the extension replaced the 50 s that were left',
      );
      assert.equal((await call(MEGAN, 'POST', '/me/acw/extend', { seconds: 121 })).status, 400);
      assert.equal((await call(MEGAN, 'POST', '/me/acw/end')).status, 200);
      assert.deepEqual(await reasons(MEGAN), []);
    });

    it('going Offline ends it', async () => {
      await finishOne();
      await presence(MEGAN, 'Offline');
      await presence(MEGAN, 'Available');
      assert.deepEqual(await reasons(MEGAN), []);
    });

    it('settings changes affect new tasks only', async () => {
      const t = (await newTask('entered with ACW')).body.taskId;
      await settings({ distribution: { acw: { enabled: false } } });
      await call(MEGAN, 'POST', `/tasks/${t}/accept`);
      await call(MEGAN, 'POST', `/tasks/${t}/complete`);
      assert.deepEqual(await reasons(MEGAN), ['acw']);
    });
  });

  describe('availability across services and queueing', () => {
    it('busy in one service is not available in another', async () => {
      const second = await call(MEGAN, 'POST', `/tenants/${T}/services:provision`, {
        teamId: 'team-2',
        teamName: 'Second Line',
        members: [ADELE],
      });
      const t = (await newTask('first service')).body.taskId;
      await call(MEGAN, 'POST', `/tasks/${t}/accept`);
      assert.deepEqual(await reasons(MEGAN, second.body.serviceId), ['busyElsewhere']);
    });

    it('queues when nobody is free (exit by who could come), and offers as soon as someone is', async () => {
      for (const person of [MEGAN, ADELE, ISAIAH]) await presence(person, 'Offline');
      const waiting = (await newTask('waits')).body;
      assert.deepEqual([waiting.state, waiting.exit], ['Queued', 'NoOneAvailable']);
      await presence(ADELE, 'Busy');
      assert.equal((await newTask('in time')).body.exit, 'InTimeAvailable');
      await presence(ISAIAH, 'Available');
      assert.deepEqual(
        (await task(waiting.taskId)).offeredTo,
        [ISAIAH],
        'offered at once, no polling',
      );
    });

    it('lists the queue in serving order: Strict first, Nothing Else last', async () => {
      await contactCenter();
      for (const person of [MEGAN, ADELE, ISAIAH]) await presence(person, 'Offline');
      for (const priority of ['NothingElse', 'Low', 'Strict', 'High']) {
        await settings({ distribution: { priority } });
        await newTask(priority);
      }
      const path = `/tenants/${T}/services/${HELPDESK}/queue`;
      const whole = (await call(MEGAN, 'GET', path)).body;
      const priorities = (page: { items: { priority: string }[] }) =>
        page.items.map((t) => t.priority);
      assert.deepEqual(priorities(whole), ['Strict', 'High', 'Low', 'NothingElse']);
      assert.equal(whole.waiting, 4);
      assert.equal(whole.next, null);
      // A page at a time: the pages follow one another in the same order, and the last says so.
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const reply = await call(
          MEGAN,
          'GET',
          `${path}?top=3${cursor === null ? '' : `&cursor=${cursor}`}`,
        );
        assert.equal(reply.status, 200);
        paged.push(...priorities(reply.body));
        cursor = reply.body.next;
      } while (cursor !== null);
      assert.deepEqual(paged, priorities(whole));
      const bad = await call(MEGAN, 'GET', `${path}?cursor=bm90LWEtY3Vyc29y`);
      assert.equal(bad.status, 400);
      assert.match(JSON.stringify(bad.body), /is not a cursor this list gave/);
    });

    it('gives a service’s members a page at a time, by person, with how many there are', async () => {
      const path = `/tenants/${T}/services/${HELPDESK}/members`;
      const first = (await call(MEGAN, 'GET', `${path}?top=2`)).body;
      assert.equal(first.total, 3);
      assert.equal(first.members.length, 2);
      assert.notEqual(first.next, null);
      const second = (await call(MEGAN, 'GET', `${path}?top=2&cursor=${first.next}`)).body;
      assert.equal(second.members.length, 1);
      assert.equal(second.next, null, 'the last page says so');
      const ids = (page: { members: { userId: string }[] }) => page.members.map((m) => m.userId);
      assert.deepEqual(
        [...ids(first), ...ids(second)].sort(),
        [MEGAN, ADELE, ISAIAH].sort(),
        'every member once',
      );
      assert.deepEqual(
        ids((await call(MEGAN, 'GET', path)).body).sort(),
        [MEGAN, ADELE, ISAIAH].sort(),
      );
      const bad = await call(MEGAN, 'GET', `${path}?top=0`);
      assert.equal(bad.status, 400);
    });

    it('switching Active back on counts as becoming available (idle clock restarts)', async () => {
      await advance(1_000);
      await call(MEGAN, 'PUT', `/me/services/${HELPDESK}/active`, { active: false });
      await call(MEGAN, 'PUT', `/me/services/${HELPDESK}/active`, { active: true });
      assert.deepEqual((await newTask('who idled longest?')).body.offeredTo, [ADELE]);
    });

    it('an inactive member gets nothing; switching Active back on brings the queue to them', async () => {
      for (const person of [MEGAN, ADELE]) await presence(person, 'Offline');
      await call(ISAIAH, 'PUT', `/me/services/${HELPDESK}/active`, { active: false });
      const t = (await newTask('for whom?')).body.taskId;
      assert.deepEqual(await reasons(ISAIAH), ['inactive']);
      await call(ISAIAH, 'PUT', `/me/services/${HELPDESK}/active`, { active: true });
      assert.deepEqual((await task(t)).offeredTo, [ISAIAH]);
    });
  });

  describe('invitations nobody can take any more', () => {
    const VIP = 'svc-vip-sales'; // skill-based: Patti (english, sales), Lynne (english, german)
    const remove = (service: string, userId: string) =>
      call(ALEX, 'DELETE', `/tenants/${T}/services/${service}/members/${userId}`);
    const vipTask = async (subject: string) =>
      (
        await call(ALEX, 'POST', `/tenants/${T}/services/${VIP}/tasks`, {
          modality: 'Call',
          subject,
        })
      ).body;
    /**
     * Why an invitation was withdrawn from someone, as its step recorded it. Their card's
     * note is written from the same record in the same transaction; the card drain may have
     * taken that mark already (nobody here has a Teams chat), so the step is what is read.
     */
    const withdrawnWhy = async (taskId: string, userId: string) =>
      (await createStores(testStorage(app.prefix)).history.ofTask(asTenantId(T), asTaskId(taskId)))
        .map((r) => r.step)
        .flatMap((step) => (step.kind === 'withdrawn' && step.from === userId ? [step.cause] : []))
        .at(-1);

    it('removing a member withdraws the invitation ringing for them at once, without RONA; the next person gets it', async () => {
      await contactCenter();
      await settings({ distribution: { rona: { persistent: true, resetSec: 600 } } });
      const t = (await newTask('ringing for Megan')).body.taskId;
      assert.deepEqual((await task(t)).offeredTo, [MEGAN]);
      assert.equal((await remove(HELPDESK, MEGAN)).status, 204);
      const after = await task(t);
      assert.deepEqual([after.state, after.offeredTo], ['Offered', [ADELE]], 'no clock moved');
      assert.deepEqual((await call(MEGAN, 'GET', '/me/offers')).body, []);
      const late = await call(MEGAN, 'POST', `/tasks/${t}/accept`);
      assert.equal(late.status, 409);
      assert.match(late.body.error.message, /no longer open/);
      assert.equal(await withdrawnWhy(t, MEGAN), 'left', 'her card says why');
      await call(ALEX, 'PUT', `/tenants/${T}/services/${HELPDESK}/members/${MEGAN}`, {
        active: true,
      });
      assert.deepEqual(await reasons(MEGAN), [], 'not RONA: leaving was not a miss');
    });

    it('going Offline or Do not disturb while an invitation rings hands it on at once, without RONA', async () => {
      await contactCenter();
      await settings({ distribution: { rona: { persistent: true, resetSec: 600 } } });
      const first = (await newTask('ringing for Megan')).body.taskId;
      await presence(MEGAN, 'DoNotDisturb');
      assert.deepEqual((await task(first)).offeredTo, [ADELE], 'no clock moved');
      assert.equal(await withdrawnWhy(first, MEGAN), 'presence');
      await presence(ADELE, 'Offline');
      assert.deepEqual((await task(first)).offeredTo, [ISAIAH]);
      await presence(MEGAN, 'Available');
      assert.deepEqual(await reasons(MEGAN), [], 'not RONA');
      await presence(ISAIAH, 'Busy');
      assert.deepEqual((await task(first)).offeredTo, [ISAIAH], 'Busy may be the call itself');
    });

    it('an accepted task stays with the person who leaves, to the end', async () => {
      const t = (await newTask('in progress')).body.taskId;
      await call(MEGAN, 'POST', `/tasks/${t}/accept`);
      await remove(HELPDESK, MEGAN);
      assert.equal((await task(t)).acceptedBy, MEGAN);
      assert.equal((await call(MEGAN, 'POST', `/tasks/${t}/complete`)).body.state, 'Completed');
    });

    it('in a broadcast, only the removed person stops ringing', async () => {
      await settings({ distribution: { type: 'Broadcast' } });
      const t = (await newTask('everyone')).body.taskId;
      await remove(HELPDESK, ISAIAH);
      assert.deepEqual([...(await task(t)).offeredTo].sort(), [MEGAN, ADELE].sort());
      assert.deepEqual((await call(ISAIAH, 'GET', '/me/offers')).body, []);
    });

    it('a service turned to None loses its people, and the task ringing there waits again', async () => {
      const t = (await vipTask('for Patti')).taskId;
      assert.deepEqual((await task(t)).offeredTo, [PATTI]);
      await call(ALEX, 'PUT', `/tenants/${T}/services/${VIP}/assignmentType`, {
        assignmentType: 'None',
      });
      const after = await task(t);
      assert.deepEqual([after.state, after.offeredTo], ['Queued', []]);
    });

    it('taking away the Contact Center user license withdraws that person’s skill-based invitation', async () => {
      const t = (await vipTask('for Patti')).taskId;
      const removed = await call(ALEX, 'POST', `/tenants/${T}/licenses/changes`, {
        changes: [{ op: 'remove', license: 'ContactCenterUser', userId: PATTI }],
        confirmIrreversible: true,
      });
      assert.equal(removed.status, 200, JSON.stringify(removed.body));
      assert.deepEqual((await task(t)).offeredTo, [LYNNE]);
    });

    it('a tenant that stops taking tasks withdraws every invitation without RONA; they go out again as soon as it is active', async () => {
      await contactCenter();
      await settings({ distribution: { rona: { persistent: true, resetSec: 600 } } });
      const t = (await newTask('ringing')).body.taskId;
      const tenantState = (state: string) =>
        call('system', 'PUT', `/tenants/${T}`, { name: DEMO.tenant.name, state });
      await tenantState('Suspended');
      const paused = (await call('system', 'GET', `/tasks/${t}`)).body;
      assert.deepEqual([paused.state, paused.offeredTo], ['Queued', []]);
      assert.equal(await withdrawnWhy(t, MEGAN), 'paused');
      await advance(60_000);
      await tenantState('Active');
      const back = await task(t);
      assert.deepEqual(
        [back.state, back.offeredTo],
        ['Offered', [MEGAN]],
        'at once, and Megan is not RONA',
      );
    });
    it('a tenant being deleted withdraws every invitation at once', async () => {
      const t = (await newTask('ringing')).body.taskId;
      const deleted = await call('system', 'POST', `/tenants/${T}/deletion`, { confirm: 'YES' });
      assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
      const after = (await call('system', 'GET', `/tasks/${t}`)).body;
      assert.deepEqual([after.state, after.offeredTo], ['Queued', []], 'no clock moved');
    });
  });

  describe('changes that make someone available distribute at once', () => {
    it('a service setting that admits a presence', async () => {
      for (const person of [MEGAN, ADELE, ISAIAH]) await presence(person, 'Away');
      const t = (await newTask('waits for anyone')).body;
      assert.equal(t.state, 'Queued');
      await settings({ distribution: { presence: { away: true } } });
      assert.deepEqual((await task(t.taskId)).offeredTo, [MEGAN], 'no clock moved');
    });

    it('skills that qualify someone for a skill-based service', async () => {
      await settings(
        { distribution: { policy: { requiredSkills: { german: 50 }, order: 'LongestIdle' } } },
        'svc-vip-sales',
      );
      await presence(LYNNE, 'Offline');
      const t = (
        await call(ALEX, 'POST', `/tenants/${T}/services/svc-vip-sales/tasks`, {
          modality: 'Call',
          subject: 'Guten Tag',
        })
      ).body;
      assert.equal(t.state, 'Queued');
      const given = await call(ALEX, 'PUT', `/tenants/${T}/users/${PATTI}/skills`, {
        skills: { english: 90, sales: 80, german: 60 },
      });
      assert.equal(given.status, 200, JSON.stringify(given.body));
      assert.deepEqual((await task(t.taskId)).offeredTo, [PATTI]);
    });
  });

  describe('task intake', () => {
    it('keeps a task’s https link for whoever takes it, and refuses any other kind of address', async () => {
      const link = 'https://crm.contoso.com/cases/42?tab=notes';
      const made = await newTask('with a link', { link });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      assert.equal((await task(made.body.taskId)).link, link);
      for (const bad of [
        'http://crm.contoso.com/cases/42',
        'javascript:alert(1)',
        'cases/42',
        'https://user:pw@crm.contoso.com/',
      ])
        assert.deepEqual(
          (await newTask('bad link', { link: bad })).body.error?.details,
          [
            {
              field: 'link',
              message: 'must be an https address, like https://crm.contoso.com/cases/42',
            },
          ],
          bad,
        );
      assert.equal((await newTask('no link')).status, 201);
    });

    it('is idempotent by externalId', async () => {
      const first = await newTask('once', { externalId: 'crm-4711' });
      const again = await newTask('once', { externalId: 'crm-4711' });
      assert.equal(again.status, 200);
      assert.equal(again.body.taskId, first.body.taskId);
    });

    it('refuses tasks above the per-service modality limit, and again once the backlog drops', async () => {
      await call(ALEX, 'PATCH', `/tenants/${T}/settings`, { modalities: { maxIm: 1 } });
      const chat = (await newTask('chat 1', { modality: 'Im' })).body.taskId;
      const over = await newTask('chat 2', { modality: 'Im' });
      assert.equal(over.status, 409);
      assert.equal(over.body.error.code, 'limit_reached');
      assert.equal((await newTask('a call is not limited')).status, 201);
      await call(MEGAN, 'POST', `/tasks/${chat}/cancel`);
      assert.equal((await newTask('chat 3', { modality: 'Im' })).status, 201);
    });

    it('refuses every new task while the tenant is suspended', async () => {
      await call('system', 'PUT', `/tenants/${T}`, { name: DEMO.tenant.name, state: 'Suspended' });
      const reply = await app.call('POST', `/tenants/${T}/services/${HELPDESK}/tasks`, {
        token: await as('system'),
        body: { modality: 'Call', subject: 'x' },
      });
      assert.equal(reply.body.error.code, 'tenant_inactive');
    });

    it('keeps the priority a task entered with', async () => {
      await contactCenter();
      for (const person of [MEGAN, ADELE, ISAIAH]) await presence(person, 'Offline');
      await settings({ distribution: { priority: 'High' } });
      const t = (await newTask('high')).body.taskId;
      await settings({ distribution: { priority: 'Low' } });
      assert.equal((await task(t)).priority, 'High');
    });
  });

  describe('durability', () => {
    it('purges ended tasks, their cards and their history after the retention time, freeing their external id', async () => {
      const persist = await call(ALEX, 'PATCH', `/tenants/${T}/settings`, {
        dataPrivacy: { persistUserStates: true },
      });
      assert.equal(persist.status, 200, JSON.stringify(persist.body));
      // A minute Away for Isaiah: his time Active is counted from it.
      for (const presence of ['Away', 'Available']) {
        await call(ALEX, 'PUT', `/tenants/${T}/users/${ISAIAH}/presence`, { presence });
        if (presence === 'Away') await advance(60_000);
      }
      const t = (await newTask('short-lived', { externalId: 'crm-1' })).body.taskId;
      await call(MEGAN, 'POST', `/tasks/${t}/cancel`);
      // The card Megan got about it in Teams, and one for Adele waiting for Teams to take sends again.
      const stores = createStores(testStorage(app.prefix));
      const tenantId = asTenantId(T);
      const taskId = asTaskId(t);
      await stores.cards.cards.upsert({
        tenantId,
        taskId,
        userId: asUserId(MEGAN),
        conversationId: 'chat-megan',
        activityId: 'a-1',
        note: null,
      });
      // Offered to everyone of a large service once: more cards than a transaction holds.
      for (let i = 0; i < 120; i++)
        await stores.cards.cards.upsert({
          tenantId,
          taskId,
          userId: asUserId(`someone-${i}`),
          conversationId: `chat-${i}`,
          activityId: `a-${i}`,
          note: null,
        });
      // Written waiting already (the app's drain may look at any moment): its next try a year off.
      const mark = markCardOp(tenantId, taskId, asUserId(ADELE), instantOf(0));
      assert.equal(mark.kind, 'insert');
      const yearOff = Date.now() + 365 * 24 * 3600 * 1000;
      await stores.commit([
        { ...mark, entity: { ...mark.entity, attempts: 3, notBefore: yearOff } },
      ]);
      const cardsOf = async () => [
        ...(await stores.cards.cards.list(routingPartition(tenantId, shardOfTask(t)), `${t}:`)).map(
          (c) => `card ${c.value.userId}`,
        ),
        ...(await stores.cards.outbox.all(tenantId, await stores.routingShards(tenantId)))
          .filter((r) => r.row.value.taskId === taskId)
          .map((r) => `waiting ${r.row.value.userId}`),
      ];
      const historyOf = async () => (await stores.history.ofTask(tenantId, taskId)).length;
      // People's states as it rang and was withdrawn.
      const early = await stores.userStates.all(tenantId);
      assert.ok(early.length >= 2, JSON.stringify(early));
      const lastEarly = Math.max(...early.map((r) => r.step.at));
      // Counted too: Isaiah's minute Active.
      await foldStates(stores, tenantId);
      assert.ok(
        (await stores.stateTimes.days(tenantId, asServiceId(HELPDESK), 0, 9e12)).length > 0,
      );
      // Reporting's quarter of it, the service's and the tenant's.
      const talliesOf = async () =>
        (
          await Promise.all(
            [asServiceId(HELPDESK), null].map((s) => stores.tallies.between(tenantId, s, 0, 9e12)),
          )
        ).flat();
      await advance(89 * 24 * 3600 * 1000);
      assert.deepEqual(
        (await talliesOf()).map((r) => [r.serviceId, r.tally.offered, r.tally.abandoned]),
        [
          [HELPDESK, 1, 1],
          [null, 1, 1],
        ],
        'counted by the tenant’s jobs, and kept till then',
      );
      assert.equal((await call(ALEX, 'GET', `/tasks/${t}`)).status, 200);
      assert.ok((await historyOf()) >= 3, 'created, offered, withdrawn, canceled: kept till then');
      // Both stay until the purge (the cancel's mark for Megan goes once her card is drawn).
      const kept = await cardsOf();
      assert.ok(kept.includes(`card ${MEGAN}`), kept.join());
      assert.ok(kept.includes(`waiting ${ADELE}`), kept.join());
      await advance(2 * 24 * 3600 * 1000);
      assert.equal((await call(ALEX, 'GET', `/tasks/${t}`)).status, 404);
      assert.deepEqual(await cardsOf(), []);
      assert.equal(await historyOf(), 0, 'its history goes with it');
      assert.deepEqual(await talliesOf(), [], 'and its quarter of reporting');
      assert.deepEqual(
        (await stores.userStates.all(tenantId)).filter((r) => r.step.at <= lastEarly),
        [],
        'people’s states of that time too',
      );
      assert.deepEqual(
        await stores.stateTimes.days(tenantId, asServiceId(HELPDESK), 0, lastEarly - 86_400_000),
        [],
        'and the days of time counted from them',
      );
      const again = await newTask('same id, new task', { externalId: 'crm-1' });
      assert.equal(again.status, 201, JSON.stringify(again.body));
      assert.notEqual(again.body.taskId, t);
    });

    it('after a restart, a timer that came due meanwhile still fires and no task is lost', async () => {
      const t = (await newTask('survives')).body.taskId;
      await app.stop();
      app = await startTestApp({ SEED: 'demo', CLOCK: 'manual', TABLE_PREFIX: app.prefix });
      tokens.clear();
      assert.deepEqual((await task(t)).offeredTo, [MEGAN]);
      await advance(31_000);
      assert.deepEqual((await task(t)).offeredTo, [ADELE]);
    });
  });
});
