import { EventEmitter } from 'node:events';

/** What happened: data of the tenant changed, or the (manual) clock moved under everything. */
export type ChangeKind = 'data' | 'clock';

/**
 * In-process news that something of a tenant changed (a distribution step, a toggle, a
 * timer), for live views. Changes made by another instance reach them by polling instead.
 */
export class TenantChanges {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  subscribe(tenantId: string, listener: (kind: ChangeKind) => void): () => void {
    this.emitter.on(tenantId, listener);
    return () => this.emitter.off(tenantId, listener);
  }

  publish(tenantId: string): void {
    this.emitter.emit(tenantId, 'data');
  }

  /** The manual clock moved: every countdown of every tenant did too. */
  clockMoved(): void {
    for (const name of this.emitter.eventNames()) this.emitter.emit(name, 'clock');
  }
}
