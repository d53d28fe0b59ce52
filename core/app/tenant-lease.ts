import type { TenantId } from '../domain/ids.js';
import { ConflictError } from '../store/conflict-error.js';
import { leaseKey, type Lease, type LeaseStore } from '../store/lease-rows.js';
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
  /** Per tenant, which holding of the lease this is (see {@link term}). */
  private readonly terms = new Map<TenantId, number>();
  private taken = 0;

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
      // Renewing our own row unchanged since our last write: nobody held it in between.
      if (!mine) this.terms.set(tenantId, ++this.taken);
      return true;
    } catch (error) {
      if (error instanceof ConflictError) return false; // another instance took it first
      throw error;
    }
  }

  /**
   * Which holding of the tenant's lease this instance is in: the same number as long as it
   * held the lease without a break, a new one once it took the lease anew (another
   * instance may have done the job meanwhile). Undefined while it never held it.
   */
  term(tenantId: TenantId): number | undefined {
    return this.terms.get(tenantId);
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
