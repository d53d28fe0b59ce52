import { serviceShard } from '../domain/routing/task-id.js';
import { routingPartition } from '../store/routing-rows.js';
import { mayAdministerOu } from '../domain/access.js';
import { isAdmin, type Identity } from '../domain/actor.js';
import type { ServiceId, TenantId } from '../domain/ids.js';
import { isOpen, type Task } from '../domain/routing/task.js';
import { allow, forbidden, refuse, type Decision } from '../domain/refusal.js';
import type { ServiceLicense } from '../domain/license.js';
import { membershipKey } from '../store/table-membership-store.js';
import { licensePoolKey } from '../store/table-license-pool-store.js';
import { serviceKey } from '../store/table-service-store.js';
import type { AppDeps } from './app-deps.js';
import { commitInChunks } from './commit-in-chunks.js';
import { retryOnConflict } from './retry-on-conflict.js';
import { cancel, end } from './routing/task-actions.js';
import { loadService } from './service-admin.js';

/** What deleting a service did. */
export interface DeletedService {
  readonly serviceId: ServiceId;
  /** The license given back to the tenant's pool. */
  readonly license: ServiceLicense;
  /** Waiting tasks canceled, and tasks in someone's hands ended, on the way. */
  readonly canceled: number;
  readonly ended: number;
}

/** The reason kept on a task someone had in hand when its service was deleted. */
export const ENDED_BY_DELETION = 'The service was deleted.';
/** Open tasks are looked for again this often: one may have arrived while others ended. */
const PASSES = 3;

/** A service's open tasks, in its shard's partition (the tenant's own, with one shard). */
const openTasksOf = async (deps: AppDeps, tenantId: TenantId, serviceId: ServiceId) => {
  const shard = serviceShard(serviceId, await deps.stores.routingShards(tenantId));
  return (await deps.stores.routing.openTasks.list(routingPartition(tenantId, shard)))
    .map((r) => r.value)
    .filter((t) => t.serviceId === serviceId && isOpen(t));
};

const count = (tasks: readonly Task[]) => ({
  waiting: tasks.filter((t) => t.state !== 'Accepted').length,
  inHand: tasks.filter((t) => t.state === 'Accepted').length,
});

/**
 * Deletes a service (SPEC §4: only an admin of its OU; the team in Teams is untouched).
 * While tasks are waiting or in someone's hands it is refused, unless the admin confirms
 * they are ended: then the service first stops taking tasks (`deletingSince`), its
 * waiting tasks are canceled and the ones in hand ended (people are freed, cards say so),
 * and only then its memberships and the service go, and its license returns to the pool.
 * A deletion cut short (a crash) leaves the service not taking tasks; deleting it again
 * finishes the work.
 */
export async function deleteService(
  deps: AppDeps,
  identity: Identity,
  tenantId: TenantId,
  serviceId: ServiceId,
  input: { readonly cancelOpenTasks: boolean },
): Promise<Decision<DeletedService>> {
  const context = await loadService(deps, identity, tenantId, serviceId);
  if (!context.ok) return context;
  const { actor, service, tree } = context.value;
  if (!isAdmin(actor))
    return refuse(forbidden('Only an admin of the service’s organization unit may delete it.'));
  const denied = mayAdministerOu(actor, service.value.ouId, tree);
  if (denied) return refuse(denied);
  const open = await openTasksOf(deps, tenantId, serviceId);
  if (open.length && !input.cancelOpenTasks) {
    const { waiting, inHand } = count(open);
    return refuse({
      code: 'confirmation_required',
      message: `${service.value.name} has ${waiting} waiting task${waiting === 1 ? '' : 's'} and ${inHand} in someone’s hands. Deleting it cancels the waiting ones and ends the others.`,
      details: [
        `${waiting} waiting task${waiting === 1 ? '' : 's'} would be canceled`,
        `${inHand} task${inHand === 1 ? '' : 's'} in someone’s hands would be ended`,
      ],
    });
  }
  // No new task from here on.
  await retryOnConflict(async () => {
    const row = await deps.stores.services.get(serviceKey(tenantId, serviceId));
    if (row && row.value.deletingSince === undefined)
      await deps.stores.services.replace(
        { ...row.value, deletingSince: deps.clock.now() },
        row.etag,
      );
  });
  let canceled = 0;
  let ended = 0;
  let refused: Decision<never> | null = null;
  for (let pass = 0; pass < PASSES; pass++) {
    const tasks = await openTasksOf(deps, tenantId, serviceId);
    if (!tasks.length) break;
    for (const task of tasks) {
      const done =
        task.state === 'Accepted'
          ? await end(deps, identity, task.id, ENDED_BY_DELETION)
          : await cancel(deps, identity, task.id);
      // A task that moved on meanwhile (accepted, ended) is looked at again next pass.
      if (!done.ok) refused = done;
      else if (task.state === 'Accepted') ended++;
      else canceled++;
    }
  }
  if ((await openTasksOf(deps, tenantId, serviceId)).length)
    // It takes no tasks meanwhile; deleting it again finishes the work.
    return (
      refused ??
      refuse({
        code: 'confirmation_required',
        message: `Tasks kept arriving in ${service.value.name} while it was being deleted; delete it again.`,
        details: [],
      })
    );
  await retryOnConflict(async () => {
    const members = await deps.stores.memberships.list(tenantId, `${serviceId}:`);
    await commitInChunks(
      deps.stores,
      members.map((m) =>
        deps.stores.memberships.deleteOp(membershipKey(tenantId, serviceId, m.value.userId)),
      ),
    );
  });
  // The license as the service holds it now: a license change may have landed meanwhile.
  let license = service.value.license;
  await retryOnConflict(async () => {
    const row = await deps.stores.services.get(serviceKey(tenantId, serviceId));
    if (!row) return; // deleted meanwhile by another request
    license = row.value.license;
    const pool = await deps.stores.licensePools.get(licensePoolKey(tenantId, license));
    await deps.stores.commit([
      deps.stores.services.deleteOp(serviceKey(tenantId, serviceId)),
      ...(pool
        ? [
            deps.stores.licensePools.replaceOp(
              { ...pool.value, used: Math.max(0, pool.value.used - 1) },
              pool.etag,
            ),
          ]
        : []),
    ]);
  });
  // Nobody's availability changes; views and cards show the service gone.
  deps.distribution.changed(tenantId);
  return allow({ serviceId, license, canceled, ended });
}
