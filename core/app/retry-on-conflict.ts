import type { TenantId } from '../domain/ids.js';
import type { Decision } from '../domain/refusal.js';
import { ConflictError } from '../store/conflict-error.js';
import type { Stores } from '../store/stores.js';
import { TENANCY_TABLE } from '../store/json-column.js';
import { ROUTING_TABLE } from '../store/routing-rows.js';
import { readingFresh, readsFresh } from '../store/partition-cache.js';

export interface RetryOptions {
  readonly attempts?: number;
  /** Waits between attempts; injected so tests and benches control it. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs a read-decide-write step again when it lost an optimistic-concurrency race, then
 * with fresh reads (past this instance's cache).
 * Backoff grows exponentially with full jitter so racing instances spread out.
 * After the last attempt the ConflictError surfaces (the API answers 409 `conflict`).
 */
export async function retryOnConflict<T>(
  step: () => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? 25;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await (attempt === 1 ? step() : readingFresh(step));
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= attempts) throw error;
      await sleep(Math.floor(random() * Math.min(250, 5 * 2 ** attempt)));
    }
  }
}

/**
 * For a step that refused, or found nothing to write, on rows read through this instance's
 * cache (`view` taken before it read them): if they may have changed since, the decision
 * rests on an old view and is made again (as a lost race is, so the retry reads fresh). A
 * retry's decision, made on fresh reads already, stands.
 */
export async function decideAgainIfStale(
  table: string,
  view: { changed(): Promise<boolean> },
): Promise<void> {
  if (readsFresh()) return;
  if (await view.changed())
    throw new ConflictError('Decided on rows another instance has changed since', table);
}

/**
 * A read-decide-write step on a tenant's rows, retried when it loses a race (see
 * retryOnConflict); a refusal made on this instance's view of rows another instance
 * changed meanwhile is made again on fresh reads (see decideAgainIfStale).
 */
export function decideOnFreshView<T>(
  stores: Stores,
  rows: 'routing' | 'tenancy',
  tenantId: TenantId,
  step: () => Promise<Decision<T>>,
): Promise<Decision<T>> {
  return retryOnConflict(async () => {
    const view = stores.view(rows, tenantId);
    const decided = await step();
    if (!decided.ok)
      await decideAgainIfStale(rows === 'routing' ? ROUTING_TABLE : TENANCY_TABLE, view);
    return decided;
  });
}
