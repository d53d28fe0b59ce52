import { strict as assert } from 'node:assert';
import { DEMO } from '../../core/app/demo-tenant.js';
import { startTestApp, type TestApp } from '../../test/app-harness.js';
import { PEOPLE } from '../../test/demo-people.js';

const T = DEMO.tenant.id;
const { ALEX, NESTOR, MEGAN, ADELE, ISAIAH } = PEOPLE;
const team = {
  teamId: '19:support-line@thread.tacv2',
  teamName: 'Support Line',
  members: [MEGAN, ADELE, ISAIAH],
};

describe('provisioning and tenant administration through the API', () => {
  let app: TestApp;
  let system: string;
  const as = (userId: string) => app.token({ tenantId: T, userId });
  const setPolicy = async (policy: string) =>
    app.call('PATCH', `/tenants/${T}/settings`, {
      token: await as(ALEX),
      body: { provisioning: { policy } },
    });
  const provision = async (userId: string, body: object = team) =>
    app.call('POST', `/tenants/${T}/services:provision`, { token: await as(userId), body });
  const advancedUsed = async () =>
    (await app.call('GET', `/tenants/${T}/licenses`, { token: await as(ALEX) })).body.pools.find(
      (p: { license: string }) => p.license === 'AdvancedRouting',
    ).used;

  beforeEach(async () => {
    app = await startTestApp({ SEED: 'demo' });
    system = await app.token({ system: true });
  });
  afterEach(() => app.stop());

  describe('services:provision', () => {
    it('provisions a team: Teams-based, Advanced Routing, default OU, requester owner, members Active', async () => {
      const before = await advancedUsed();
      const reply = await provision(MEGAN);
      assert.equal(reply.status, 201, JSON.stringify(reply.body));
      assert.deepEqual(
        [reply.body.assignmentType, reply.body.license, reply.body.ouId],
        ['TeamsBased', 'AdvancedRouting', DEMO.defaultOuId],
      );
      assert.equal(await advancedUsed(), before + 1);
      const service = (
        await app.call('GET', `/tenants/${T}/services/${reply.body.serviceId}`, {
          token: await as(MEGAN),
        })
      ).body;
      assert.deepEqual(service.ouPath, [
        { ouId: 'ou-contoso', name: 'Contoso' },
        { ouId: DEMO.defaultOuId, name: 'Support' },
      ]);
      const roles = Object.fromEntries(
        service.members.map((m: { userId: string; role: string; active: boolean }) => [
          m.userId,
          `${m.role}/${m.active}`,
        ]),
      );
      assert.deepEqual(roles, {
        [MEGAN]: 'Owner/true',
        [ADELE]: 'Member/true',
        [ISAIAH]: 'Member/true',
      });
    });

    it('gives the requester the default owner role of the tenant', async () => {
      await app.call('PATCH', `/tenants/${T}/settings`, {
        token: await as(ALEX),
        body: { provisioning: { defaultOwnerRole: 'TeamOwnerLimited' } },
      });
      const reply = await provision(MEGAN);
      const service = (
        await app.call('GET', `/tenants/${T}/services/${reply.body.serviceId}`, {
          token: await as(MEGAN),
        })
      ).body;
      assert.equal(
        service.members.find((m: { userId: string }) => m.userId === MEGAN).role,
        'OwnerLimited',
      );
    });

    it('a second request for the same team takes no second license', async () => {
      const first = await provision(MEGAN);
      const used = await advancedUsed();
      const again = await provision(MEGAN);
      assert.equal(again.status, 200);
      assert.equal(again.body.alreadyProvisioned, true);
      assert.equal(again.body.serviceId, first.body.serviceId);
      assert.equal(await advancedUsed(), used);
    });

    it('two simultaneous requests for one team make one service and take one license', async () => {
      const used = await advancedUsed();
      const replies = await Promise.all([provision(MEGAN), provision(MEGAN), provision(MEGAN)]);
      assert.deepEqual(replies.map((r) => r.status).sort(), [200, 200, 201]);
      assert.equal(await advancedUsed(), used + 1);
    });

    const policies: [string, string, number, RegExp?][] = [
      ['Everyone', MEGAN, 201],
      [
        'TenantAndOuAdmins',
        MEGAN,
        409,
        /Only tenant admins and OU admins may provision services in this tenant/,
      ],
      ['TenantAndOuAdmins', NESTOR, 201],
      ['TenantAdmins', NESTOR, 409, /Only tenant admins may provision services in this tenant/],
      ['TenantAdmins', ALEX, 201],
      ['NoOne', ALEX, 409, /switched off/],
    ];
    for (const [policy, who, status, message] of policies) {
      it(`policy ${policy}: ${DEMO.users.find((u) => u.id === who)?.displayName} gets ${status}`, async () => {
        await setPolicy(policy);
        const reply = await provision(who);
        assert.equal(reply.status, status, JSON.stringify(reply.body));
        if (message) {
          assert.equal(reply.body.error.code, 'policy_denied');
          assert.match(reply.body.error.message, message);
        }
      });
    }

    it('refuses when no Advanced Routing license is left, with the counts', async () => {
      const used = await advancedUsed();
      await app.call('PUT', `/tenants/${T}/contingency`, {
        token: system,
        body: { AdvancedRouting: used },
      });
      const reply = await provision(MEGAN);
      assert.equal(reply.status, 409);
      assert.equal(reply.body.error.code, 'license_exhausted');
      assert.equal(
        reply.body.error.message,
        `No Advanced Routing license left: ${used} of ${used} in use.`,
      );
    });

    it('refuses members the directory does not know', async () => {
      const reply = await provision(MEGAN, { ...team, members: [ADELE, 'ghost-user'] });
      assert.equal(reply.status, 400);
      assert.match(reply.body.error.message, /ghost-user is not a user of this tenant/);
    });
  });

  describe('admin-created services', () => {
    it('Skill-based takes a Contact Center license, None an Advanced Routing one, whatever the policy', async () => {
      await setPolicy('NoOne');
      const skill = await app.call('POST', `/tenants/${T}/services`, {
        token: await as(ALEX),
        body: { name: 'Escalations', assignmentType: 'SkillBased', ouId: 'ou-sales' },
      });
      assert.equal(skill.status, 201, JSON.stringify(skill.body));
      assert.equal(skill.body.license, 'ContactCenter');
      const ivr = await app.call('POST', `/tenants/${T}/services`, {
        token: await as(NESTOR),
        body: { name: 'Main IVR', assignmentType: 'None', ouId: 'ou-support' },
      });
      assert.equal(ivr.body.license, 'AdvancedRouting');
    });

    it('an OU admin creates services in its own OU only; a member none', async () => {
      const outside = await app.call('POST', `/tenants/${T}/services`, {
        token: await as(NESTOR),
        body: { name: 'X', assignmentType: 'None', ouId: 'ou-sales' },
      });
      assert.equal(outside.status, 403);
      const member = await app.call('POST', `/tenants/${T}/services`, {
        token: await as(ADELE),
        body: { name: 'X', assignmentType: 'None', ouId: 'ou-support' },
      });
      assert.equal(member.status, 403);
    });

    it('a service without users (None) cannot call out as the service', async () => {
      const ivr = await app.call('POST', `/tenants/${T}/services`, {
        token: await as(ALEX),
        body: { name: 'IVR', assignmentType: 'None', ouId: 'ou-support' },
      });
      await app.call('PUT', `/tenants/${T}/services/${ivr.body.serviceId}/license`, {
        token: await as(ALEX),
        body: { license: 'EnterpriseRouting' },
      });
      const reply = await app.call(
        'PATCH',
        `/tenants/${T}/services/${ivr.body.serviceId}/settings`,
        { token: await as(ALEX), body: { distribution: { outboundServiceCall: true } } },
      );
      assert.equal(reply.status, 400);
      assert.deepEqual(
        reply.body.error.details.map((d: { field: string }) => d.field),
        ['distribution.outboundServiceCall'],
      );
    });

    it('a third Contact Center service finds the pool empty', async () => {
      await app.call('POST', `/tenants/${T}/services`, {
        token: await as(ALEX),
        body: { name: 'A', assignmentType: 'SkillBased', ouId: 'ou-sales' },
      });
      const third = await app.call('POST', `/tenants/${T}/services`, {
        token: await as(ALEX),
        body: { name: 'B', assignmentType: 'SkillBased', ouId: 'ou-sales' },
      });
      assert.equal(third.body.error.code, 'license_exhausted');
    });
  });

  describe('tenant settings', () => {
    it('a PATCH with bad fields lists each and changes nothing', async () => {
      const before = await app.snapshot(T);
      const reply = await app.call('PATCH', `/tenants/${T}/settings`, {
        token: await as(ALEX),
        body: {
          contact: { phone: '079 555 01 00', email: 'ops@contoso.com' },
          modalities: { maxIm: 51, maxEmail: 150 },
        },
      });
      assert.equal(reply.status, 400);
      assert.deepEqual(reply.body.error.details.map((d: { field: string }) => d.field).sort(), [
        'contact.phone',
        'modalities.maxIm',
      ]);
      assert.deepEqual(await app.snapshot(T), before);
    });

    it('saves a valid PATCH and keeps the other sections', async () => {
      const reply = await app.call('PATCH', `/tenants/${T}/settings`, {
        token: await as(ALEX),
        body: { contact: { phone: '+41445550100' }, modalities: { maxEmail: 200 } },
      });
      assert.equal(reply.status, 200);
      const settings = (await app.call('GET', `/tenants/${T}/settings`, { token: await as(ALEX) }))
        .body;
      assert.equal(settings.contact.phone, '+41445550100');
      assert.equal(settings.modalities.maxEmail, 200);
      assert.equal(settings.modalities.maxIm, 20);
      assert.equal(settings.provisioning.defaultOuId, DEMO.defaultOuId);
    });

    it('refuses a default OU that does not exist, and operator-only fields from a tenant admin', async () => {
      const ou = await app.call('PATCH', `/tenants/${T}/settings`, {
        token: await as(ALEX),
        body: { provisioning: { defaultOuId: 'ou-nowhere' } },
      });
      assert.equal(ou.body.error.details[0].field, 'provisioning.defaultOuId');
      const pii = await app.call('PATCH', `/tenants/${T}/settings`, {
        token: await as(ALEX),
        body: { dataPrivacy: { sharePii: true } },
      });
      assert.equal(pii.status, 403);
      assert.equal(
        (
          await app.call('PATCH', `/tenants/${T}/settings`, {
            token: system,
            body: { dataPrivacy: { sharePii: true } },
          })
        ).status,
        200,
      );
    });

    it('is for tenant admins only', async () => {
      assert.equal(
        (await app.call('GET', `/tenants/${T}/settings`, { token: await as(NESTOR) })).status,
        403,
      );
    });
  });

  describe('organization units', () => {
    it('deleting the default provisioning OU moves the default one level up', async () => {
      const admin = await as(ALEX);
      await app.call('PUT', `/tenants/${T}/ous/ou-emea`, {
        token: admin,
        body: { name: 'EMEA', parentId: 'ou-support' },
      });
      await app.call('PATCH', `/tenants/${T}/settings`, {
        token: admin,
        body: { provisioning: { defaultOuId: 'ou-emea' } },
      });
      const reply = await app.call('DELETE', `/tenants/${T}/ous/ou-emea`, { token: admin });
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
      assert.equal(
        (await app.call('GET', `/tenants/${T}/settings`, { token: admin })).body.provisioning
          .defaultOuId,
        'ou-support',
      );
    });

    it('refuses deleting an OU that still has people', async () => {
      const reply = await app.call('DELETE', `/tenants/${T}/ous/ou-sales`, {
        token: await as(ALEX),
      });
      assert.equal(reply.status, 400);
      assert.match(reply.body.error.message, /user/);
    });
  });

  describe('deleting the tenant', () => {
    it('needs the typed YES, then marks services pending deletion and stops users', async () => {
      const wrong = await app.call('POST', `/tenants/${T}/deletion`, {
        token: system,
        body: { confirm: 'yes' },
      });
      assert.equal(wrong.status, 400);
      assert.equal(
        (
          await app.call('POST', `/tenants/${T}/deletion`, {
            token: await as(ALEX),
            body: { confirm: 'YES' },
          })
        ).status,
        403,
      );
      const done = await app.call('POST', `/tenants/${T}/deletion`, {
        token: system,
        body: { confirm: 'YES' },
      });
      assert.equal(done.body.pendingDeletion, true);
      const service = await app.call('GET', `/tenants/${T}/services/svc-it-helpdesk`, {
        token: system,
      });
      assert.equal(service.body.state, 'PendingDeletion');
      const list = await app.call('GET', `/tenants/${T}/services`, { token: system });
      assert.deepEqual(
        [...new Set(list.body.map((s: { state: string }) => s.state))],
        ['PendingDeletion'],
        'the list agrees with each service',
      );
      assert.equal(
        (await app.call('GET', `/tenants/${T}/services`, { token: await as(MEGAN) })).body.error
          .code,
        'tenant_inactive',
      );
    });
  });

  describe('deleting a service', () => {
    const HELPDESK = `/tenants/${T}/services/svc-it-helpdesk`;
    it('asks to confirm canceling open tasks (409, nothing changed), refuses a bad body (400), then deletes and frees the license', async () => {
      const alex = await as(ALEX);
      const task = await app.call('POST', `${HELPDESK}/tasks`, {
        token: system,
        body: { modality: 'Call', subject: 'Printer on fire' },
      });
      assert.equal(task.status, 201);
      const before = await advancedUsed();
      const asked = await app.call('DELETE', HELPDESK, { token: alex });
      assert.equal(asked.status, 409);
      assert.equal(asked.body.error.code, 'confirmation_required');
      assert.match(
        asked.body.error.message,
        /IT Helpdesk has 1 waiting task and 0 in someone’s hands/,
      );
      const bad = await app.call('DELETE', HELPDESK, {
        token: alex,
        body: { cancelOpenTasks: 'yes' },
      });
      assert.equal(bad.status, 400);
      assert.equal(
        (
          await app.call('DELETE', HELPDESK, {
            token: await as(MEGAN),
            body: { cancelOpenTasks: true },
          })
        ).status,
        403,
        'an owner may not',
      );
      assert.equal((await app.call('GET', HELPDESK, { token: alex })).body.state, 'Active');
      assert.equal(await advancedUsed(), before);

      const deleted = await app.call('DELETE', HELPDESK, {
        token: alex,
        body: { cancelOpenTasks: true },
      });
      assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
      assert.deepEqual(deleted.body, {
        serviceId: 'svc-it-helpdesk',
        license: 'AdvancedRouting',
        canceled: 1,
        ended: 0,
      });
      assert.equal(await advancedUsed(), before - 1);
      assert.equal((await app.call('GET', HELPDESK, { token: alex })).status, 404);
      const mine = await app.call('GET', '/me/services', { token: await as(ADELE) });
      assert.ok(!JSON.stringify(mine.body).includes('svc-it-helpdesk'), 'gone for its members');
      assert.equal((await app.call('DELETE', HELPDESK, { token: alex })).status, 404);
    });
  });

  describe('the list of services', () => {
    it('gives each service its OU path, members, Active members and waiting tasks, as an admin sees them', async () => {
      const alex = await as(ALEX);
      await app.call('PUT', `/me/services/svc-it-helpdesk/active`, {
        token: await as(ISAIAH),
        body: { active: false },
      });
      for (const subject of ['Printer on fire', 'VPN down'])
        await app.call('POST', `/tenants/${T}/services/svc-it-helpdesk/tasks`, {
          token: system,
          body: { modality: 'Call', subject },
        });
      const list = await app.call('GET', `/tenants/${T}/services`, { token: alex });
      const helpdesk = list.body.find(
        (s: { serviceId: string }) => s.serviceId === 'svc-it-helpdesk',
      );
      assert.deepEqual(
        [helpdesk.members, helpdesk.activeMembers, helpdesk.waiting, helpdesk.state],
        [3, 2, 2, 'Active'],
      );
      const own = await app.call('GET', `/tenants/${T}/services/svc-it-helpdesk`, { token: alex });
      assert.deepEqual(helpdesk.ouPath, own.body.ouPath, 'as the service’s own page says');
    });
  });

  describe('member roles', () => {
    const ROLE = (userId: string) =>
      `/tenants/${T}/services/svc-it-helpdesk/members/${userId}/role`;
    it('an owner makes a member an owner (200); a member may not (403); a role the API lacks is 400', async () => {
      const made = await app.call('PUT', ROLE(ADELE), {
        token: await as(MEGAN),
        body: { role: 'Owner' },
      });
      assert.equal(made.status, 200, JSON.stringify(made.body));
      assert.equal(made.body.role, 'Owner');
      assert.equal(
        (await app.call('PUT', ROLE(ADELE), { token: await as(ISAIAH), body: { role: 'Member' } }))
          .status,
        403,
      );
      assert.equal(
        (await app.call('PUT', ROLE(ADELE), { token: await as(MEGAN), body: { role: 'King' } }))
          .status,
        400,
      );
      const service = await app.call('GET', `/tenants/${T}/services/svc-it-helpdesk`, {
        token: await as(ALEX),
      });
      const adele = service.body.members.find((m: { userId: string }) => m.userId === ADELE);
      assert.equal(adele.role, 'Owner');
    });
  });
});
