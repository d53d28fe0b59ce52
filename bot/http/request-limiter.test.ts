import { strict as assert } from 'node:assert';
import type { Principal } from '../auth/principal.js';
import { asTenantId, asUserId } from '../../core/domain/ids.js';
import { createRequestLimiter } from './request-limiter.js';

const person = (tenant: string, user: string): Principal => ({
  kind: 'user',
  tenantId: asTenantId(tenant),
  userId: asUserId(user),
  groups: [],
});

describe('request limits per tenant and per person', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => (now = 0));

  it('lets a burst up to the limit through, then says when to come back', () => {
    const limit = createRequestLimiter({ tenantPerMinute: 1000, userPerMinute: 3 }, clock);
    const adele = person('t1', 'adele');
    for (let i = 0; i < 3; i++) assert.deepEqual(limit(adele), { ok: true });
    assert.deepEqual(limit(adele), { ok: false, retryAfterSec: 20, scope: 'user' });
    now = 20_000;
    assert.deepEqual(limit(adele), { ok: true });
  });

  it('one person at the limit slows nobody else', () => {
    const limit = createRequestLimiter({ tenantPerMinute: 1000, userPerMinute: 1 }, clock);
    assert.equal(limit(person('t1', 'adele')).ok, true);
    assert.equal(limit(person('t1', 'adele')).ok, false);
    assert.equal(limit(person('t1', 'megan')).ok, true);
  });

  it("a tenant's people together share the tenant's limit; other tenants are untouched", () => {
    const limit = createRequestLimiter({ tenantPerMinute: 2, userPerMinute: 100 }, clock);
    assert.equal(limit(person('t1', 'a')).ok, true);
    assert.equal(limit(person('t1', 'b')).ok, true);
    assert.deepEqual(limit(person('t1', 'c')), { ok: false, retryAfterSec: 30, scope: 'tenant' });
    assert.equal(limit(person('t2', 'a')).ok, true);
  });

  it('a refused request uses up nothing', () => {
    const limit = createRequestLimiter({ tenantPerMinute: 1, userPerMinute: 100 }, clock);
    assert.equal(limit(person('t1', 'a')).ok, true);
    for (let i = 0; i < 50; i++) assert.equal(limit(person('t1', 'a')).ok, false);
    now = 60_000;
    assert.equal(limit(person('t1', 'a')).ok, true);
  });

  it('does not limit the system operator', () => {
    const limit = createRequestLimiter({ tenantPerMinute: 1, userPerMinute: 1 }, clock);
    for (let i = 0; i < 10; i++) assert.equal(limit({ kind: 'system' }).ok, true);
  });
});
