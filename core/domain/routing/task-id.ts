import { asTaskId, asTenantId, isValidId, type TaskId, type TenantId } from '../ids.js';

/**
 * Task ids carry their tenant (`<tenantId>.<unique>`), so `/tasks/{id}` finds the tenant's
 * partition without a global index.
 */
export function taskIdFor(tenantId: TenantId, unique: string): TaskId {
  return asTaskId(`${tenantId}.${unique}`);
}

export function tenantOfTask(taskId: string): TenantId | null {
  const dot = taskId.lastIndexOf('.');
  const tenant = dot > 0 ? taskId.slice(0, dot) : '';
  return tenant && isValidId(tenant) ? asTenantId(tenant) : null;
}
