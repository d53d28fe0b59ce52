import { strict as assert } from 'node:assert';
import { createHmac } from 'node:crypto';
import { GIVE_UP_AFTER_MS, nextAttempt, signedHeaders } from './callback-outbox.js';

describe('the callback outbox’s rules', () => {
  it('signs the timestamp and body with the tenant’s secret', () => {
    const entry = { id: 'e1', eventType: 'task.completed', body: '{"id":"e1"}' };
    const headers = signedHeaders(entry, 'secret', 1_764_750_000_123);
    assert.equal(headers['x-callback-timestamp'], '1764750000');
    assert.equal(headers['x-callback-id'], 'e1');
    const expected = createHmac('sha256', 'secret').update('1764750000.{"id":"e1"}').digest('hex');
    assert.equal(headers['x-callback-signature'], `sha256=${expected}`);
  });

  it('retries what may pass later, with backoff doubling up to 10 minutes', () => {
    const max = () => 0.999_999;
    for (const status of [null, 408, 429, 500, 503]) {
      const next = nextAttempt(status, 1, 0, max);
      assert.ok('retryInMs' in next && next.retryInMs === 1_000, `${status}`);
    }
    const fifth = nextAttempt(500, 5, 0, max);
    assert.ok('retryInMs' in fifth && fifth.retryInMs === 15_999);
    const late = nextAttempt(500, 40, 0, max);
    assert.ok('retryInMs' in late && late.retryInMs === 599_999);
    const least = nextAttempt(500, 3, 0, () => 0);
    assert.ok('retryInMs' in least && least.retryInMs === 1_000);
  });

  it('gives up on a refusal or redirect at once, and on anything after 24 hours', () => {
    for (const status of [301, 400, 401, 404, 410])
      assert.ok('giveUp' in nextAttempt(status, 1, 0, Math.random), `${status}`);
    assert.ok('giveUp' in nextAttempt(500, 30, GIVE_UP_AFTER_MS, Math.random));
  });
});
