import type { TenantId } from '../../core/domain/ids.js';
import type { Decision } from '../../core/domain/refusal.js';

/** Runs a tenant's distribution at once (the dispatcher's run), resolving when it settled. */
export type Distribute = (tenantId: TenantId) => Promise<void>;

export const noDistribution: Distribute = () => Promise.resolve();

/**
 * For routes whose change may make someone able or unable to take a task (a member, an
 * Active switch, a setting, skills, a license, the tenant's state): after a change that
 * went through, distribute at once rather than at the next timer sweep, so waiting tasks
 * go out, and invitations nobody can take any more are withdrawn, before the reply.
 */
export const distributingAfter =
  (distribute: Distribute) =>
  async <T>(tenantId: TenantId, result: Decision<T>): Promise<Decision<T>> => {
    if (result.ok) await distribute(tenantId);
    return result;
  };
