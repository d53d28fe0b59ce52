import type { ServiceId, TaskId, UserId } from '../domain/ids.js';
import type { Instant } from '../domain/instant.js';
import type { AgentState } from '../domain/routing/agent-state.js';
import type { WaitingTasks } from '../domain/routing/plan-dispatch.js';
import type { Level, LevelFrom, Queued } from '../domain/routing/queue-order.js';
import type { QueueState } from '../domain/routing/queue-state.js';
import type { Modality, Task } from '../domain/routing/task.js';
import { laneOf, type Lane } from '../domain/routing/task-licenses.js';
import {
  indexKind,
  type CachedRow,
  type IndexKind,
  type PartitionIndex,
} from './partition-cache.js';
import type { RoutingStores } from './routing-rows.js';
import type { Versioned } from './table-repository.js';
import { sortedTree, type SortedTree } from './sorted-tree.js';

type Tree<V> = SortedTree<string, V>;

const TASK = 'open:';
const AGENT = 'agent:';
const QUEUE = 'queue:';

/** Sorts as numbers do (instants in milliseconds, never negative). */
const timeKey = (at: number) => String(at).padStart(16, '0');

/** A waiting task's place in its level: entry time, then id (the planner's FIFO). */
const fifo = (a: Queued, b: Queued) =>
  a.enqueuedAt - b.enqueuedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** When a row's timer falls due: an offer's expiry, an ACW end, a RONA's end. */
function timersOf(rowKey: string, value: Task | AgentState): string[] {
  const due: number[] = [];
  if ('offerExpiresAt' in value) {
    if (value.state === 'Offered' && value.offerExpiresAt !== null) due.push(value.offerExpiresAt);
  } else {
    if (value.engagement?.kind === 'acw') due.push(value.engagement.until);
    if (value.ronaUntil !== null) due.push(value.ronaUntil);
  }
  return due.map((at) => `${timeKey(at)}\n${rowKey}`);
}

/** What the timers index names: the row whose timer it is. */
const rowOfTimer = (key: string) => key.slice(key.indexOf('\n') + 1);

/** A map of cached rows read as something made of each (one map held, not two). */
class MappedView<K, V> implements ReadonlyMap<K, V> {
  constructor(
    private readonly rows: ReadonlyMap<K, CachedRow>,
    private readonly of: (row: CachedRow) => V,
  ) {}
  get size(): number {
    return this.rows.size;
  }
  get(key: K): V | undefined {
    const row = this.rows.get(key);
    return row && this.of(row);
  }
  has(key: K): boolean {
    return this.rows.has(key);
  }
  keys(): MapIterator<K> {
    return this.rows.keys();
  }
  *values(): MapIterator<V> {
    for (const row of this.rows.values()) yield this.of(row);
  }
  *entries(): MapIterator<[K, V]> {
    for (const [key, row] of this.rows) yield [key, this.of(row)];
  }
  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }
  forEach(each: (value: V, key: K, map: ReadonlyMap<K, V>) => void): void {
    for (const [key, row] of this.rows) each(this.of(row), key, this);
  }
}

/** A lane's waiting tasks in FIFO order; the tasks themselves are the keys (none of their own to hold). */
type LaneTree = SortedTree<Queued, undefined>;

/** A lane's tasks as the planner iterates them, as they are now. */
const laneTasks = (tree: LaneTree): Iterable<Task> => ({
  [Symbol.iterator]: () => tree.keys() as Iterator<Task>,
});

/**
 * One level's waiting tasks: one FIFO per lane (tasks needing the same licenses, see
 * task-licenses.ts), so the planner finds the first task someone may take at once; read
 * whole, the lanes merge into the level's FIFO order (at most a few lanes).
 */
class LevelQueue implements Iterable<Task> {
  readonly lanes = new Map<Lane, LaneTree>();
  size = 0;

  add(task: Task): boolean {
    const lane = laneOf(task);
    let tree = this.lanes.get(lane);
    if (!tree) this.lanes.set(lane, (tree = sortedTree<Queued, undefined>(fifo)));
    if (!tree.set(task, undefined)) return false;
    this.size++;
    return true;
  }

  remove(task: Task): boolean {
    const lane = laneOf(task);
    const tree = this.lanes.get(lane);
    if (!tree?.delete(task)) return false;
    this.size--;
    if (!tree.size) this.lanes.delete(lane);
    return true;
  }

  [Symbol.iterator](): Iterator<Task> {
    return this.from(null);
  }

  /** The tasks after one (by its FIFO place, whether or not it still waits), or from the head. */
  *from(after: Queued | null): Generator<Task> {
    const heads: { it: Iterator<Queued>; head: IteratorResult<Queued> }[] = [];
    for (const tree of this.lanes.values()) {
      const it = tree.keys(after ?? undefined);
      heads.push({ it, head: it.next() });
    }
    for (;;) {
      let first: (typeof heads)[number] | undefined;
      for (const lane of heads) {
        if (lane.head.done) continue;
        if (after && fifo(lane.head.value, after) === 0) {
          lane.head = lane.it.next();
          if (lane.head.done) continue;
        }
        if (!first || fifo(lane.head.value, (first.head as IteratorYieldResult<Queued>).value) < 0)
          first = lane;
      }
      if (!first || first.head.done) return;
      yield first.head.value as Task;
      first.head = first.it.next();
    }
  }
}

