import type { TenantId } from './ids.js';

/** One instance's exclusive right to a tenant's job (drawing its cards) until a wall-clock time. */
export interface Lease {
  readonly tenantId: TenantId;
  readonly name: string;
  readonly holder: string;
  /** Date.now() milliseconds: a lease is about live processes, not the routing clock. */
  readonly until: number;
}
