import { mayEditService } from '../../domain/access.js';
import type { Identity } from '../../domain/actor.js';
import type { DirectoryUser } from '../../domain/directory-user.js';
import type { ServiceId, TenantId, UserId } from '../../domain/ids.js';
import {
  occupation,
  stateOrOffline,
  tasksTaken,
  type AgentState,
} from '../../domain/routing/agent-state.js';
import { availability, type Availability } from '../../domain/routing/availability.js';
import { allow, type Decision } from '../../domain/refusal.js';
import {
  HANDLING_DAYS,
  longerThanUsual,
  usualHandlingMs,
} from '../../domain/routing/handling-time.js';
import { DAY_MS, dayOf } from '../../domain/reporting/tally.js';
import type { Task } from '../../domain/routing/task.js';
import { licenseGaps, type LicenseGap } from '../../domain/routing/task-licenses.js';
import type { Membership, Service } from '../../domain/service.js';
import { userKey } from '../../store/table-user-store.js';
import { agentKey, openTaskKey } from '../../store/routing-rows.js';
import type { Instant } from '../../domain/instant.js';
import { serviceKey } from '../../store/table-service-store.js';
import type { AppDeps } from '../app-deps.js';
import { loadReadableService } from '../service-admin.js';

export interface BoardMember {
  readonly membership: Membership;
  readonly user: DirectoryUser | undefined;
  readonly agent: AgentState;
  readonly availability: Availability;
  /** The kinds of tasks they get none of for want of a license. */
  readonly licenseGaps: readonly LicenseGap[];
  /** The name of the service whose task occupies them ("Busy in Sales Line"), if any. */
  readonly engagedIn: string | null;
  /** The task of this service they took longest ago and have not finished, if any. */
  readonly inHand: { readonly task: Task; readonly longerThanUsual: boolean } | null;
}

export interface ServiceBoard {
  readonly service: Service;
  /** One page of the members, by person (user id). */
  readonly members: readonly BoardMember[];
  /** How many members the service has in all. */
  readonly total: number;
  /** The last member of this page when more follow (where the next page starts), else null. */
  readonly next: UserId | null;
  /** The tenant's data privacy setting: may people see how long others have been in a state? */
  readonly showTimeInState: boolean;
  /** Owners and admins may end a task someone accepted, and always see since when. */
  readonly viewerMayEdit: boolean;
  /** How long the service's tasks usually stay in hand (see usualHandlingMs). */
  readonly usualHandlingMs: number;
}

/** A page of a service's members: `top` of them, after the person `after` (by user id). */
export interface BoardPage {
  readonly top: number;
  readonly after: UserId | null;
}

/**
 * A service's members as its page shows them, a page at a time: who they are, Active, and
 * free for a task now or why not. A page reads its own members' rows only.
 */
export async function serviceBoard(
  deps: AppDeps,
  identity: Identity,
  tenantId: TenantId,
  serviceId: ServiceId,
  page: BoardPage,
): Promise<Decision<ServiceBoard>> {
  const context = await loadReadableService(deps, identity, tenantId, serviceId);
  if (!context.ok) return context;
  const { actor, service, tree, own, tenant } = context.value;
  const tenancy = await deps.stores.tenancyIndex(tenantId);
  const { shown, more } = tenancy.memberPage(serviceId, page.after, page.top);
  const next = more ? (shown.at(-1)?.userId ?? null) : null;
  const now = deps.clock.now();
  const members = await Promise.all(
    shown.map(async (membership) => {
      const [user, agentRow] = await Promise.all([
        deps.stores.users.get(userKey(tenantId, membership.userId)),
        deps.stores.routing.agents.get(agentKey(tenantId, membership.userId)),
      ]);
      const agent = stateOrOffline(agentRow?.value, tenantId, membership.userId, now);
      const free = availability({
        tenant: tenant.value,
        service: service.value,
        membership,
        agent,
        now,
      });
      const gaps = licenseGaps(user?.value.licenses ?? [], {
        websiteChats:
          tenant.value.settings.interact.enabled && service.value.settings.extensions.interact,
      });
      return { membership, user: user?.value, agent, availability: free, licenseGaps: gaps };
    }),
  );
  const names = await serviceNames(deps, service.value, members);
  const inHand = await tasksInHand(deps, service.value, members);
  const usual = inHand.size ? await usualHandlingOf(deps, service.value, now) : 0;
  return allow({
    service: service.value,
    total: tenancy.memberCount(serviceId),
    next,
    showTimeInState: tenant.value.settings.dataPrivacy.showTimeInState,
    viewerMayEdit: mayEditService(actor, service.value.ouId, tree, own) === null,
    usualHandlingMs: usual,
    members: members.map((m) => {
      const task = inHand.get(m.membership.userId);
      const occupied = occupation(m.agent);
      return {
        ...m,
        engagedIn: occupied ? (names.get(occupied.serviceId) ?? null) : null,
        inHand: task
          ? {
              task,
              longerThanUsual:
                task.acceptedAt !== null && longerThanUsual(task.acceptedAt, now, usual),
            }
          : null,
      };
    }),
  });
}

/** The task of this service each member took longest ago and has not finished (open rows, in memory). */
async function tasksInHand(
  deps: AppDeps,
  service: Service,
  members: readonly { readonly agent: AgentState }[],
): Promise<Map<string, Task>> {
  const rows = await Promise.all(
    members.flatMap(({ agent }) => {
      const taken = tasksTaken(agent).find((held) => held.serviceId === service.id);
      return taken
        ? [deps.stores.routing.openTasks.get(openTaskKey(service.tenantId, taken.taskId))]
        : [];
    }),
  );
  return new Map(
    rows.flatMap((row) =>
      row?.value.state === 'Accepted' && row.value.acceptedBy
        ? [[row.value.acceptedBy, row.value] as const]
        : [],
    ),
  );
}

/**
 * From reporting's day tallies of the service (one key range of at most
 * {@link HANDLING_DAYS} rows; asked only when someone has a task in hand), never from its
 * ended tasks, however many a tenant keeps. Steps are counted there within seconds of
 * happening (tally-folder.ts).
 */
async function usualHandlingOf(deps: AppDeps, service: Service, now: Instant): Promise<number> {
  const from = dayOf(now) - (HANDLING_DAYS - 1) * DAY_MS;
  const days = await deps.stores.tallies.between(
    service.tenantId,
    service.id,
    from,
    now + 1,
    'day',
  );
  return usualHandlingMs(days.map((day) => day.tally.handle).reverse());
}

/** Names of the services the members are busy in: this one, and any other read once. */
async function serviceNames(
  deps: AppDeps,
  service: Service,
  members: readonly { readonly agent: AgentState }[],
): Promise<Map<ServiceId, string>> {
  const others = [...new Set(members.flatMap((m) => occupation(m.agent)?.serviceId ?? []))].filter(
    (id) => id !== service.id,
  );
  const rows = await Promise.all(
    others.map((id) => deps.stores.services.get(serviceKey(service.tenantId, id))),
  );
  return new Map([
    [service.id, service.name],
    ...rows.flatMap((row) => (row ? [[row.value.id, row.value.name] as const] : [])),
  ]);
}
