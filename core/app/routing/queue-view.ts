import { mayReadService } from '../../domain/access.js';
import type { Identity } from '../../domain/actor.js';
import type { ServiceId, TenantId } from '../../domain/ids.js';
import { servingOrder } from '../../domain/routing/queue-order.js';
import type { Task } from '../../domain/routing/task.js';
import { allow, forbidden, refuse, type Decision } from '../../domain/refusal.js';
import { queueKey } from '../../store/routing-rows.js';
import type { AppDeps } from '../app-deps.js';
import { resolveActor } from '../resolve-actor.js';
import { loadService } from '../service-admin.js';

/** A service's waiting tasks in the order they would be served now. */
export async function readQueue(
  deps: AppDeps,
  identity: Identity,
  tenantId: TenantId,
  serviceId: ServiceId,
): Promise<Decision<Task[]>> {
  const context = await loadService(deps, identity, tenantId, serviceId);
  if (!context.ok) return context;
  const { actor, service, tree, own } = context.value;
  const denied = mayReadService(actor, service.value.ouId, tree, own);
  if (denied) return refuse(denied);
  const [open, queue] = await Promise.all([
    deps.stores.routing.openTasks.list(tenantId),
    deps.stores.routing.queues.get(queueKey(tenantId, serviceId)),
  ]);
  const waiting = open
    .map((t) => t.value)
    .filter((t) => t.serviceId === serviceId && t.state === 'Queued');
  return allow(servingOrder(waiting, queue?.value.roundRobin ?? {}));
}

/** Tasks ringing for me now. */
export async function myOffers(deps: AppDeps, identity: Identity): Promise<Decision<Task[]>> {
  if (identity.kind !== 'user') return refuse(forbidden('This is for a signed-in user.'));
  const access = await resolveActor(deps, identity, identity.tenantId);
  if (!access.ok) return access;
  const open = await deps.stores.routing.openTasks.list(identity.tenantId);
  return allow(
    open
      .map((t) => t.value)
      .filter((t) => t.state === 'Offered' && t.offeredTo.includes(identity.userId)),
  );
}
