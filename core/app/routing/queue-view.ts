import type { Identity } from '../../domain/actor.js';
import type { ServiceId, TenantId } from '../../domain/ids.js';
import { servingPage, type ServingPosition } from '../../domain/routing/queue-order.js';
import type { Task } from '../../domain/routing/task.js';
import { allow, forbidden, refuse, type Decision } from '../../domain/refusal.js';
import type { AppDeps } from '../app-deps.js';
import { resolveActor } from '../resolve-actor.js';
import { loadReadableService } from '../service-admin.js';

/** A page of a service's queue: its tasks in serving order, where the next page starts, how many wait. */
export interface QueuePage {
  readonly tasks: readonly Task[];
  readonly next: ServingPosition | null;
  readonly waiting: number;
}

/**
 * A service's waiting tasks in the order they would be served now, `top` at a time from
 * where the page before ended (or the head). A page costs its own length, whatever the
 * queue's: the levels are read from the routing index, in order, only as far as it goes.
 */
export async function readQueue(
  deps: AppDeps,
  identity: Identity,
  tenantId: TenantId,
  serviceId: ServiceId,
  page: { readonly top: number; readonly from: ServingPosition | null },
): Promise<Decision<QueuePage>> {
  const context = await loadReadableService(deps, identity, tenantId, serviceId);
  if (!context.ok) return context;
  const index = await deps.stores.routingIndex(tenantId);
  const from = page.from ?? {
    roundRobin: index.queue(serviceId)?.value.roundRobin ?? {},
    after: {},
  };
  const { tasks, next } = servingPage(index.levelsFrom(serviceId), from, page.top);
  return allow({ tasks, next, waiting: index.waitingIn(serviceId) });
}

/** Tasks ringing for me now. */
export async function myOffers(deps: AppDeps, identity: Identity): Promise<Decision<Task[]>> {
  if (identity.kind !== 'user') return refuse(forbidden('This is for a signed-in user.'));
  const access = await resolveActor(deps, identity, identity.tenantId);
  if (!access.ok) return access;
  // A person holds at most one invitation: the one their routing state names.
  const index = await deps.stores.routingIndex(identity.tenantId);
  const engagement = index.agent(identity.userId)?.value.engagement;
  const task = engagement?.kind === 'offered' ? index.task(engagement.taskId)?.value : undefined;
  return allow(task?.state === 'Offered' && task.offeredTo.includes(identity.userId) ? [task] : []);
}
