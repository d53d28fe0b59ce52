import type { ServiceId, TaskId, TenantId } from '../ids.js';
import type { RoundRobinState } from './queue-order.js';

/** A service's queue: where its round robin stands (every offer rewrites it). */
export interface QueueState {
  readonly tenantId: TenantId;
  readonly serviceId: ServiceId;
  readonly roundRobin: RoundRobinState;
}

/** Maps an outside system's id to the task it created, per service (idempotent task creation). */
export interface ExternalRef {
  readonly tenantId: TenantId;
  readonly serviceId: ServiceId;
  readonly externalId: string;
  readonly taskId: TaskId;
}
