import { strict as assert } from 'node:assert';
import { asUserId, type UserId } from './ids.js';
import { instantOf } from './instant.js';
import {
  inBatches,
  planSubscriptions,
  PRESENCE_IDS_PER_REQUEST,
  RENEW_BEFORE_MS,
  type PresenceSubscription,
} from './presence-feed.js';

const NOW = instantOf(1_795_000_000_000);
const ids = (n: number, from = 0): UserId[] =>
  Array.from({ length: n }, (_, i) => asUserId(`u${String(from + i).padStart(5, '0')}`));
const sub = (id: string, userIds: UserId[], minutesLeft: number): PresenceSubscription => ({
  id,
  userIds,
  expiresAt: instantOf(NOW + minutesLeft * 60_000),
});

describe('the presence feed’s subscription plan', () => {
  it('cuts ids into batches of at most 650, each id once, in a stable order', () => {
    const batches = inBatches([...ids(1301)].reverse().concat(ids(3)));
    assert.deepEqual(
      batches.map((b) => b.length),
      [PRESENCE_IDS_PER_REQUEST, PRESENCE_IDS_PER_REQUEST, 1],
    );
    assert.deepEqual(batches.flat(), ids(1301));
    assert.deepEqual(inBatches([]), []);
  });

  it('subscribes everyone wanted when nothing is subscribed: one subscription per 650', () => {
    const plan = planSubscriptions([], new Set(ids(700)), NOW);
    assert.deepEqual(
      plan.create.map((b) => b.length),
      [650, 50],
    );
    assert.deepEqual([plan.renew, plan.remove], [[], []]);
  });

  it('leaves a covering subscription be while more than the renewal margin is left', () => {
    const current = [sub('s1', ids(3), 40)];
    assert.deepEqual(planSubscriptions(current, new Set(ids(3)), NOW), {
      create: [],
      renew: [],
      remove: [],
    });
  });

  it('renews a subscription once less than the margin is left, before it runs out', () => {
    const minutes = RENEW_BEFORE_MS / 60_000 - 1;
    const current = [sub('s1', ids(3), minutes)];
    const plan = planSubscriptions(current, new Set(ids(3)), NOW);
    assert.deepEqual(
      plan.renew.map((s) => s.id),
      ['s1'],
    );
    assert.deepEqual([plan.create, plan.remove], [[], []]);
  });

  it('subscribes people who joined in a new subscription, and keeps the old one', () => {
    const current = [sub('s1', ids(3), 40)];
    const plan = planSubscriptions(current, new Set([...ids(3), ...ids(2, 10)]), NOW);
    assert.deepEqual(plan.create, [ids(2, 10)]);
    assert.deepEqual(plan.remove, []);
  });

  it('removes a subscription whose people all left, and one that ran out (its people get a new one)', () => {
    const current = [sub('gone', ids(2, 50), 40), sub('expired', ids(3), -1)];
    const plan = planSubscriptions(current, new Set(ids(3)), NOW);
    assert.deepEqual(
      plan.remove.map((s) => s.id),
      ['gone', 'expired'],
    );
    assert.deepEqual(plan.create, [ids(3)]);
  });
});
