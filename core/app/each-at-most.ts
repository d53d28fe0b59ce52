/**
 * Runs `job` for each item, at most `atOnce` at a time, and resolves when all are done
 * (rejects with the first failure, after the others ran). A sweep over thousands of
 * tenants must not send thousands of storage requests at once: each holds a connection,
 * and at 10,000 tenants the process ran out of file descriptors (measured, bench part 4).
 */
export async function eachAtMost<T>(
  items: readonly T[],
  atOnce: number,
  job: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const failures: unknown[] = [];
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      try {
        await job(item);
      } catch (error) {
        failures.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(atOnce, items.length) }, worker));
  if (failures.length > 0) throw failures[0];
}

/** How many tenants' outboxes a sweep drains at once (cards, callbacks). */
export const DRAIN_TENANTS_AT_ONCE = 16;
