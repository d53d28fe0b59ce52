import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { decideRetry, failedResponse, MAX_SEND_ATTEMPTS } from './send-policy.js';

describe('send policy (how failed sends to Teams are retried)', () => {
  it('waits what Retry-After says on 429, plus a little jitter', () => {
    const decision = decideRetry({ status: 429, retryAfterSec: 3 }, 1, () => 0.5);
    assert.deepEqual(decision, { kind: 'retry', afterMs: 3125 });
  });

  it('backs off exponentially with full jitter on 5xx and no answer, capped', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(undefined, 500, 502, 503, 408),
        fc.integer({ min: 1, max: MAX_SEND_ATTEMPTS - 1 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (status, attempt, r) => {
          const d = decideRetry({ status, retryAfterSec: undefined }, attempt, () => r);
          assert.equal(d.kind, 'retry');
          if (d.kind === 'retry') {
            assert.ok(d.afterMs >= 100);
            assert.ok(
              d.afterMs <= Math.min(300_000, 1000 * 2 ** (attempt - 1)) || d.afterMs === 100,
            );
          }
        },
      ),
    );
  });

  const giveUps: [number | undefined, number][] = [
    [403, 1],
    [404, 1],
    [400, 1],
    [429, MAX_SEND_ATTEMPTS],
    [503, MAX_SEND_ATTEMPTS],
  ];
  for (const [status, attempt] of giveUps)
    it(`gives up on ${status} at attempt ${attempt}`, () =>
      assert.equal(
        decideRetry({ status, retryAfterSec: 1 }, attempt, Math.random).kind,
        'give-up',
      ));

  it('reads status and Retry-After from connector errors of either header shape', () => {
    const headers = new Map([['retry-after', '7']]);
    assert.deepEqual(failedResponse({ statusCode: 429, response: { headers } }), {
      status: 429,
      retryAfterSec: 7,
    });
    assert.deepEqual(
      failedResponse({ response: { status: 503, headers: { 'retry-after': '2' } } }),
      {
        status: 503,
        retryAfterSec: 2,
      },
    );
    assert.deepEqual(failedResponse(new Error('socket hang up')), {
      status: undefined,
      retryAfterSec: undefined,
    });
  });
});
