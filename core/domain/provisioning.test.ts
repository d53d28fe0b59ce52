import { strict as assert } from 'node:assert';
import {
  aPool,
  aTenant,
  anOuAdmin,
  aPerson,
  aTenantAdmin,
  NOW,
  system,
} from '../../test/builders.js';
import type { Actor } from './actor.js';
import { asOrgUnitId, asServiceId, asUserId } from './ids.js';
import { decideProvisioning, policyAdmits } from './provisioning.js';
import {
  DEFAULT_TENANT_SETTINGS,
  type ProvisioningPolicy,
  type TenantSettings,
} from './tenant-settings.js';
import type { TenantState } from './tenant.js';

const request = {
  serviceId: asServiceId('svc-1'),
  teamId: '19:abc@thread',
  teamName: 'Support Line',
  members: [asUserId('ann'), asUserId('bob'), asUserId('person')],
};

function withProvisioning(over: Partial<TenantSettings['provisioning']>): TenantSettings {
  return {
    ...DEFAULT_TENANT_SETTINGS,
    provisioning: { ...DEFAULT_TENANT_SETTINGS.provisioning, ...over },
  };
}

function provision(
  over: {
    state?: TenantState;
    policy?: ProvisioningPolicy;
    actor?: Actor;
    free?: number;
    ownerRole?: 'TeamOwner' | 'TeamOwnerLimited';
    newUsersActive?: boolean;
  } = {},
) {
  const tenant = aTenant({
    state: over.state ?? 'Active',
    settings: withProvisioning({
      policy: over.policy ?? 'Everyone',
      defaultOwnerRole: over.ownerRole ?? 'TeamOwner',
    }),
  });
  const free = over.free ?? 3;
  const pool = aPool('AdvancedRouting', 3, 3 - free);
  return decideProvisioning(
    { tenant, actor: over.actor ?? aPerson(), pool, defaultOuId: asOrgUnitId('support'), request },
    NOW,
  );
}

describe('policyAdmits', () => {
  const actors: [string, Actor][] = [
    ['tenant admin', aTenantAdmin()],
    ['OU admin', anOuAdmin('sales')],
    ['team owner', aPerson()],
  ];
  const table: Record<ProvisioningPolicy, boolean[]> = {
    Everyone: [true, true, true],
    TenantAndOuAdmins: [true, true, false],
    TenantAdmins: [true, false, false],
    NoOne: [false, false, false],
  };
  for (const [policy, expected] of Object.entries(table) as [ProvisioningPolicy, boolean[]][]) {
    actors.forEach(([name, actor], i) => {
      it(`${policy}: ${name} ${expected[i] ? 'may' : 'may not'} provision`, () =>
        assert.equal(policyAdmits(policy, actor), expected[i]));
    });
  }
  it('never admits the system operator (provisioning happens as a Teams user)', () =>
    assert.equal(policyAdmits('Everyone', system), false));
});

describe('decideProvisioning', () => {
  it('creates a Teams-based Advanced Routing service in the default OU and takes one license', () => {
    const d = provision();
    assert.ok(d.ok);
    const { service, pool } = d.value;
    assert.equal(service.assignmentType, 'TeamsBased');
    assert.equal(service.license, 'AdvancedRouting');
    assert.equal(service.ouId, 'support');
    assert.equal(service.teamId, '19:abc@thread');
    assert.equal(service.name, 'Support Line');
    assert.equal(pool.used, 1);
  });

  it('makes the requester owner with the tenant default role, and the team members members', () => {
    for (const [role, expected] of [
      ['TeamOwner', 'Owner'],
      ['TeamOwnerLimited', 'OwnerLimited'],
    ] as const) {
      const d = provision({ ownerRole: role });
      assert.ok(d.ok);
      const byUser = Object.fromEntries(d.value.memberships.map((m) => [m.userId, m.role]));
      assert.deepEqual(byUser, { person: expected, ann: 'Member', bob: 'Member' });
    }
  });

  it('adds members Active per "new users immediately active"', () => {
    const d = provision();
    assert.ok(d.ok);
    assert.ok(
      d.value.memberships.every(
        (m) => m.active === d.value.service.settings.distribution.newUsersActive,
      ),
    );
  });

  const refusals: [string, Parameters<typeof provision>[0], string, RegExp][] = [
    ['a suspended tenant', { state: 'Suspended' }, 'tenant_inactive', /suspended/],
    ['an expired tenant', { state: 'Expired' }, 'tenant_inactive', /expired/],
    ['a canceled tenant', { state: 'Canceled' }, 'tenant_inactive', /canceled/],
    [
      'policy Tenant Admins, asked by an owner',
      { policy: 'TenantAdmins' },
      'policy_denied',
      /Only tenant admins may provision services in this tenant/,
    ],
    [
      'policy Tenant & OU Admins, asked by an owner',
      { policy: 'TenantAndOuAdmins' },
      'policy_denied',
      /tenant admins and OU admins/,
    ],
    [
      'policy No one, asked by a tenant admin',
      { policy: 'NoOne', actor: aTenantAdmin() },
      'policy_denied',
      /switched off/,
    ],
    [
      'no Advanced Routing license left',
      { free: 0 },
      'license_exhausted',
      /No Advanced Routing license left: 3 of 3 in use/,
    ],
  ];
  for (const [name, over, code, message] of refusals) {
    it(`refuses ${name} (${code}) and says why`, () => {
      const d = provision(over);
      assert.ok(!d.ok);
      assert.equal(d.refusal.code, code);
      assert.match(d.refusal.message, message);
    });
  }

  for (const state of ['Active', 'Trial', 'Lab'] as const) {
    it(`works in a ${state} tenant`, () => assert.ok(provision({ state }).ok));
  }

  it('refuses while the tenant is pending deletion', () => {
    const tenant = aTenant({ deletionRequestedAt: NOW });
    const d = decideProvisioning(
      {
        tenant,
        actor: aPerson(),
        pool: aPool('AdvancedRouting', 3),
        defaultOuId: asOrgUnitId('x'),
        request,
      },
      NOW,
    );
    assert.ok(!d.ok && d.refusal.code === 'tenant_inactive');
  });
});
