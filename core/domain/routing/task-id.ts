import { asTaskId, asTenantId, isValidId, type TaskId, type TenantId } from '../ids.js';

/**
 * Task ids carry their tenant (`<tenantId>.<unique>`), so `/tasks/{id}` finds the tenant's
 * partition without a global index.
 */
export function taskIdFor(tenantId: TenantId, unique: string): TaskId {
  return asTaskId(`${tenantId}.${unique}`);
}

/** The part after the tenant: letters, digits and `-` (what {@link taskIdFor} is given). */
const UNIQUE_PART = /^[A-Za-z0-9-]{1,64}$/;

export function tenantOfTask(taskId: string): TenantId | null {
  const dot = taskId.lastIndexOf('.');
  const tenant = dot > 0 ? taskId.slice(0, dot) : '';
  return tenant && isValidId(tenant) ? asTenantId(tenant) : null;
}

/**
 * The one rule for a task id wherever it arrives: a valid tenant id, a dot, and a unique
 * part of the same safe characters, so it is always a usable table key.
 */
export function isValidTaskId(raw: string): boolean {
  const dot = raw.lastIndexOf('.');
  return tenantOfTask(raw) !== null && UNIQUE_PART.test(raw.slice(dot + 1));
}

/**
 * A tenant's routing rows may spread over several partitions (issue #20): with `n` routing
 * shards (n > 1), people's routing states stay in the tenant's own partition (shard 0) and
 * each service's tasks, its queue row and what rides with them go to one of shards 1..n,
 * the one its id hashes to. A tenant's shard count is fixed when it is created; 1 (every
 * tenant before shards) keeps every row in the tenant's own partition.
 */
export const MAX_ROUTING_SHARDS = 16;

/** The shard a service's tasks live in, for a tenant of `shards` (FNV-1a of its id). */
export function serviceShard(serviceId: string, shards: number): number {
  if (shards <= 1) return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < serviceId.length; i++) {
    hash ^= serviceId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return 1 + (hash % shards);
}

/** The shards a tenant of `shards` keeps routing rows in: 0 alone, or 0 (people) and 1..n. */
export function shardsOf(shards: number): number[] {
  return shards <= 1 ? [0] : Array.from({ length: shards + 1 }, (_, k) => k);
}

/** A task id names its shard at the end of its unique part (`-s3`); none names shard 0. */
const SHARD_SUFFIX = /-s([1-9][0-9]?)$/;

/** The unique part of a task id in a shard: its shard at the end, if not 0. */
export function inShard(unique: string, shard: number): string {
  return shard > 0 ? `${unique}-s${shard}` : unique;
}

/** The routing shard a task's rows live in (0 for ids without one, as every id before shards). */
export function shardOfTask(taskId: string): number {
  const match = SHARD_SUFFIX.exec(taskId.slice(taskId.lastIndexOf('.') + 1));
  return match ? Number(match[1]) : 0;
}
