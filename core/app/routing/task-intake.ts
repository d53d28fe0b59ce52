import { mayEditService } from '../../domain/access.js';
import type { Identity } from '../../domain/actor.js';
import type { ServiceId, TenantId } from '../../domain/ids.js';
import { stateOrOffline } from '../../domain/routing/agent-state.js';
import { availability } from '../../domain/routing/availability.js';
import { queueExit } from '../../domain/routing/queue-exit.js';
import { licensesFor } from '../../domain/routing/task-licenses.js';
import { inShard, serviceShard, taskIdFor } from '../../domain/routing/task-id.js';
import {
  queuedTask,
  routingOf,
  type Modality,
  type Task,
  type TaskChannel,
} from '../../domain/routing/task.js';
import { allow, refuse, type Decision } from '../../domain/refusal.js';
import { noNewTasksReason, type Service } from '../../domain/service.js';
import { inactivityReason, type Tenant } from '../../domain/tenant.js';
import type { ModalitySettings } from '../../domain/tenant-settings.js';
import type { AppDeps } from '../app-deps.js';
import { loadService } from '../service-admin.js';
import { RoutingUnit, routingStep } from './routing-unit.js';
import type { RoutingRows } from '../../store/routing-index.js';

export interface NewTask {
  readonly modality: Modality;
  readonly subject: string;
  readonly externalId?: string | undefined;
  /** Where the task itself is (https), shown as "Open" to whoever takes it. */
  readonly link?: string | undefined;
  /** Where the task's outcome events go (https), signed with the tenant's secret. */
  readonly callbackUrl?: string | undefined;
  /** Where it came from when not the API: 'interact' for a website chat. */
  readonly channel?: TaskChannel | undefined;
}

let sequence = 0;

/**
 * Ids that sort in arrival order (time, then a per-process sequence), so FIFO holds for
 * tasks entering in the same millisecond; the random tail keeps instances apart.
 */
function orderedUnique(now: number, random: string): string {
  sequence = (sequence + 1) % 36 ** 4;
  return `${now.toString(36).padStart(10, '0')}-${sequence.toString(36).padStart(4, '0')}-${random.replace(/-/g, '').slice(0, 12)}`;
}

const LIMIT_OF: Record<Modality, keyof ModalitySettings | null> = {
  Call: null,
  Im: 'maxIm',
  ExternalTask: 'maxExternalTask',
  Email: 'maxEmail',
};

/** Per-service concurrency limit per modality: open tasks of that modality may not exceed it. */
function overLimit(
  tenant: Tenant,
  index: RoutingRows,
  service: Service,
  modality: Modality,
): string | null {
  const key = LIMIT_OF[modality];
  if (!key) return null;
  const max = tenant.settings.modalities[key];
  const count = index.openCount(service.id, modality);
  return count >= max
    ? `Service ${service.name} already has ${count} open ${modality} tasks, its limit; new ones are refused until the backlog drops below ${max}.`
    : null;
}

/** A task by id, open or ended, as this instance sees it (for reading, not deciding). */
export function findTask(deps: AppDeps, tenantId: TenantId, taskId: Task['id']) {
  return new RoutingUnit(deps.stores, tenantId).seenTask(taskId);
}

/**
 * A new task enters its service's queue with the service's current priority and routing
 * settings, and the queue exit it had on entry. The same external id twice gives the first
 * task. Refused while the tenant does not work, for services without users, and above
 * the service's concurrency limit for the modality.
 */
export function createTask(
  deps: AppDeps,
  identity: Identity,
  tenantId: TenantId,
  serviceId: ServiceId,
  input: NewTask,
) {
  type Created = Decision<{ task: Task; created: boolean }>;
  return routingStep(deps.stores, tenantId, async (unit): Promise<Created> => {
    const context = await loadService(deps, identity, tenantId, serviceId);
    if (!context.ok) return context;
    const { actor, tenant, service, tree, own } = context.value;
    const denied = mayEditService(actor, service.value.ouId, tree, own);
    if (denied) return refuse(denied);
    const inactive = inactivityReason(tenant.value);
    if (inactive) return refuse({ code: 'tenant_inactive', message: inactive });
    const shard = serviceShard(serviceId, tenant.value.routingShards ?? 1);
    const existing = input.externalId && (await unit.external(serviceId, input.externalId, shard));
    if (existing) return allow({ task: existing.value, created: false });
    const stopped = noNewTasksReason(service.value);
    if (stopped) return refuse({ code: 'policy_denied', message: stopped });
    if (service.value.assignmentType === 'None')
      return refuse({
        code: 'policy_denied',
        message: `Service ${service.value.name} has no users (assignment type None), so it cannot take tasks.`,
      });
    const [index, tenancy] = await Promise.all([unit.index(), deps.stores.tenancyIndex(tenantId)]);
    const limit = overLimit(tenant.value, index, service.value, input.modality);
    if (limit) return refuse({ code: 'limit_reached', message: limit });
    const now = deps.clock.now();
    const needs = licensesFor({ modality: input.modality, channel: input.channel ?? null });
    // Weighed one at a time, as far as the queue exit needs (the first person free settles it).
    const members = (function* () {
      for (const membership of tenancy.members.get(serviceId) ?? []) {
        const agent = stateOrOffline(
          index.states.get(membership.userId),
          tenantId,
          membership.userId,
          now,
        );
        yield {
          availability: availability({
            tenant: tenant.value,
            service: service.value,
            membership,
            agent,
            needs,
            licenses: tenancy.licenses.get(membership.userId) ?? [],
            now,
          }),
          presence: agent.presence,
        };
      }
    })();
    const task = queuedTask({
      tenantId,
      id: taskIdFor(tenantId, inShard(orderedUnique(now, deps.newId()), shard)),
      serviceId,
      modality: input.modality,
      subject: input.subject,
      externalId: input.externalId ?? null,
      link: input.link ?? null,
      callbackUrl: input.callbackUrl ?? null,
      channel: input.channel ?? null,
      priority: service.value.settings.distribution.priority,
      exit: queueExit(members),
      enqueuedAt: now,
      routing: routingOf(service.value.settings.distribution),
    });
    await unit.commit(unit.intakeWrites(task));
    await deps.distribution.run(tenantId);
    const after = await unit.seenTask(task.id);
    return allow({ task: after?.value ?? task, created: true });
  });
}
