import type { ServiceId, TaskId, UserId } from '../domain/ids.js';
import type { Instant } from '../domain/instant.js';
import type { AgentState } from '../domain/routing/agent-state.js';
import type { Level, LevelFrom } from '../domain/routing/queue-order.js';
import type { QueueState } from '../domain/routing/queue-state.js';
import { serviceShard, shardOfTask } from '../domain/routing/task-id.js';
import type { Lane } from '../domain/routing/task-licenses.js';
import type { Modality, Task } from '../domain/routing/task.js';
import type { RoutingIndex, RoutingRows } from './routing-index.js';
import type { Versioned } from './table-repository.js';

/**
 * The routing rows of a tenant with several shards, read as one: each shard's partition
 * keeps its own live index (its tasks and queue rows; shard 0's also people's states), and
 * each question goes to the shard that holds the answer: a task to the shard its id names,
 * a service's queue to the shard its id hashes to, people to shard 0. Questions about every
 * task (the ringing ones, timers, counts) ask each shard: a handful, whatever the queues'
 * lengths.
 */
export class ShardedRouting implements RoutingRows {
  /** Shard 0's index (people) and those of shards 1..n (tasks), by shard. */
  constructor(readonly shards: readonly RoutingIndex[]) {}

  private of(shard: number): RoutingIndex {
    const index = this.shards[shard];
    if (!index) throw new RangeError(`No routing shard ${shard} of ${this.shards.length}`);
    return index;
  }

  private ofService(serviceId: ServiceId): RoutingIndex {
    return this.of(serviceShard(serviceId, this.shards.length - 1));
  }

  get people(): RoutingIndex {
    return this.of(0);
  }

  watchPeople(watcher: (userId: UserId) => void): () => void {
    return this.people.watchPeople(watcher);
  }

  task(id: TaskId): Versioned<Task> | undefined {
    return this.shards[shardOfTask(id)]?.task(id);
  }

  *openTasks(): IterableIterator<Versioned<Task>> {
    for (const shard of this.shards) yield* shard.openTasks();
  }

  openCount(serviceId: ServiceId, modality: Modality): number {
    return this.ofService(serviceId).openCount(serviceId, modality);
  }

  get waiting(): number {
    return this.shards.reduce((sum, shard) => sum + shard.waiting, 0);
  }

  *services(): Iterable<ServiceId> {
    for (const shard of this.shards) yield* shard.services();
  }

  levels(serviceId: ServiceId): ReadonlyMap<Level, Iterable<Task>> {
    return this.ofService(serviceId).levels(serviceId);
  }

  lanes(serviceId: ServiceId): ReadonlyMap<Level, ReadonlyMap<Lane, Iterable<Task>>> {
    return this.ofService(serviceId).lanes(serviceId);
  }

  levelsFrom(serviceId: ServiceId): ReadonlyMap<Level, LevelFrom<Task>> {
    return this.ofService(serviceId).levelsFrom(serviceId);
  }

  waitingIn(serviceId: ServiceId): number {
    return this.ofService(serviceId).waitingIn(serviceId);
  }

  offered(): Task[] {
    return this.shards.flatMap((shard) => shard.offered());
  }

  agent(userId: UserId): Versioned<AgentState> | undefined {
    return this.people.agent(userId);
  }

  get agents(): ReadonlyMap<UserId, Versioned<AgentState>> {
    return this.people.agents;
  }

  get states(): ReadonlyMap<UserId, AgentState> {
    return this.people.states;
  }

  queue(serviceId: ServiceId): Versioned<QueueState> | undefined {
    return this.ofService(serviceId).queue(serviceId);
  }

  get queues(): ReadonlyMap<ServiceId, Versioned<QueueState>> {
    return new Map(this.shards.flatMap((shard) => [...shard.queues]));
  }

  nextDue(): Instant | null {
    let first: Instant | null = null;
    for (const shard of this.shards) {
      const due = shard.nextDue();
      if (due !== null && (first === null || due < first)) first = due;
    }
    return first;
  }

  due(now: Instant): { tasks: Versioned<Task>[]; agents: Versioned<AgentState>[] } {
    const each = this.shards.map((shard) => shard.due(now));
    return { tasks: each.flatMap((d) => d.tasks), agents: each.flatMap((d) => d.agents) };
  }
}
