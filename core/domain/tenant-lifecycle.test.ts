import { strict as assert } from 'node:assert';
import { aPool, aTenant, NOW, T } from '../../test/builders.js';
import { instantOf } from './instant.js';
import type { License, LicensePool } from './license.js';
import { requestTenantDeletion, setContingency } from './tenant-lifecycle.js';

describe('setContingency', () => {
  const current = new Map<License, LicensePool>([['Interact', aPool('Interact', 5, 3)]]);

  it('sets totals at or above what is in use, keeping the usage', () => {
    const d = setContingency(T, current, { Interact: 3, Email: 10 });
    assert.ok(d.ok);
    assert.deepEqual(
      d.value.map((p) => [p.license, p.total, p.used]),
      [
        ['Interact', 3, 3],
        ['Email', 10, 0],
      ],
    );
  });

  it('refuses a total below what is assigned, naming the license', () => {
    const d = setContingency(T, current, { Interact: 2, Email: 10 });
    assert.ok(!d.ok);
    assert.equal(d.refusal.code, 'validation_failed');
    assert.deepEqual(
      d.refusal.code === 'validation_failed' && d.refusal.details.map((p) => p.field),
      ['Interact'],
    );
  });
});

describe('requestTenantDeletion', () => {
  for (const typed of ['yes', 'Yes', 'YES ', '', 'y']) {
    it(`refuses the confirmation ${JSON.stringify(typed)}`, () => {
      const d = requestTenantDeletion(aTenant(), typed, NOW);
      assert.ok(!d.ok && d.refusal.code === 'validation_failed');
    });
  }

  it('with YES, marks the tenant for deletion and keeps its data', () => {
    const tenant = aTenant();
    const d = requestTenantDeletion(tenant, 'YES', NOW);
    assert.ok(d.ok);
    assert.equal(d.value.deletionRequestedAt, NOW);
    assert.deepEqual({ ...d.value, deletionRequestedAt: null }, tenant);
  });

  it('keeps the first request time when asked again', () => {
    const d = requestTenantDeletion(
      aTenant({ deletionRequestedAt: NOW }),
      'YES',
      instantOf(NOW + 5000),
    );
    assert.ok(d.ok);
    assert.equal(d.value.deletionRequestedAt, NOW);
  });
});
