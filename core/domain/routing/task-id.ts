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
