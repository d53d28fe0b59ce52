import type { TenantId } from './ids.js';
import type { Instant } from './instant.js';

export const TENANT_STATES = [
  'Active',
  'Trial',
  'Suspended',
  'Expired',
  'Canceled',
  'Lab',
] as const;
export type TenantState = (typeof TENANT_STATES)[number];

export interface Tenant {
  readonly id: TenantId;
  readonly name: string;
  readonly state: TenantState;
  readonly createdAt: Instant;
}

/** Suspended, Expired and Canceled tenants keep their data but work for nobody. */
export function isOperational(state: TenantState): boolean {
  return state === 'Active' || state === 'Trial' || state === 'Lab';
}