/**
 * A tenant's routing rows as the steps ask for them, kept up to date row by row: open
 * tasks by id, the tasks waiting per service and level in FIFO order, the tasks ringing,
 * open tasks per service and modality, people's routing states, queue rows, and every
 * timer by due time. Each write costs what it changes (a few tree operations), whatever
 * the queue's length; reading a queue's head, a count or the next due timer costs the
 * same at a thousand tasks or a million.
 *
 * Built from the partition cache's rows and told of each change there (see
 * PartitionCache.index); without a cache, built from the rows read for the step
 * (PartitionCache.build).
 */
export class RoutingIndex implements PartitionIndex, WaitingTasks {
  private readonly open = new Map<TaskId, Versioned<Task>>();
  private readonly byService = new Map<ServiceId, Map<Level, LevelQueue>>();
  private waitingCount = 0;
  private readonly ringing = new Map<TaskId, Task>();
  private readonly counts = new Map<string, number>();
  /** People's cached rows (each a parsed state and its ETag, kept once by the cache). */
  private readonly agentRows = new Map<UserId, CachedRow>();
  private readonly agentVersions: ReadonlyMap<UserId, Versioned<AgentState>>;
  private readonly agentStates: ReadonlyMap<UserId, AgentState>;
  private readonly queueRows = new Map<ServiceId, Versioned<QueueState>>();
  private readonly timers: Tree<undefined> = sortedTree<string, undefined>();
  private readonly timersByRow = new Map<string, readonly string[]>();
  private readonly peopleWatchers = new Set<(userId: UserId) => void>();

  constructor(private readonly stores: RoutingStores) {
    this.agentVersions = new MappedView(this.agentRows, (row) => stores.agents.parsed(row));
    this.agentStates = new MappedView(this.agentRows, (row) => stores.agents.parsed(row).value);
  }

  /** The kind of index the partition cache builds over a tenant's routing partition. */
  static kind(stores: RoutingStores): IndexKind<RoutingIndex> {
    return indexKind([TASK, AGENT, QUEUE], () => new RoutingIndex(stores));
  }

  changed(rowKey: string, row: CachedRow | undefined): void {
    if (rowKey.startsWith(TASK)) this.putTask(rowKey, row && this.stores.openTasks.parsed(row));
    else if (rowKey.startsWith(AGENT)) this.putAgent(rowKey, row);
    else if (rowKey.startsWith(QUEUE))
      this.putQueue(rowKey.slice(QUEUE.length) as ServiceId, row && this.stores.queues.parsed(row));
  }

  /**
   * The index that holds people's routing states (with several shards, shard 0's): what the
   * service pools watch.
   */
  get people(): RoutingIndex {
    return this;
  }

  /** Calls `watcher` after each change of a person's routing state; the returned function stops it. */
  watchPeople(watcher: (userId: UserId) => void): () => void {
    this.peopleWatchers.add(watcher);
    return () => this.peopleWatchers.delete(watcher);
  }

  // Reading

  task(id: TaskId): Versioned<Task> | undefined {
    return this.open.get(id);
  }

  /** Every open task, in no particular order (views of a whole tenant, not routing steps). */
  openTasks(): IterableIterator<Versioned<Task>> {
    return this.open.values();
  }

  /** Open tasks of a service with a modality. */
  openCount(serviceId: ServiceId, modality: Modality): number {
    return this.counts.get(`${serviceId}\n${modality}`) ?? 0;
  }

  /** Tasks waiting in every queue. */
  get waiting(): number {
    return this.waitingCount;
  }

  /** The services with tasks waiting. */
  services(): Iterable<ServiceId> {
    return this.byService.keys();
  }

  /** A service's waiting tasks per level, each level in FIFO order. */
  levels(serviceId: ServiceId): ReadonlyMap<Level, Iterable<Task>> {
    return this.byService.get(serviceId) ?? new Map();
  }

  /** A service's waiting tasks per level and lane, each lane in FIFO order (the planner's view). */
  lanes(serviceId: ServiceId): ReadonlyMap<Level, ReadonlyMap<Lane, Iterable<Task>>> {
    const levels = new Map<Level, Map<Lane, Iterable<Task>>>();
    for (const [level, queue] of this.byService.get(serviceId) ?? [])
      levels.set(level, new Map([...queue.lanes].map(([lane, tree]) => [lane, laneTasks(tree)])));
    return levels;
  }

  /** A service's waiting tasks per level, each from a place on (for pages of the queue view). */
  levelsFrom(serviceId: ServiceId): ReadonlyMap<Level, LevelFrom<Task>> {
    const levels = new Map<Level, LevelFrom<Task>>();
    for (const [level, queue] of this.byService.get(serviceId) ?? [])
      levels.set(level, (after) => queue.from(after));
    return levels;
  }

