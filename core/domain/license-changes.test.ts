import { strict as assert } from 'node:assert';
import { aMembership, aPool, aService, aUser } from '../../test/builders.js';
import { asServiceId, asUserId } from './ids.js';
import { applyLicenseChanges, type LicenseChange, type LicenseLedger } from './license-changes.js';
import type { License } from './license.js';
import { forbidden, type Refusal } from './refusal.js';

const user = (id: string, license: License, op: 'assign' | 'remove' = 'assign'): LicenseChange => ({
  op,
  license,
  target: { kind: 'user', id: asUserId(id) },
});
const service = (
  id: string,
  license: License,
  op: 'assign' | 'remove' = 'assign',
): LicenseChange => ({ op, license, target: { kind: 'service', id: asServiceId(id) } });

function aLedger(over: Partial<LicenseLedger> = {}): LicenseLedger {
  return {
    pools: new Map([
      ['Interact', aPool('Interact', 2, 1)],
      ['ContactCenterUser', aPool('ContactCenterUser', 5, 1)],
      ['AdvancedRouting', aPool('AdvancedRouting', 5, 2)],
      ['EnterpriseRouting', aPool('EnterpriseRouting', 1, 0)],
      ['ContactCenter', aPool('ContactCenter', 1, 0)],
      ['Email', aPool('Email', 0, 0)],
    ]),
    users: new Map([
      [asUserId('ann'), aUser('ann', { licenses: ['Interact'] })],
      [asUserId('bob'), aUser('bob')],
      [asUserId('cat'), aUser('cat', { licenses: ['ContactCenterUser'], skills: { english: 80 } })],
    ]),
    services: new Map([
      [asServiceId('hotline'), aService('hotline')],
      [asServiceId('sales'), aService('sales')],
      [
        asServiceId('vip'),
        aService('vip', { license: 'ContactCenter', assignmentType: 'SkillBased', teamId: null }),
      ],
    ]),
    memberships: [aMembership('vip', 'cat'), aMembership('hotline', 'cat')],
    ...over,
  };
}

const anyone = { confirmIrreversible: false, mayChange: () => null };
const refusalOf = (d: ReturnType<typeof applyLicenseChanges>): Refusal => {
  assert.ok(!d.ok, 'expected a refusal');
  return d.refusal;
};

