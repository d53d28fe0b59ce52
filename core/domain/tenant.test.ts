import { strict as assert } from 'node:assert';
import { isOperational, TENANT_STATES, type TenantState } from './tenant.js';

describe('isOperational', () => {
  const cases: [TenantState, boolean][] = [
    ['Active', true],
    ['Trial', true],
    ['Lab', true],
    ['Suspended', false],
    ['Expired', false],
    ['Canceled', false],
  ];
  it('covers every tenant state', () => {
    assert.deepEqual(cases.map(([s]) => s).sort(), [...TENANT_STATES].sort());
  });
  for (const [state, expected] of cases) {
    it(`${state} ${expected ? 'works' : 'works for nobody'}`, () => {
      assert.equal(isOperational(state), expected);
    });
  }
});

describe('inactivityReason', () => {
  it('is null for a working tenant and says why for the others', async () => {
    const { aTenant, NOW } = await import('../../test/builders.js');
    const { inactivityReason } = await import('./tenant.js');
    assert.equal(inactivityReason(aTenant({ state: 'Trial' })), null);
    assert.match(
      inactivityReason(aTenant({ state: 'Suspended' })) ?? '',
      /suspended.*No data is lost/,
    );
    assert.match(inactivityReason(aTenant({ deletionRequestedAt: NOW })) ?? '', /being deleted/);
  });
});
