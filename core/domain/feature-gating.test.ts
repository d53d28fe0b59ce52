import { strict as assert } from 'node:assert';
import { aService } from '../../test/builders.js';
import { downgradeBlockers, FEATURES, licenseRequiredFor, type Feature } from './feature-gating.js';
import type { ServiceLicense } from './license.js';
import type { Service } from './service.js';

/** A service using exactly one feature. */
const using: Record<Feature, (license: ServiceLicense) => Service> = {
  outboundServiceCall: (license) =>
    aService('s', { license }, { distribution: { outboundServiceCall: true } }),
  callerContext: (license) => aService('s', { license }, { extensions: { callerContext: true } }),
  codesAndTags: (license) => aService('s', { license }, { extensions: { codesAndTags: true } }),
  customParameters: (license) =>
    aService('s', { license }, { extensions: { customParameters: ['orderId'] } }),
  interact: (license) => aService('s', { license }, { extensions: { interact: true } }),
  skillBasedAssignment: (license) =>
    aService('s', { license, assignmentType: 'SkillBased', teamId: null }),
  distributionPolicy: (license) =>
    aService(
      's',
      { license, assignmentType: 'SkillBased' },
      { distribution: { policy: { requiredSkills: { en: 50 }, order: 'LongestIdle' } } },
    ),
  taskPriority: (license) => aService('s', { license }, { distribution: { priority: 'High' } }),
  acw: (license) => aService('s', { license }, { distribution: { acw: { enabled: true } } }),
  ronaSettings: (license) =>
    aService('s', { license }, { distribution: { rona: { persistent: true } } }),
  userStateTracking: (license) =>
    aService('s', { license }, { extensions: { userStateTracking: true } }),
};

/** SPEC.md's gating table: which license each feature first appears in. */
const EXPECTED: Record<Feature, ServiceLicense> = {
  outboundServiceCall: 'EnterpriseRouting',
  callerContext: 'EnterpriseRouting',
  codesAndTags: 'EnterpriseRouting',
  customParameters: 'EnterpriseRouting',
  interact: 'EnterpriseRouting',
  skillBasedAssignment: 'ContactCenter',
  distributionPolicy: 'ContactCenter',
  taskPriority: 'ContactCenter',
  acw: 'ContactCenter',
  ronaSettings: 'ContactCenter',
  userStateTracking: 'ContactCenter',
};

const LICENSES: ServiceLicense[] = ['AdvancedRouting', 'EnterpriseRouting', 'ContactCenter'];
const rank = (l: ServiceLicense) => LICENSES.indexOf(l);

describe('feature gating', () => {
  it('covers every feature of the table', () => {
    assert.deepEqual(Object.keys(FEATURES).sort(), Object.keys(EXPECTED).sort());
  });

  for (const feature of Object.keys(EXPECTED) as Feature[]) {
    for (const license of LICENSES) {
      const allowed = rank(license) >= rank(EXPECTED[feature]);
      it(`${feature} on ${license}: ${allowed ? 'allowed' : `needs ${EXPECTED[feature]}`}`, () => {
        const refusal = licenseRequiredFor(using[feature](license));
        if (allowed) assert.equal(refusal, null);
        else {
          assert.equal(refusal?.code, 'license_required');
          assert.equal(
            refusal?.code === 'license_required' && refusal.details.license,
            EXPECTED[feature],
          );
        }
      });
    }
  }

  it('allows everything off on Advanced Routing (queue, round robin, Normal priority)', () => {
    assert.equal(licenseRequiredFor(aService('s')), null);
  });

  it('names the highest license needed when features of two tiers are used', () => {
    const service = aService(
      's',
      {},
      { distribution: { acw: { enabled: true }, outboundServiceCall: true } },
    );
    const refusal = licenseRequiredFor(service);
    assert.ok(refusal?.code === 'license_required');
    assert.equal(refusal.details.license, 'ContactCenter');
    assert.deepEqual([...(refusal.details.features ?? [])].sort(), [
      'distribution.acw.enabled',
      'distribution.outboundServiceCall',
    ]);
  });
});

describe('downgradeBlockers', () => {
  it('lists each feature in use above the target, saying where to switch it off', () => {
    const service = aService(
      'Hotline',
      { license: 'ContactCenter' },
      { distribution: { acw: { enabled: true }, priority: 'High', outboundServiceCall: true } },
    );
    const toEnterprise = downgradeBlockers(service, 'EnterpriseRouting');
    assert.deepEqual(toEnterprise.map((b) => b.feature).sort(), ['acw', 'taskPriority']);
    assert.ok(
      toEnterprise.some(
        (b) => b.message === 'ACW is enabled in service Hotline distribution settings',
      ),
    );
    // Each names the service and the setting that clears it, for a client to link to.
    assert.deepEqual(toEnterprise.map((b) => [b.serviceId, b.field]).sort(), [
      [service.id, 'distribution.acw.enabled'],
      [service.id, 'distribution.priority'],
    ]);
    const toAdvanced = downgradeBlockers(service, 'AdvancedRouting');
    assert.deepEqual(toAdvanced.map((b) => b.feature).sort(), [
      'acw',
      'outboundServiceCall',
      'taskPriority',
    ]);
  });

  it('has no blockers when nothing of the higher tier is used', () => {
    assert.deepEqual(
      downgradeBlockers(aService('s', { license: 'ContactCenter' }), 'AdvancedRouting'),
      [],
    );
  });

  it('blocks a skill-based service from leaving Contact Center until it is None', () => {
    const blockers = downgradeBlockers(
      using.skillBasedAssignment('ContactCenter'),
      'EnterpriseRouting',
    );
    assert.deepEqual(
      blockers.map((b) => b.feature),
      ['skillBasedAssignment'],
    );
    assert.match(blockers[0]?.message ?? '', /user assignment type to None/);
  });
});
