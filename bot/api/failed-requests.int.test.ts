import { strict as assert } from 'node:assert';
import { DEMO } from '../../core/app/demo-tenant.js';
import { startTestApp, type TestApp } from '../../test/app-harness.js';
import { PEOPLE, demoUserId } from '../../test/demo-people.js';

const T = DEMO.tenant.id;
const { ALEX, NESTOR, MEGAN, ADELE, PATTI } = PEOPLE;

/** A user id, or 'system' / 'nobody' (no token). */
type Who = string;
type Case = [name: string, who: Who, method: string, path: string, body: unknown, status: number];

/** Requests that must fail, each leaving every row of the tenant exactly as it was. */
const CASES: Case[] = [
  [
    'no token',
    'nobody',
    'PUT',
    `/tenants/${T}/users/${ADELE}`,
    { displayName: 'X', ouId: 'ou-sales' },
    401,
  ],
  ['malformed JSON', ALEX, 'PATCH', `/tenants/${T}/settings`, '{"contact": {', 400],
  [
    'one bad settings field among good ones',
    ALEX,
    'PATCH',
    `/tenants/${T}/settings`,
    { contact: { name: 'Ops', phone: 'call me' } },
    400,
  ],
  [
    "the tenant's name among its settings (the operator names tenants)",
    ALEX,
    'PATCH',
    `/tenants/${T}/settings`,
    { general: { name: 'Renamed' } },
    400,
  ],
  [
    'an unknown field deep in a service setting',
    ALEX,
    'PATCH',
    `/tenants/${T}/services/svc-it-helpdesk/settings`,
    { distribution: { acw: { seconds: 30, unlimited: true } } },
    400,
  ],
  [
    'a settings PATCH by an OU admin',
    NESTOR,
    'PATCH',
    `/tenants/${T}/settings`,
    { contact: { name: 'Ops' } },
    403,
  ],
  [
    'a bulk with one impossible change',
    ALEX,
    'POST',
    `/tenants/${T}/licenses/changes`,
    {
      changes: [
        { op: 'assign', license: 'Interact', userId: ADELE },
        { op: 'remove', license: 'Interact', userId: MEGAN },
      ],
    },
    400,
  ],
  [
    'a bulk beyond the pool',
    ALEX,
    'POST',
    `/tenants/${T}/licenses/changes`,
    {
      changes: ['Alex', 'Nestor', 'Megan'].map((n) => ({
        op: 'assign',
        license: 'AttendantConsole',
        userId: demoUserId(n),
      })),
    },
    409,
  ],
  [
    'an OU admin touching a service license',
    NESTOR,
    'POST',
    `/tenants/${T}/licenses/changes`,
    {
      changes: [
        { op: 'assign', license: 'Interact', userId: MEGAN },
        { op: 'assign', license: 'EnterpriseRouting', serviceId: 'svc-it-helpdesk' },
      ],
    },
    403,
  ],
  [
    'an unconfirmed Contact Center removal',
    ALEX,
    'POST',
    `/tenants/${T}/licenses/changes`,
    { changes: [{ op: 'remove', license: 'ContactCenterUser', userId: PATTI }] },
    409,
  ],
  [
    'a gated setting',
    MEGAN,
    'PATCH',
    `/tenants/${T}/services/svc-it-helpdesk/settings`,
    { general: { name: 'Renamed' }, distribution: { priority: 'High' } },
    409,
  ],
  [
    'a distribution policy on a Teams-based service',
    ALEX,
    'PATCH',
    `/tenants/${T}/services/svc-it-helpdesk/settings`,
    { distribution: { policy: { requiredSkills: { en: 50 }, order: 'LongestIdle' } } },
    400,
  ],
  [
    'a blocked downgrade',
    ALEX,
    'PUT',
    `/tenants/${T}/services/svc-vip-sales/license`,
    { license: 'EnterpriseRouting' },
    409,
  ],
  [
    'a refused assignment type change',
    ALEX,
    'PUT',
    `/tenants/${T}/services/svc-it-helpdesk/assignmentType`,
    { assignmentType: 'SkillBased' },
    409,
  ],
  [
    'provisioning with an unknown member',
    MEGAN,
    'POST',
    `/tenants/${T}/services:provision`,
    { teamId: 'new-team', teamName: 'New', members: ['ghost'] },
    400,
  ],
  [
    'a member adding people',
    ADELE,
    'PUT',
    `/tenants/${T}/services/svc-it-helpdesk/members/${PATTI}`,
    { active: true },
    403,
  ],
  ['deleting a non-empty OU', ALEX, 'DELETE', `/tenants/${T}/ous/ou-support`, undefined, 400],
  [
    'a second root OU',
    ALEX,
    'PUT',
    `/tenants/${T}/ous/ou-new-root`,
    { name: 'Other', parentId: null },
    400,
  ],
  [
    'a contingency below usage',
    'system',
    'PUT',
    `/tenants/${T}/contingency`,
    { ContactCenter: 0, Interact: 9 },
    400,
  ],
  [
    'deleting the tenant without YES',
    'system',
    'POST',
    `/tenants/${T}/deletion`,
    { confirm: 'no' },
    400,
  ],
  [
    'skills without the license',
    ALEX,
    'PUT',
    `/tenants/${T}/users/${ADELE}/skills`,
    { skills: { en: 10 } },
    409,
  ],
  [
    'an agent without Contact Center in a skill-based service',
    ALEX,
    'PUT',
    `/tenants/${T}/services/svc-vip-sales/members/${ADELE}`,
    { active: true },
    409,
  ],
];

describe('a request that fails changes nothing', () => {
  let app: TestApp;
  let initial: Record<string, unknown>[];
  before(async () => {
    app = await startTestApp({ SEED: 'demo' });
    initial = await app.snapshot(T);
  });
  after(() => app.stop());

  for (const [name, who, method, path, body, status] of CASES) {
    it(`${name}: ${status}, storage untouched`, async () => {
      const token =
        who === 'nobody'
          ? undefined
          : await app.token(who === 'system' ? { system: true } : { tenantId: T, userId: who });
      const reply = await app.call(method, path, { token, body });
      assert.equal(reply.status, status, JSON.stringify(reply.body));
      assert.ok(reply.body.error.message, 'says why');
      assert.deepEqual(await app.snapshot(T), initial);
    });
  }
});
