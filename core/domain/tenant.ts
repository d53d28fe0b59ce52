import type { TenantId } from './ids.js';
import type { Instant } from './instant.js';
import type { TenantSettings } from './tenant-settings.js';

export const TENANT_STATES = [
  'Active',
  'Trial',
  'Suspended',
  'Expired',
  'Canceled',
  'Lab',
] as const;
export type TenantState = (typeof TENANT_STATES)[number];

/** Each state as the operator's console says it: what it means for the tenant's people. */
export const TENANT_STATE_WORDS: Readonly<Record<TenantState, string>> = {
  Active: 'Active',
  Trial: 'Trial',
  Lab: 'Lab (for testing)',
  Suspended: 'Suspended: nobody signs in, no new tasks',
  Expired: 'Expired: nobody signs in, no new tasks',
  Canceled: 'Canceled: nobody signs in, no new tasks',
};

export interface Tenant {
  readonly id: TenantId;
  readonly name: string;
  readonly state: TenantState;
  readonly createdAt: Instant;
  readonly settings: TenantSettings;
  /** Set once the operator confirmed deletion: its services are pending deletion. */
  readonly deletionRequestedAt: Instant | null;
  /**
   * How many partitions its routing rows spread over (see serviceShard), fixed when it is
   * created; absent, 1.
   */
  readonly routingShards?: number;
}

/** Suspended, Expired and Canceled tenants keep their data but work for nobody. */
export function isOperational(state: TenantState): boolean {
  return state === 'Active' || state === 'Trial' || state === 'Lab';
}

/** Why nobody of this tenant may sign in or get a task now, or null when it works. */
export function inactivityReason(tenant: Tenant): string | null {
  if (tenant.deletionRequestedAt !== null)
    return 'This tenant is being deleted; its services no longer operate.';
  if (isOperational(tenant.state)) return null;
  return `This tenant is ${tenant.state.toLowerCase()}: sign-in and new tasks are refused until it is active again. No data is lost.`;
}
