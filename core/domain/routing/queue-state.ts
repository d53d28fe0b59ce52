import type { ServiceId, TaskId, TenantId } from '../ids.js';
import { shardOfTask } from './task-id.js';
import type { RoundRobinState } from './queue-order.js';

/** A service's queue: where its round robin stands (every offer rewrites it). */
export interface QueueState {
  readonly tenantId: TenantId;
  readonly serviceId: ServiceId;
  readonly roundRobin: RoundRobinState;
  /** The routing shard the service's rows live in (see serviceShard); absent, 0. */
  readonly shard?: number;
}

/** Maps an outside system's id to the task it created, per service (idempotent task creation). */
export interface ExternalRef {
  readonly tenantId: TenantId;
  readonly serviceId: ServiceId;
  readonly externalId: string;
  readonly taskId: TaskId;
}

/** The shard of a queue row for a service whose task this is (nothing for shard 0). */
export function queueShard(taskId: TaskId): { readonly shard?: number } {
  const shard = shardOfTask(taskId);
  return shard > 0 ? { shard } : {};
}
