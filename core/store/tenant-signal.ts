import type { TenantId } from '../domain/ids.js';

/** Tells whoever listens, in this process, that something happened in a tenant. */
export class TenantSignal {
  private readonly listeners = new Set<(tenantId: TenantId) => void>();
  subscribe(listener: (tenantId: TenantId) => void): void {
    this.listeners.add(listener);
  }
  notify(tenantId: TenantId): void {
    for (const listener of this.listeners) listener(tenantId);
  }
}
