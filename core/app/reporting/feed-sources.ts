import type { ServiceId, TenantId, UserId } from '../../domain/ids.js';
import {
  eventRows,
  personRow,
  serviceRow,
  stateRow,
  taskRow,
  type FeedPrivacy,
} from '../../domain/reporting/feed-rows.js';
import type { FeedRow } from '../../domain/reporting/feed-types.js';
import type { UserStateRecord } from '../../store/user-state-rows.js';
import type { HistoryRecord } from '../../store/history-rows.js';
import type { AppDeps } from '../app-deps.js';

/** What a reader may see: every service and person (null), or those of an OU admin's units. */
export interface FeedScope {
  readonly services: ReadonlySet<ServiceId> | null;
  readonly users: ReadonlySet<UserId> | null;
}

/**
 * An entity set's rows for one reader. `keyOrdered`: `rows(fromKey)` gives them in key
 * order from that key on (a page starts there in storage); otherwise in any order, all.
 */
export interface FeedSource {
  readonly keyOrdered: boolean;
  rows(fromKey?: string): AsyncIterable<FeedRow>;
}

const inScope = <T>(set: ReadonlySet<T> | null, id: T | null) =>
  set === null || (id !== null && set.has(id));

/** Two key-ordered streams as one, by a key of each item. */
async function* merged<T>(
  a: AsyncIterator<T>,
  b: AsyncIterator<T>,
  key: (item: T) => string,
): AsyncGenerator<T> {
  let [x, y] = await Promise.all([a.next(), b.next()]);
  while (!x.done || !y.done) {
    if (y.done || (!x.done && key(x.value) <= key(y.value))) {
      yield x.value as T;
      x = await a.next();
    } else {
      yield y.value;
      y = await b.next();
    }
  }
}

/** Key-ordered streams as one (a tenant's routing shards, each in key order). */
function mergedAll<T>(streams: readonly AsyncIterator<T>[], key: (item: T) => string) {
  const [first, ...rest] = streams;
  return rest.reduce<AsyncIterator<T>>(
    (all, next) => merged(all, next, key),
    first ?? fromList([]),
  );
}

/** An async iterable's iterator. */
const iteratorOf = <T>(items: AsyncIterable<T>): AsyncIterator<T> => items[Symbol.asyncIterator]();

function fromList<T>(items: readonly T[]): AsyncIterator<T> {
  const it = items[Symbol.iterator]();
  return { next: () => Promise.resolve(it.next()) };
}

/** Open tasks (this instance's view) and ended ones (storage), by task id. */
function tasksSource(deps: AppDeps, tenantId: TenantId, p: FeedPrivacy, scope: FeedScope) {
  const { openTasks, doneTasks } = deps.stores.routing;
  return {
    keyOrdered: true,
    async *rows(fromKey?: string) {
      const partitions = await deps.stores.routingPartitions(tenantId);
      const open = (await Promise.all(partitions.map((pk) => openTasks.list(pk))))
        .flat()
        .map((r) => r.value)
        .filter((t) => fromKey === undefined || t.id >= fromKey)
        .sort((a, b) => (a.id < b.id ? -1 : 1));
      const done = mergedAll(
        partitions.map((pk) => iteratorOf(doneTasks.inKeyOrder(pk, fromKey && `done:${fromKey}`))),
        (t) => t.id,
      );
      let last: string | undefined;
      for await (const task of merged(fromList(open), done, (t) => t.id)) {
        // A task that ended while being read is in both: its ended row comes second.
        if (task.id === last) continue;
        last = task.id;
        if (inScope(scope.services, task.serviceId)) yield taskRow(task, p);
      }
    },
  };
}

/** The history's steps in key order; a step's events carry its key with a 5-digit index. */
function eventsSource(deps: AppDeps, tenantId: TenantId, p: FeedPrivacy, scope: FeedScope) {
  return {
    keyOrdered: true,
    async *rows(fromKey?: string) {
      const from = fromKey && `hist:${fromKey.slice(0, fromKey.lastIndexOf(':'))}`;
      const idOf = (record: HistoryRecord) =>
        `${record.taskId}:${String(record.step.at).padStart(13, '0')}:${record.seq}`;
      const partitions = await deps.stores.routingPartitions(tenantId);
      const records = mergedAll(
        partitions.map((pk) => iteratorOf(deps.stores.history.inKeyOrder(pk, from))),
        idOf,
      );
      for await (const record of { [Symbol.asyncIterator]: () => records }) {
        if (!inScope(scope.services, record.serviceId)) continue;
        const id = idOf(record);
        yield* eventRows(id, record.taskId, record.serviceId, record.step, p);
      }
    },
  };
}

const stateId = (r: UserStateRecord) =>
  `${r.userId}:${String(r.step.at).padStart(13, '0')}:${r.seq}`;

/**
 * Kept state changes of both kinds in key order (person, time). A state lasts until the
 * person's next state, which follows it in the same stream. Masked people's ids are not in
 * key order, so then the set is read whole and sorted.
 */
function statesSource(deps: AppDeps, tenantId: TenantId, p: FeedPrivacy, scope: FeedScope) {
  return {
    keyOrdered: p.users === 'clear',
    async *rows(fromKey?: string) {
      const from = p.users === 'clear' ? fromKey : undefined;
      const [states, switches] = deps.stores.userStates.inKeyOrder(tenantId, from);
      const withNext = async function* () {
        let held: UserStateRecord | undefined;
        for await (const r of states) {
          if (held) yield { r: held, nextAt: r.userId === held.userId ? r.step.at : null };
          held = r;
        }
        if (held) yield { r: held, nextAt: null };
      };
      const paired = mapAsync(switches, (r) => ({ r, nextAt: null as number | null }));
      for await (const { r, nextAt } of merged(withNext(), paired, (x) => stateId(x.r))) {
        if (!inScope(scope.users, r.userId)) continue;
        const id = p.users === 'clear' ? stateId(r) : p.pseudonym(`state:${stateId(r)}`);
        yield stateRow(id, r.userId, r.step, nextAt, p);
      }
    },
  };
}

async function* mapAsync<T, U>(items: AsyncIterable<T>, f: (t: T) => U): AsyncGenerator<U> {
  for await (const item of items) yield f(item);
}

/** An entity set's source for a reader of a tenant. */
export function feedSource(
  deps: AppDeps,
  set: string,
  tenantId: TenantId,
  p: FeedPrivacy,
  scope: FeedScope,
): FeedSource {
  switch (set) {
    case 'Tasks':
      return tasksSource(deps, tenantId, p, scope);
    case 'TaskEvents':
      return eventsSource(deps, tenantId, p, scope);
    case 'UserStates':
      return statesSource(deps, tenantId, p, scope);
    case 'Services':
      return {
        keyOrdered: false,
        async *rows() {
          for (const { value } of await deps.stores.services.list(tenantId))
            if (inScope(scope.services, value.id)) yield serviceRow(value);
        },
      };
    default:
      return {
        keyOrdered: false,
        async *rows() {
          for (const { value } of await deps.stores.users.list(tenantId))
            if (inScope(scope.users, value.id)) yield personRow(value, p);
        },
      };
  }
}