describe('applyLicenseChanges', () => {
  it('given a free license, when assigned, then the pool counts one more and the user holds it', () => {
    const d = applyLicenseChanges(aLedger(), [user('bob', 'Interact')], anyone);
    assert.ok(d.ok);
    assert.deepEqual(
      d.value.pools.map((p) => [p.license, p.used]),
      [['Interact', 2]],
    );
    assert.deepEqual(d.value.users[0]?.licenses, ['Interact']);
  });

  it('given a removal, then the license returns to the pool', () => {
    const d = applyLicenseChanges(aLedger(), [user('ann', 'Interact', 'remove')], anyone);
    assert.ok(d.ok);
    assert.equal(d.value.pools[0]?.used, 0);
    assert.deepEqual(d.value.users[0]?.licenses, []);
  });

  it('never oversubscribes: a bulk that needs more than the pool holds changes nothing', () => {
    const refusal = refusalOf(
      applyLicenseChanges(aLedger(), [user('bob', 'Interact'), user('cat', 'Interact')], anyone),
    );
    assert.equal(refusal.code, 'license_exhausted');
    assert.deepEqual(refusal.code === 'license_exhausted' && refusal.details, {
      license: 'Interact',
      total: 2,
      used: 1,
    });
  });

  it('lets a bulk free a license and reuse it in the same save', () => {
    const d = applyLicenseChanges(
      aLedger(),
      [user('ann', 'Interact', 'remove'), user('bob', 'Interact'), user('cat', 'Interact')],
      anyone,
    );
    assert.ok(d.ok);
    assert.equal(d.value.pools.find((p) => p.license === 'Interact')?.used, 2);
  });

  it('refuses a pool of 0 (Email) as exhausted', () => {
    assert.equal(
      refusalOf(applyLicenseChanges(aLedger(), [user('bob', 'Email')], anyone)).code,
      'license_exhausted',
    );
  });

  const invalid: [string, LicenseChange[], RegExp][] = [
    ['assigning what the user holds', [user('ann', 'Interact')], /already holds/],
    ['removing what the user lacks', [user('bob', 'Interact', 'remove')], /does not hold/],
    ['an unknown user', [user('zed', 'Interact')], /not a user/],
    ['an unknown service', [service('nope', 'EnterpriseRouting')], /not a service/],
    ['a service license on a user', [user('bob', 'EnterpriseRouting')], /service license/],
    ['a user license on a service', [service('hotline', 'Interact')], /user license/],
    [
      'removing a service license',
      [service('hotline', 'AdvancedRouting', 'remove')],
      /exactly one service license/,
    ],
    ['the license a service has already', [service('hotline', 'AdvancedRouting')], /already has/],
    ['a virtual user license', [user('bob', 'VirtualUser')], /virtual users/],
    [
      'the same assignment twice in one bulk',
      [user('bob', 'Interact'), user('bob', 'Interact')],
      /already holds/,
    ],
  ];
  for (const [name, changes, message] of invalid) {
    it(`refuses ${name} with validation_failed naming the change`, () => {
      const refusal = refusalOf(applyLicenseChanges(aLedger(), changes, anyone));
      assert.equal(refusal.code, 'validation_failed');
      assert.match(refusal.message, message);
      assert.match(refusal.message, /changes\.\d/);
    });
  }

  it('applies the role check to every change before anything else', () => {
    const onlyUsers = {
      confirmIrreversible: false,
      mayChange: (c: LicenseChange) =>
        c.target.kind === 'service' ? forbidden('OU admins: user licenses only') : null,
    };
    assert.equal(
      refusalOf(
        applyLicenseChanges(
          aLedger(),
          [user('bob', 'Interact'), service('hotline', 'EnterpriseRouting')],
          onlyUsers,
        ),
      ).code,
      'forbidden',
    );
  });

  it('upgrades a service: the new pool takes one, the old pool gets one back', () => {
    const d = applyLicenseChanges(aLedger(), [service('hotline', 'EnterpriseRouting')], anyone);
    assert.ok(d.ok);
    assert.deepEqual(Object.fromEntries(d.value.pools.map((p) => [p.license, p.used])), {
      AdvancedRouting: 1,
      EnterpriseRouting: 1,
    });
    assert.equal(d.value.services[0]?.license, 'EnterpriseRouting');
  });

  it('refuses a downgrade while features of the higher tier are in use, listing each', () => {
    const busy = aService(
      'vip',
      { license: 'ContactCenter', assignmentType: 'SkillBased' },
      { distribution: { acw: { enabled: true } } },
    );
    const ledger = aLedger({ services: new Map([[asServiceId('vip'), busy]]) });
    const refusal = refusalOf(
      applyLicenseChanges(ledger, [service('vip', 'EnterpriseRouting')], anyone),
    );
    assert.equal(refusal.code, 'downgrade_blocked');
    assert.deepEqual(
      refusal.code === 'downgrade_blocked' && refusal.details.map((b) => b.feature).sort(),
      ['acw', 'skillBasedAssignment'],
    );
  });

  describe('removing a Contact Center user license', () => {
    it('needs explicit confirmation and says what would be lost', () => {
      const refusal = refusalOf(
        applyLicenseChanges(aLedger(), [user('cat', 'ContactCenterUser', 'remove')], anyone),
      );
      assert.equal(refusal.code, 'confirmation_required');
      assert.match(refusal.message, /english 80/);
      assert.match(refusal.message, /1 skill-based service assignment/);
    });

    it('once confirmed, takes its skills and skill-based assignments with it (and nothing else)', () => {
      const d = applyLicenseChanges(aLedger(), [user('cat', 'ContactCenterUser', 'remove')], {
        ...anyone,
        confirmIrreversible: true,
      });
      assert.ok(d.ok);
      assert.deepEqual(d.value.users[0]?.skills, {});
      assert.deepEqual(
        d.value.removedMemberships.map((m) => m.serviceId),
        ['vip'],
      );
      assert.equal(d.value.pools[0]?.used, 0);
    });
  });
});