  /** How many tasks wait in a service's queue. */
  waitingIn(serviceId: ServiceId): number {
    let count = 0;
    for (const queue of this.byService.get(serviceId)?.values() ?? []) count += queue.size;
    return count;
  }

  /** The tasks ringing for someone now. */
  offered(): Task[] {
    return [...this.ringing.values()];
  }

  agent(userId: UserId): Versioned<AgentState> | undefined {
    return this.agentVersions.get(userId);
  }

  /** People's routing states with their versions, live (they change as steps commit). */
  get agents(): ReadonlyMap<UserId, Versioned<AgentState>> {
    return this.agentVersions;
  }

  /** People's routing states, live. */
  get states(): ReadonlyMap<UserId, AgentState> {
    return this.agentStates;
  }

  queue(serviceId: ServiceId): Versioned<QueueState> | undefined {
    return this.queueRows.get(serviceId);
  }

  get queues(): ReadonlyMap<ServiceId, Versioned<QueueState>> {
    return this.queueRows;
  }

  /** When the next timer falls due (an offer's expiry, an ACW end, a RONA's end); null if none. */
  nextDue(): Instant | null {
    const first = this.timers.minKey();
    return first === undefined ? null : (Number(first.slice(0, first.indexOf('\n'))) as Instant);
  }

  /** The rows whose timers fell due by `now`, each once: ringing tasks and people. */
  due(now: Instant): { tasks: Versioned<Task>[]; agents: Versioned<AgentState>[] } {
    const rows = new Set<string>();
    const end = `${timeKey(now)}\n\uffff`;
    for (const key of this.timers.keys()) {
      if (key > end) break;
      rows.add(rowOfTimer(key));
    }
    const tasks: Versioned<Task>[] = [];
    const agents: Versioned<AgentState>[] = [];
    for (const rowKey of rows) {
      if (rowKey.startsWith(TASK)) {
        const task = this.open.get(rowKey.slice(TASK.length) as TaskId);
        if (task) tasks.push(task);
      } else {
        const agent = this.agentVersions.get(rowKey.slice(AGENT.length) as UserId);
        if (agent) agents.push(agent);
      }
    }
    return { tasks, agents };
  }

  // Keeping up

  private putTask(rowKey: string, row: Versioned<Task> | undefined): void {
    const id = rowKey.slice(TASK.length) as TaskId;
    const before = this.open.get(id)?.value;
    if (before) {
      const count = `${before.serviceId}\n${before.modality}`;
      this.counts.set(count, (this.counts.get(count) ?? 1) - 1);
      if (before.state === 'Queued') this.unqueue(before);
      this.ringing.delete(id);
    }
    this.setTimers(rowKey, row?.value);
    if (!row) {
      this.open.delete(id);
      return;
    }
    const task = row.value;
    this.open.set(id, row);
    const count = `${task.serviceId}\n${task.modality}`;
    this.counts.set(count, (this.counts.get(count) ?? 0) + 1);
    if (task.state === 'Queued') this.enqueue(task);
    if (task.state === 'Offered') this.ringing.set(id, task);
  }

  private enqueue(task: Task): void {
    let levels = this.byService.get(task.serviceId);
    if (!levels) this.byService.set(task.serviceId, (levels = new Map<Level, LevelQueue>()));
    let level = levels.get(task.priority);
    if (!level) levels.set(task.priority, (level = new LevelQueue()));
    if (level.add(task)) this.waitingCount++;
  }

  private unqueue(task: Task): void {
    const levels = this.byService.get(task.serviceId);
    const level = levels?.get(task.priority);
    if (!levels || !level?.remove(task)) return;
    this.waitingCount--;
    if (level.size) return;
    levels.delete(task.priority);
    if (!levels.size) this.byService.delete(task.serviceId);
  }

  private putAgent(rowKey: string, row: CachedRow | undefined): void {
    const id = rowKey.slice(AGENT.length) as UserId;
    this.setTimers(rowKey, row && this.stores.agents.parsed(row).value);
    if (row) this.agentRows.set(id, row);
    else this.agentRows.delete(id);
    for (const watcher of this.peopleWatchers) watcher(id);
  }

  private putQueue(serviceId: ServiceId, row: Versioned<QueueState> | undefined): void {
    if (row) this.queueRows.set(serviceId, row);
    else this.queueRows.delete(serviceId);
  }

  private setTimers(rowKey: string, value: Task | AgentState | undefined): void {
    for (const key of this.timersByRow.get(rowKey) ?? []) this.timers.delete(key);
    const keys = value ? timersOf(rowKey, value) : [];
    for (const key of keys) this.timers.set(key, undefined);
    if (keys.length) this.timersByRow.set(rowKey, keys);
    else this.timersByRow.delete(rowKey);
  }
}

/**
 * A tenant's routing rows as steps read them: one partition's index, or, for a tenant
 * with several routing shards, the shards' indexes read as one (ShardedRouting).
 */
export type RoutingRows = Omit<RoutingIndex, 'changed'>;
