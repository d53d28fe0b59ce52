import type { TenantId } from '../domain/ids.js';
import { ConflictError } from '../store/conflict-error.js';
import { leaseKey, type LeaseStore } from '../store/lease-rows.js';
import type { Stores } from '../store/stores.js';
import { type Lease } from '../domain/lease.js';
import type { Versioned } from '../store/table-repository.js';

export interface TenantLeaseOptions {
  readonly store: LeaseStore;
  readonly name: string;
  /** This instance (the lease row names its holder). */
  readonly holder: string;
  readonly durationMs: number;
  readonly now?: () => number;
}

/**
 * One instance at a time does a tenant's job. The lease is a row taken and renewed under its
 * ETag; it is renewed once half of it has passed, so holding it costs a write per half
 * duration, not one per job. A crashed holder's lease runs out; a stopped one gives it back.
 */
export class TenantLease {
  private readonly held = new Map<TenantId, Versioned<Lease>>();

  constructor(private readonly options: TenantLeaseOptions) {}

  /** Whether this instance holds the tenant's lease now (taking or renewing it if need be). */
  async hold(tenantId: TenantId): Promise<boolean> {
    const { store, name, holder, durationMs } = this.options;
    const now = (this.options.now ?? Date.now)();
    const mine = this.held.get(tenantId);
    if (mine && mine.value.until - now > durationMs / 2) return true;
    this.held.delete(tenantId);
    const current = mine ?? (await store.get(leaseKey(tenantId, name)));
    if (current && current.value.holder !== holder && current.value.until > now) return false;
    const next: Lease = { tenantId, name, holder, until: now + durationMs };
    try {
      const written = current ? await store.replace(next, current.etag) : await store.insert(next);
      this.held.set(tenantId, written);
      return true;
    } catch (error) {
      if (error instanceof ConflictError) return false; // another instance took it first
      throw error;
    }
  }

  /**
   * Gives back every lease this instance holds (on a clean stop). One another instance
   * took meanwhile is no longer ours to give; any other failure surfaces, once all were tried.
   */
  async releaseAll(): Promise<void> {
    const { store } = this.options;
    const held = [...this.held.values()];
    this.held.clear();
    const results = await Promise.allSettled(
      held.map((l) => store.replace({ ...l.value, until: 0 }, l.etag)),
    );
    for (const r of results)
      if (r.status === 'rejected' && !(r.reason instanceof ConflictError)) throw r.reason;
  }
}

/** This instance's lease of a tenant job (`name`), in the shared lease rows. */
export const instanceLease = (stores: Stores, name: string, durationMs: number): TenantLease =>
  new TenantLease({ store: stores.leases, name, holder: stores.instanceId, durationMs });
