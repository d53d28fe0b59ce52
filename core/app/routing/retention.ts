import type { TenantId } from '../../domain/ids.js';
import type { Instant } from '../../domain/instant.js';
import { doneTaskKey, externalKey } from '../../store/routing-rows.js';
import type { Stores } from '../../store/stores.js';
import { tenantKey } from '../../store/table-tenant-store.js';
import { MAX_TRANSACTION_OPS } from '../../store/table-transaction.js';

const DAY_MS = 24 * 3600 * 1000;

/**
 * Purges ended tasks (with their decision records) whose end lies further back than the
 * tenant's data retention time. Returns how many went.
 */
export async function purgeExpiredTasks(
  stores: Stores,
  tenantId: TenantId,
  now: Instant,
): Promise<number> {
  const tenant = await stores.tenants.get(tenantKey(tenantId));
  if (!tenant) return 0;
  const cutoff = now - tenant.value.settings.dataPrivacy.retentionDays * DAY_MS;
  const expired = (await stores.routing.doneTasks.list(tenantId)).filter(
    (t) => (t.value.endedAt ?? now) < cutoff,
  );
  // A task and its external-id reference go together, so the id may be used again afterwards.
  const ops = expired.map((t) => [
    stores.routing.doneTasks.deleteOp(doneTaskKey(tenantId, t.value.id)),
    ...(t.value.externalId
      ? [
          stores.routing.externalRefs.deleteOp(
            externalKey(tenantId, t.value.serviceId, t.value.externalId),
          ),
        ]
      : []),
  ]);
  for (let i = 0; i < ops.length; i += MAX_TRANSACTION_OPS / 2) {
    await stores.commit(ops.slice(i, i + MAX_TRANSACTION_OPS / 2).flat());
  }
  return expired.length;
}
