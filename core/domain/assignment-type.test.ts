import { strict as assert } from 'node:assert';
import { aService } from '../../test/builders.js';
import { changeAssignmentType } from './assignment-type.js';
import type { ServiceLicense } from './license.js';
import type { AssignmentType } from './service.js';

type Expect = 'allowed' | 'policy_denied' | 'license_required';

describe('changeAssignmentType', () => {
  const cases: [AssignmentType, AssignmentType, ServiceLicense, Expect][] = [
    ['SkillBased', 'None', 'ContactCenter', 'allowed'],
    ['None', 'SkillBased', 'ContactCenter', 'allowed'],
    ['None', 'SkillBased', 'EnterpriseRouting', 'license_required'],
    ['None', 'SkillBased', 'AdvancedRouting', 'license_required'],
    ['TeamsBased', 'None', 'ContactCenter', 'policy_denied'],
    ['TeamsBased', 'SkillBased', 'ContactCenter', 'policy_denied'],
    ['SkillBased', 'TeamsBased', 'ContactCenter', 'policy_denied'],
    ['None', 'TeamsBased', 'AdvancedRouting', 'policy_denied'],
    ['TeamsBased', 'TeamsBased', 'AdvancedRouting', 'allowed'],
  ];
  for (const [from, to, license, expected] of cases) {
    it(`${from} -> ${to} on ${license}: ${expected}`, () => {
      const decision = changeAssignmentType(aService('s', { assignmentType: from, license }), to);
      if (expected === 'allowed') {
        assert.ok(decision.ok);
        assert.equal(decision.value.service.assignmentType, to);
      } else {
        assert.ok(!decision.ok);
        assert.equal(decision.refusal.code, expected);
        assert.ok(decision.refusal.message.length > 20, 'says why');
      }
    });
  }

  it('Skill-based -> None takes the users out and drops the distribution policy', () => {
    const service = aService(
      's',
      { assignmentType: 'SkillBased', license: 'ContactCenter' },
      { distribution: { policy: { requiredSkills: { en: 50 }, order: 'MostQualified' } } },
    );
    const decision = changeAssignmentType(service, 'None');
    assert.ok(decision.ok);
    assert.equal(decision.value.removeAllMembers, true);
    assert.equal(decision.value.service.settings.distribution.policy, null);
  });
});
