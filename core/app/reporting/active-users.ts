import type { Identity } from '../../domain/actor.js';
import type { TenantId, UserId } from '../../domain/ids.js';
import type { Instant } from '../../domain/instant.js';
import { addMonths, localMonth, type LocalMonth } from '../../domain/reporting/local-time.js';
import { allow, type Decision } from '../../domain/refusal.js';
import type { Tenant } from '../../domain/tenant.js';
import type { Membership } from '../../domain/service.js';
import { tenantKey } from '../../store/table-tenant-store.js';
import type { Stores } from '../../store/stores.js';
import type { WriteOp } from '../../store/table-transaction.js';
import type { AppDeps } from '../app-deps.js';
import { commitInChunks } from '../commit-in-chunks.js';
import { asTenantAdmin } from '../resolve-actor.js';

/*
 * The admins' statistics count the people Active in a service at least once in a month
 * (the tenant's month). A month is marked for a person
 * - in the same transaction as their switch to Active, or away from it (they were Active
 *   until then);
 * - by the tenant's jobs, for everyone Active now (someone Active since before the month
 *   began, or made Active by provisioning or a roster sync);
 * and the current month also counts everyone Active as it is read.
 */

/** The mark of a person's month now, to commit with the change that makes it true. */
export const activityMarkOp = (
  stores: Stores,
  tenant: Tenant,
  userId: UserId,
  now: Instant,
): WriteOp =>
  stores.activity.markOp({
    tenantId: tenant.id,
    month: localMonth(now, tenant.settings.general.timeZone),
    userId,
  });

/**
 * Marks this month for the Active ones among new memberships (provisioning, a roster sync,
 * a new tenant), in transactions of their own after theirs: the tenant's jobs would mark
 * them too, within hours.
 */
export async function markNewlyActive(
  stores: Stores,
  memberships: readonly Membership[],
  now: Instant,
): Promise<void> {
  const first = memberships[0];
  if (!first) return;
  const tenant = await stores.tenants.get(tenantKey(first.tenantId));
  if (!tenant) return;
  const userIds = new Set(memberships.filter((m) => m.active).map((m) => m.userId));
  await commitInChunks(
    stores,
    [...userIds].map((userId) => activityMarkOp(stores, tenant.value, userId, now)),
  );
}

/**
 * Marks this month for everyone Active now who has no mark yet, and forgets months older
 * than the statistics show (the tenant's jobs).
 */
export async function markActiveMonth(stores: Stores, tenant: Tenant, now: Instant) {
  const month = localMonth(now, tenant.settings.general.timeZone);
  const [memberships, marked, old] = await Promise.all([
    stores.memberships.list(tenant.id),
    stores.activity.usersIn(tenant.id, month),
    stores.activity.between(tenant.id, '0000-01', addMonths(month, -MAX_MONTHS)),
  ]);
  await commitInChunks(
    stores,
    old.map((mark) => stores.activity.deleteOp(mark)),
  );
  const missing = new Set(
    memberships
      .filter((m) => m.value.active && !marked.has(m.value.userId))
      .map((m) => m.value.userId),
  );
  await commitInChunks(
    stores,
    [...missing].map((userId) => stores.activity.markOp({ tenantId: tenant.id, month, userId })),
  );
}

/** How many people were Active at least once in a month. */
export interface MonthlyActive {
  readonly month: LocalMonth;
  readonly users: number;
}

/** The most months the statistics go back. */
export const MAX_MONTHS = 24;

/**
 * People Active at least once in each of the last `months` months, this one included and
 * first (tenant admins).
 */
export async function monthlyActiveUsers(
  deps: AppDeps,
  identity: Identity,
  tenantId: TenantId,
  months: number,
): Promise<Decision<MonthlyActive[]>> {
  const access = await asTenantAdmin(deps, identity, tenantId);
  if (!access.ok) return access;
  const { tenant } = access.value;
  const current = localMonth(deps.clock.now(), tenant.value.settings.general.timeZone);
  const first = addMonths(current, 1 - months);
  const [marks, memberships] = await Promise.all([
    deps.stores.activity.between(tenantId, first, current),
    deps.stores.memberships.list(tenantId),
  ]);
  const people = new Map<LocalMonth, Set<UserId>>();
  const of = (month: LocalMonth) => {
    let set = people.get(month);
    if (!set) people.set(month, (set = new Set()));
    return set;
  };
  for (const mark of marks) of(mark.month).add(mark.userId);
  for (const m of memberships) if (m.value.active) of(current).add(m.value.userId);
  return allow(
    Array.from({ length: months }, (_, i) => {
      const month = addMonths(current, -i);
      return { month, users: people.get(month)?.size ?? 0 };
    }),
  );
}
