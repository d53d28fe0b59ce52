import { strict as assert } from 'node:assert';
import { aPool, aService, aUser } from '../../test/builders.js';
import { auditLicenses } from './license-audit.js';

describe('auditLicenses', () => {
  it('finds nothing when every pool counts exactly its holders', () => {
    const users = [
      aUser('a', { licenses: ['Interact'] }),
      aUser('b', { licenses: ['Interact', 'Email'] }),
    ];
    const pools = [aPool('Interact', 2, 2), aPool('Email', 1, 1), aPool('AdvancedRouting', 3, 1)];
    assert.deepEqual(auditLicenses(pools, users, [aService('s')]), []);
  });

  it('reports a pool whose counter drifted from its holders, and a holder without a pool', () => {
    const mismatches = auditLicenses(
      [aPool('Interact', 5, 3)],
      [aUser('a', { licenses: ['Interact', 'Companion'] })],
      [],
    );
    assert.deepEqual(mismatches, [
      { license: 'Interact', used: 3, held: 1, total: 5 },
      { license: 'Companion', used: 0, held: 1, total: 0 },
    ]);
  });
});
