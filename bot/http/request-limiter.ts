import type { Principal } from '../auth/principal.js';

export interface RequestLimits {
  /** Requests per minute for all callers of one tenant together. */
  readonly tenantPerMinute: number;
  /** Requests per minute for one signed-in person. */
  readonly userPerMinute: number;
}

/** Whether a caller may make one more request, and if not, in how many seconds. */
export type LimitDecision =
  | { readonly ok: true }
  | { readonly ok: false; readonly retryAfterSec: number; readonly scope: 'tenant' | 'user' };

export type RequestLimiter = (principal: Principal) => LimitDecision;

interface Bucket {
  tokens: number;
  at: number;
}

/** Buckets kept before the full ones (callers idle for a minute) are dropped. */
const MAX_BUCKETS = 100_000;

/**
 * Token buckets by key: each holds a minute's worth of requests and refills continuously,
 * so bursts up to the limit pass and a steady stream above it is slowed to it. `wait` says
 * in how many seconds one more would pass (0: now) without taking; `take` takes one.
 */
export function tokenBuckets(now: () => number = () => performance.now()) {
  const buckets = new Map<string, Bucket>();
  const prune = (at: number) => {
    for (const [key, b] of buckets) if (at - b.at > 60_000) buckets.delete(key);
    if (buckets.size >= MAX_BUCKETS) buckets.clear();
  };
  const wait = (key: string, perMinute: number): number => {
    const at = now();
    const ratePerMs = perMinute / 60_000;
    const bucket = buckets.get(key) ?? { tokens: perMinute, at };
    bucket.tokens = Math.min(perMinute, bucket.tokens + (at - bucket.at) * ratePerMs);
    bucket.at = at;
    if (!buckets.has(key)) {
      if (buckets.size >= MAX_BUCKETS) prune(at);
      buckets.set(key, bucket);
    }
    if (bucket.tokens >= 1) return 0;
    return Math.max(1, Math.ceil((1 - bucket.tokens) / ratePerMs / 1000));
  };
  const take = (key: string) => {
    const bucket = buckets.get(key);
    if (bucket) bucket.tokens -= 1;
  };
  return { wait, take };
}

/**
 * Token buckets per tenant and per person (see tokenBuckets). Per instance: with several
 * instances a caller may reach each one's limit. The system operator is not limited.
 */
export function createRequestLimiter(
  limits: RequestLimits,
  now: () => number = () => performance.now(),
): RequestLimiter {
  const buckets = tokenBuckets(now);
  return (principal) => {
    if (principal.kind === 'system') return { ok: true };
    const tenantKey = `t:${principal.tenantId}`;
    const userKey = `u:${principal.tenantId}:${principal.userId}`;
    const userWait = buckets.wait(userKey, limits.userPerMinute);
    if (userWait) return { ok: false, retryAfterSec: userWait, scope: 'user' };
    const tenantWait = buckets.wait(tenantKey, limits.tenantPerMinute);
    if (tenantWait) return { ok: false, retryAfterSec: tenantWait, scope: 'tenant' };
    buckets.take(userKey);
    buckets.take(tenantKey);
    return { ok: true };
  };
}
