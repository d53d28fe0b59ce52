import { strict as assert } from 'node:assert';
import { ConflictError } from '../store/conflict-error.js';
import { retryOnConflict } from './retry-on-conflict.js';

const noSleep = () => Promise.resolve();

function failingTimes(n: number, error: () => Error) {
  let calls = 0;
  const step = () => {
    calls++;
    return calls <= n ? Promise.reject(error()) : Promise.resolve(calls);
  };
  return { step, calls: () => calls };
}

describe('retryOnConflict', () => {
  it('given two lost races, when retried, then the third attempt succeeds', async () => {
    const s = failingTimes(2, () => new ConflictError('lost', 'T'));
    assert.equal(await retryOnConflict(s.step, { sleep: noSleep }), 3);
  });

  it('gives up after the last attempt with the conflict', async () => {
    const s = failingTimes(99, () => new ConflictError('lost', 'T'));
    await assert.rejects(retryOnConflict(s.step, { attempts: 4, sleep: noSleep }), ConflictError);
    assert.equal(s.calls(), 4);
  });

  it('never retries other errors', async () => {
    const s = failingTimes(1, () => new Error('storage down'));
    await assert.rejects(retryOnConflict(s.step, { sleep: noSleep }), /storage down/);
    assert.equal(s.calls(), 1);
  });

  it('backs off with jitter bounded by the attempt', async () => {
    const waits: number[] = [];
    const s = failingTimes(3, () => new ConflictError('lost', 'T'));
    await retryOnConflict(s.step, {
      sleep: (ms) => (waits.push(ms), Promise.resolve()),
      random: () => 0.999,
    });
    assert.deepEqual(waits, [9, 19, 39]);
  });
});
