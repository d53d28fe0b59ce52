import type { TenantId } from '../../domain/ids.js';
import type { Decision } from '../../domain/refusal.js';
import type { AppDeps } from '../app-deps.js';
import { decideOnFreshView } from '../retry-on-conflict.js';

/**
 * The one place that distributes after a committed change. Use cases call it once their
 * step is committed, never the routes or the bot: a step that may make someone able or
 * unable to take a task (a task queued or ended, a person freed, an Active switch, a
 * member, a setting, skills, a license, the tenant's state) distributes at once, so
 * waiting tasks go out and invitations nobody can take any more are withdrawn before the
 * answer; a step that only changes what people see is told (cards, live views).
 * The dispatcher implements it; runs are coalesced per tenant.
 */
export interface Distribution {
  /** Distributes the tenant's waiting tasks now; resolves once settled, then tells. */
  run(tenantId: TenantId): Promise<void>;
  /** Tells of a committed change that cannot change who may take a task. */
  changed(tenantId: TenantId): void;
}

/** For use cases run without routing (tools, tests of the directory): nothing to distribute. */
export const NO_DISTRIBUTION: Distribution = {
  run: () => Promise.resolve(),
  changed: () => undefined,
};

/** A use case's decision, distributed after if it went through. */
export async function distributedAfter<T>(
  deps: AppDeps,
  tenantId: TenantId,
  decision: Promise<Decision<T>>,
): Promise<Decision<T>> {
  const decided = await decision;
  if (decided.ok) await deps.distribution.run(tenantId);
  return decided;
}

/**
 * A decision on a tenant's tenancy rows (see decideOnFreshView), distributed after if it
 * went through: the shape of every admin change that may change who can take a task.
 */
export function decideOnTenancyThenDistribute<T>(
  deps: AppDeps,
  tenantId: TenantId,
  step: () => Promise<Decision<T>>,
): Promise<Decision<T>> {
  return distributedAfter(
    deps,
    tenantId,
    decideOnFreshView(deps.stores, 'tenancy', tenantId, step),
  );
}
