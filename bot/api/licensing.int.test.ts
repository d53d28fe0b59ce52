import { strict as assert } from 'node:assert';
import { DEMO } from '../../core/app/demo-tenant.js';
import { startTestApp, type TestApp } from '../../test/app-harness.js';

const T = DEMO.tenant.id;
const person = (name: string) => {
  const found = DEMO.users.find((u) => u.displayName.startsWith(name));
  if (!found) throw new Error(name);
  return found.id;
};
const ALEX = person('Alex'); // tenant admin, root OU
const NESTOR = person('Nestor'); // OU admin of Support
const MEGAN = person('Megan'); // owner of IT Helpdesk (Support)
const ADELE = person('Adele'); // member of IT Helpdesk
const PATTI = person('Patti'); // Contact Center agent in Sales (VIP Sales)

describe('licensing and administration through the API', () => {
  let app: TestApp;
  const tokens: Record<string, string> = {};
  const as = async (userId: string) =>
    (tokens[userId] ??= await app.token({ tenantId: T, userId }));
  let system: string;

  beforeEach(async () => {
    app = await startTestApp({ SEED: 'demo' });
    for (const key of Object.keys(tokens)) delete tokens[key];
    system = await app.token({ system: true });
  });
  afterEach(() => app.stop());

  const pool = async (license: string) => {
    const body = (await app.call('GET', `/tenants/${T}/licenses`, { token: await as(ALEX) })).body;
    return body.pools.find((p: { license: string }) => p.license === license);
  };
  const changes = async (userId: string, list: unknown[], confirmIrreversible = false) =>
    app.call('POST', `/tenants/${T}/licenses/changes`, {
      token: await as(userId),
      body: { changes: list, confirmIrreversible },
    });

  describe('tenant state', () => {
    for (const state of ['Suspended', 'Expired', 'Canceled']) {
      it(`${state}: users are refused with tenant_inactive, data stays, and Active restores it`, async () => {
        const before = await app.snapshot(T);
        assert.equal(
          (
            await app.call('PUT', `/tenants/${T}`, {
              token: system,
              body: { name: DEMO.tenant.name, state },
            })
          ).status,
          200,
        );
        for (const [method, path] of [
          ['GET', `/tenants/${T}/services`],
          ['GET', `/tenants/${T}/licenses`],
        ] as const) {
          const reply = await app.call(method, path, { token: await as(ALEX) });
          assert.equal(reply.status, 409);
          assert.equal(reply.body.error.code, 'tenant_inactive');
        }
        const provision = await app.call('POST', `/tenants/${T}/services:provision`, {
          token: await as(MEGAN),
          body: { teamId: 't1', teamName: 'X', members: [] },
        });
        assert.equal(provision.body.error.code, 'tenant_inactive');
        await app.call('PUT', `/tenants/${T}`, {
          token: system,
          body: { name: DEMO.tenant.name, state: 'Active' },
        });
        assert.deepEqual(await app.snapshot(T), before, 'nothing was lost or changed');
        assert.equal(
          (await app.call('GET', `/tenants/${T}/services`, { token: await as(ALEX) })).status,
          200,
        );
      });
    }
  });

  describe('roles and scope', () => {
    it('an OU admin assigns user licenses inside its OU only, and never service licenses', async () => {
      assert.equal(
        (await changes(NESTOR, [{ op: 'assign', license: 'AttendantConsole', userId: MEGAN }]))
          .status,
        200,
      );
      const outside = await changes(NESTOR, [
        { op: 'assign', license: 'AttendantConsole', userId: PATTI },
      ]);
      assert.equal(outside.status, 403);
      const service = await changes(NESTOR, [
        { op: 'assign', license: 'EnterpriseRouting', serviceId: 'svc-it-helpdesk' },
      ]);
      assert.equal(service.status, 403);
      assert.match(service.body.error.message, /tenant admins/);
    });

    it('members see no licenses; unknown users and other tenants are refused', async () => {
      assert.equal(
        (await app.call('GET', `/tenants/${T}/licenses`, { token: await as(ADELE) })).status,
        403,
      );
      assert.equal(
        (await app.call('GET', `/tenants/${T}/services`, { token: await as('stranger-1') })).status,
        403,
      );
      const other = await app.token({ tenantId: 'tenant-elsewhere', userId: ALEX });
      assert.equal((await app.call('GET', `/tenants/${T}/licenses`, { token: other })).status, 403);
    });

    it("the tenant's admin security group makes its members tenant admins", async () => {
      const group = '7e57a000-0000-4000-8000-000000000001';
      await app.call('PATCH', `/tenants/${T}/settings`, {
        token: await as(ALEX),
        body: { general: { tenantAdminGroupId: group } },
      });
      const outsider = await app.token({
        tenantId: T,
        userId: 'not-in-directory',
        groups: [group],
      });
      assert.equal(
        (await app.call('GET', `/tenants/${T}/settings`, { token: outsider })).status,
        200,
      );
      const other = await app.token({
        tenantId: T,
        userId: 'not-in-directory',
        groups: ['11111111-0000-4000-8000-000000000000'],
      });
      assert.equal((await app.call('GET', `/tenants/${T}/settings`, { token: other })).status, 403);
    });
  });

  describe('pools', () => {
    it('assign takes one, remove gives it back', async () => {
      const before = (await pool('AttendantConsole')).used;
      assert.equal(
        (await changes(ALEX, [{ op: 'assign', license: 'AttendantConsole', userId: ADELE }]))
          .status,
        200,
      );
      assert.equal((await pool('AttendantConsole')).used, before + 1);
      assert.equal(
        (await changes(ALEX, [{ op: 'remove', license: 'AttendantConsole', userId: ADELE }]))
          .status,
        200,
      );
      assert.equal((await pool('AttendantConsole')).used, before);
    });

    it('refuses more than the pool holds, all or nothing', async () => {
      await app.call('PUT', `/tenants/${T}/contingency`, { token: system, body: { Companion: 1 } });
      const reply = await changes(ALEX, [
        { op: 'assign', license: 'Companion', userId: ADELE },
        { op: 'assign', license: 'Companion', userId: MEGAN },
      ]);
      assert.equal(reply.status, 409);
      assert.equal(reply.body.error.code, 'license_exhausted');
      assert.equal((await pool('Companion')).used, 0);
    });

    it('only the system operator sets the contingency, never below what is in use', async () => {
      assert.equal(
        (
          await app.call('PUT', `/tenants/${T}/contingency`, {
            token: await as(ALEX),
            body: { Interact: 50 },
          })
        ).status,
        403,
      );
      const below = await app.call('PUT', `/tenants/${T}/contingency`, {
        token: system,
        body: { ContactCenterUser: 1 },
      });
      assert.equal(below.status, 400);
      assert.match(below.body.error.message, /2 are assigned/);
    });
  });

  describe('service licenses, gating and downgrades', () => {
    const helpdesk = `/tenants/${T}/services/svc-it-helpdesk`;

    it('refuses a gated setting with license_required naming the license, and allows it after an upgrade', async () => {
      const gated = await app.call('PATCH', `${helpdesk}/settings`, {
        token: await as(MEGAN),
        body: { distribution: { acw: { enabled: true } } },
      });
      assert.equal(gated.status, 409);
      assert.equal(gated.body.error.code, 'license_required');
      assert.equal(gated.body.error.details.license, 'ContactCenter');
      const upgrade = await app.call('PUT', `${helpdesk}/license`, {
        token: await as(ALEX),
        body: { license: 'ContactCenter' },
      });
      assert.equal(upgrade.status, 200, JSON.stringify(upgrade.body));
      const ok = await app.call('PATCH', `${helpdesk}/settings`, {
        token: await as(MEGAN),
        body: { distribution: { acw: { enabled: true } } },
      });
      assert.equal(ok.status, 200);
      assert.equal(ok.body.settings.distribution.acw.enabled, true);
    });

    it('refuses a downgrade while ACW is on, saying where to switch it off; allows it after', async () => {
      await app.call('PUT', `${helpdesk}/license`, {
        token: await as(ALEX),
        body: { license: 'ContactCenter' },
      });
      await app.call('PATCH', `${helpdesk}/settings`, {
        token: await as(MEGAN),
        body: { distribution: { acw: { enabled: true }, priority: 'High' } },
      });
      const blocked = await app.call('PUT', `${helpdesk}/license`, {
        token: await as(ALEX),
        body: { license: 'AdvancedRouting' },
      });
      assert.equal(blocked.status, 409);
      assert.equal(blocked.body.error.code, 'downgrade_blocked');
      const messages = blocked.body.error.details.map((b: { message: string }) => b.message);
      assert.ok(
        messages.includes('ACW is enabled in service IT Helpdesk distribution settings'),
        messages.join('; '),
      );
      assert.equal(messages.length, 2);
      await app.call('PATCH', `${helpdesk}/settings`, {
        token: await as(MEGAN),
        body: { distribution: { acw: { enabled: false }, priority: 'Normal' } },
      });
      assert.equal(
        (
          await app.call('PUT', `${helpdesk}/license`, {
            token: await as(ALEX),
            body: { license: 'AdvancedRouting' },
          })
        ).status,
        200,
      );
      assert.equal(
        (await pool('ContactCenter')).used,
        1,
        'only VIP Sales holds Contact Center again',
      );
    });

    it('lets no owner change a service license', async () => {
      const reply = await app.call('PUT', `${helpdesk}/license`, {
        token: await as(MEGAN),
        body: { license: 'EnterpriseRouting' },
      });
      assert.equal(reply.status, 403);
    });

    it('shows which features the license allows, for the settings page', async () => {
      const body = (await app.call('GET', helpdesk, { token: await as(MEGAN) })).body;
      const acw = body.features.find((f: { feature: string }) => f.feature === 'acw');
      assert.deepEqual([acw.allowed, acw.license], [false, 'ContactCenter']);
      assert.match(body.locked.assignmentType, /provisioned/);
    });
  });

  describe('Contact Center user license removal', () => {
    it('needs confirmIrreversible, then removes skills and skill-based assignments', async () => {
      const change = [{ op: 'remove', license: 'ContactCenterUser', userId: PATTI }];
      const unconfirmed = await changes(ALEX, change);
      assert.equal(unconfirmed.status, 409);
      assert.equal(unconfirmed.body.error.code, 'confirmation_required');
      const confirmed = await changes(ALEX, change, true);
      assert.equal(confirmed.status, 200);
      assert.deepEqual(confirmed.body.users[0].skills, {});
      assert.deepEqual(confirmed.body.removedAssignments, [
        { serviceId: 'svc-vip-sales', userId: PATTI },
      ]);
      const vip = (
        await app.call('GET', `/tenants/${T}/services/svc-vip-sales`, { token: await as(ALEX) })
      ).body;
      assert.ok(!vip.members.some((m: { userId: string }) => m.userId === PATTI));
    });

    it('skills need the license', async () => {
      const reply = await app.call('PUT', `/tenants/${T}/users/${ADELE}/skills`, {
        token: await as(ALEX),
        body: { skills: { english: 50 } },
      });
      assert.equal(reply.status, 409);
      assert.equal(reply.body.error.details.license, 'ContactCenterUser');
      const ok = await app.call('PUT', `/tenants/${T}/users/${PATTI}/skills`, {
        token: await as(ALEX),
        body: { skills: { french: 60 } },
      });
      assert.deepEqual(ok.body.skills, { french: 60 });
    });
  });

  describe('user assignment type', () => {
    it('refuses Teams-based -> None with the reason', async () => {
      const reply = await app.call('PUT', `/tenants/${T}/services/svc-it-helpdesk/assignmentType`, {
        token: await as(ALEX),
        body: { assignmentType: 'None' },
      });
      assert.equal(reply.status, 409);
      assert.match(reply.body.error.message, /tied to its team/);
    });

    it('allows Skill-based -> None (users leave) and back with Contact Center', async () => {
      const path = `/tenants/${T}/services/svc-vip-sales/assignmentType`;
      const none = await app.call('PUT', path, {
        token: await as(ALEX),
        body: { assignmentType: 'None' },
      });
      assert.equal(none.body.assignmentType, 'None');
      assert.deepEqual(
        (await app.call('GET', `/tenants/${T}/services/svc-vip-sales`, { token: await as(ALEX) }))
          .body.members,
        [],
      );
      const back = await app.call('PUT', path, {
        token: await as(ALEX),
        body: { assignmentType: 'SkillBased' },
      });
      assert.equal(back.body.assignmentType, 'SkillBased');
    });
  });
});
