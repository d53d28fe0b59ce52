import type { ServiceId, TaskId, TenantId, UserId } from '../../domain/ids.js';
import type { Instant } from '../../domain/instant.js';
import { isDeepStrictEqual } from 'node:util';
import {
  heldTasks,
  releasedFrom,
  stampChange,
  type AgentState,
} from '../../domain/routing/agent-state.js';
import type { CardNote } from '../../domain/routing/cards.js';
import { callbackBody, callbackEvents } from '../../domain/routing/task-callbacks.js';
import type { RoutingSnapshot } from '../../domain/routing/plan-dispatch.js';
import { queueShard, type QueueState } from '../../domain/routing/queue-state.js';
import { shardOfTask } from '../../domain/routing/task-id.js';
import { isOpen, type Task } from '../../domain/routing/task.js';
import type { Decision } from '../../domain/refusal.js';
import type { Tenant } from '../../domain/tenant.js';
import { markCardOp } from '../../store/card-rows.js';
import {
  agentKey,
  doneTaskKey,
  externalKey,
  openTaskKey,
  queueKey,
  ROUTING_TABLE,
  routingPartition,
} from '../../store/routing-rows.js';
import type { Stores } from '../../store/stores.js';
import type { RoutingRows } from '../../store/routing-index.js';
import { poolsOver } from '../../store/service-pools.js';
import type { TenancyIndex } from '../../store/tenancy-index.js';
import type { Versioned } from '../../store/table-repository.js';
import { partitionOf, transactionsOf, type WriteOp } from '../../store/table-transaction.js';
import { ConflictError } from '../../store/conflict-error.js';
import { decideAgainIfStale, retryOnConflict } from '../retry-on-conflict.js';
import { readingFresh } from '../../store/partition-cache.js';
import {
  agentChangeSteps,
  taskChangeSteps,
  type HistoryEntry,
} from '../../domain/reporting/task-history.js';
import type { TaskStep } from '../../domain/reporting/task-kpis.js';
import { historySeq } from '../../store/history-rows.js';
import { TALLIED_STEPS, type TaskTimes } from '../../domain/reporting/tally.js';
import { stateChange } from '../../domain/reporting/user-states.js';
import { tenantKey } from '../../store/table-tenant-store.js';

/*
 * The routing unit of work: how a step reads a tenant's routing rows (open tasks, people's
 * routing states, queues) and commits what it decided. Every rule that lets several
 * instances share a tenant, as routing meets it:
 *
 * 1. Every row is read with its version (ETag), and every write is conditional on the
 *    version it was decided on; a step's writes are one transaction in the tenant's
 *    partition, all or nothing (for a tenant with several routing shards, one per
 *    partition, in the order commitAcross gives them). Two instances deciding on the
 *    same rows: one commits, the other gets a ConflictError and nothing of it is written.
 * 2. A step that lost that race runs again, with reads that go past this instance's cache
 *    (routingStep, through retryOnConflict), until it commits or gives up (409 conflict).
 * 3. Reads may come from this instance's partition cache, which checks other instances'
 *    stamps (core/store/partition-cache.ts). A step that refuses, or finds nothing to
 *    write, decided on what it read without any ETag to catch an old view: if another
 *    instance's write reached this instance after the step began (or the step read a
 *    tenant this instance did not know), it decides again on fresh reads.
 * 4. A task another instance created a moment ago may not be in this instance's view
 *    yet: looking a task up by id checks storage before saying it does not exist.
 * 5. Ending a task moves it from `open:` to `done:` in the same transaction, and every
 *    card the step changes goes into the outbox in that transaction too, so nothing is
 *    ever in both or neither, and no card change is lost with a crash (card-outbox.ts
 *    draws them later, on one instance at a time under a lease).
 * 6. Ending a task that waited in the queue rewrites its queue row under its ETag, so an
 *    offer another instance commits meanwhile (which rewrites that row) conflicts.
 *
 * The tests beside it (routing-unit.contract.ts) hold these rules with two instances, on
 * Azurite (the integration tier) and on the in-memory tables (the unit tier).
 */

/** Everyone whose card a step may change: who had it ringing, who has it now, who took it. */
function cardAudience(before: Task, after: Task): UserId[] {
  return [
    ...new Set([
      ...before.offeredTo,
      ...after.offeredTo,
      ...(after.acceptedBy ? [after.acceptedBy] : []),
    ]),
  ];
}

/** A write of a person's routing state: what it was decided on, what it writes, and when. */
interface PersonWrite {
  readonly before: AgentState | undefined;
  readonly after: AgentState;
  readonly now: Instant;
}

/**
 * A step's change of a person made again on their row as it is now: each field the step
 * changed takes the step's value; the others keep the row's (a presence change meanwhile).
 */
function rebased(now: AgentState, before: AgentState | undefined, after: AgentState): AgentState {
  const next: Record<string, unknown> = { ...now };
  for (const [key, value] of Object.entries(after))
    if (!before || !isDeepStrictEqual(before[key as keyof AgentState], value)) next[key] = value;
  return next as unknown as AgentState;
}

/** The tasks whose rows some writes change (open or ended). */
function taskIdsIn(ops: readonly WriteOp[]): TaskId[] {
  return ops.flatMap((op) => {
    const { rowKey } = op.kind === 'delete' ? op.key : op.entity;
    const match = /^(?:open|done):(.+)$/.exec(rowKey);
    return match ? [match[1] as TaskId] : [];
  });
}

/** One step's reads and writes on one tenant's routing rows (see the rules above). */
export class RoutingUnit {
  private readonly view: { changed(): Promise<boolean> };
  private wrote = false;
  private settled = false;
  /** The user-state writes among those made (kept only if the tenant persists user states). */
  private readonly userStateWrites = new WeakSet<WriteOp>();
  /** The callback events among those made (told to the outbox once committed). */
  private readonly callbackWrites = new WeakSet<WriteOp>();
  /** Each write of a person's routing state made, with the state it was decided on. */
  private readonly personWrites = new WeakMap<WriteOp, PersonWrite>();

  constructor(
    private readonly stores: Stores,
    readonly tenantId: TenantId,
  ) {
    // What this instance has seen of the rows before the step reads any (rule 3).
    this.view = stores.view('routing', tenantId);
  }

  /**
   * The tenant's routing rows, indexed: with a cache, the live index (this instance's
   * commits update it); without one, as read now.
   */
  index(): Promise<RoutingRows> {
    return this.stores.routingIndex(this.tenantId);
  }

  /**
   * What a distribution run plans from: the tenancy rows (services, members, skills) and
   * the routing rows as their indexes hold them, queues already in order.
   */
  async planning(
    tenant: Tenant,
  ): Promise<{ snapshot: RoutingSnapshot; index: RoutingRows; tenancy: TenancyIndex }> {
    const [tenancy, index] = await Promise.all([
      this.stores.tenancyIndex(this.tenantId),
      this.index(),
    ]);
    const roundRobin = new Map<ServiceId, QueueState['roundRobin']>();
    for (const [serviceId, row] of index.queues) roundRobin.set(serviceId, row.value.roundRobin);
    const pools = poolsOver(index.people, tenancy);
    return {
      snapshot: {
        tenant,
        services: tenancy.services,
        members: tenancy.members,
        agents: index.states,
        skills: tenancy.skills,
        licenses: tenancy.licenses,
        queued: index,
        roundRobin,
        pools: (serviceId, lane) => pools.pool(serviceId, lane),
      },
      index,
      tenancy,
    };
  }

  /** A task by id as this instance sees it, open or ended. */
  async seenTask(taskId: TaskId): Promise<Versioned<Task> | undefined> {
    const { routing } = this.stores;
    return (
      (await routing.openTasks.get(openTaskKey(this.tenantId, taskId))) ??
      (await routing.doneTasks.get(doneTaskKey(this.tenantId, taskId)))
    );
  }

  /** A task by id, open or ended; one another instance just created included (rule 4). */
  async task(taskId: TaskId): Promise<Versioned<Task> | undefined> {
    const seen = await this.seenTask(taskId);
    if (seen) return seen;
    await this.refresh();
    return this.seenTask(taskId);
  }

  /** The task an external id already made in a service, if any (a client's retry gets it back). */
  async external(
    serviceId: ServiceId,
    externalId: string,
    shard: number,
  ): Promise<Versioned<Task> | undefined> {
    const { externalRefs } = this.stores.routing;
    const known = await externalRefs.get(externalKey(this.tenantId, serviceId, externalId, shard));
    return known && this.task(known.value.taskId);
  }

  /** People's routing states with their versions (those without one yet are missing). */
  async agents(ids: readonly UserId[]): Promise<Map<UserId, Versioned<AgentState>>> {
    const rows = await Promise.all(
      ids.map((id) => this.stores.routing.agents.get(agentKey(this.tenantId, id))),
    );
    return new Map(rows.flatMap((r) => (r ? [[r.value.userId, r] as const] : [])));
  }

  /**
   * Writes for one person: replace under the version read, or insert for someone without a
   * state yet. Ending or extending after-call work redraws that task's card.
   */
  agentWrites(
    agent: AgentState,
    rows: ReadonlyMap<UserId, Versioned<AgentState>>,
    now: Instant,
  ): WriteOp[] {
    const { agents } = this.stores.routing;
    const row = rows.get(agent.userId);
    const stamped = stampChange(row?.value, agent, now);
    const history = [
      ...this.historyOps(agentChangeSteps(row?.value, agent, now), 0),
      ...this.userStateOps(row?.value, agent, now),
    ];
    const write = row ? agents.replaceOp(stamped, row.etag) : agents.insertOp(stamped);
    this.personWrites.set(write, { before: row?.value, after: stamped, now });
    if (!row) return [write, ...history];
    const ops = [write, ...history];
    const before = row.value.engagement;
    // A person's step: the mark goes in their partition (shard 0), with their row.
    if (before?.kind === 'acw' && before !== agent.engagement)
      ops.push(markCardOp(agent.tenantId, before.taskId, agent.userId, now, null, 0));
    return ops;
  }

  /**
   * Writes for a task after a step (rule 5): an open task is replaced under its version; an
   * ended one moves from `open:` to `done:`. Every card the step changes goes into the
   * outbox, with a note for the people who declined or missed it.
   */
  taskWrites(
    task: Task,
    row: Versioned<Task>,
    now: Instant,
    notes: ReadonlyMap<UserId, CardNote> = new Map(),
  ): WriteOp[] {
    const { openTasks, doneTasks } = this.stores.routing;
    const cards = cardAudience(row.value, task).map((userId) =>
      markCardOp(task.tenantId, task.id, userId, now, notes.get(userId) ?? null),
    );
    const history = [
      ...this.taskHistoryOps(taskChangeSteps(row.value, task, now, notes), task),
      ...this.callbackOps(row.value, task, now),
    ];
    if (isOpen(task)) return [openTasks.replaceOp(task, row.etag), ...cards, ...history];
    return [
      openTasks.deleteOp(openTaskKey(task.tenantId, task.id)),
      doneTasks.insertOp(task),
      ...cards,
      ...history,
    ];
  }

  /**
   * The outcome events a step makes for the task's callback address, into the callback
   * outbox in the step's transaction: told once the step commits, never before or twice
   * (callback-outbox.ts sends them).
   */
  private callbackOps(before: Task, after: Task, now: Instant): WriteOp[] {
    const url = after.callbackUrl;
    if (url === null) return [];
    return callbackEvents(before, after, now).map((event) => {
      const id = `${String(event.at).padStart(13, '0')}-${historySeq()}`;
      const op = this.stores.callbacks.insertOp({
        tenantId: after.tenantId,
        taskId: after.id,
        id,
        url,
        body: callbackBody(id, event, after),
        eventType: event.type,
        attempts: 0,
        notBefore: null,
        createdAt: now,
      });
      this.callbackWrites.add(op);
      return op;
    });
  }

  /**
   * The person's state change, kept when the tenant persists user states (commit leaves it
   * out otherwise): made here, so that whoever counts a transaction's writes counts it.
   */
  private userStateOps(before: AgentState | undefined, after: AgentState, now: Instant): WriteOp[] {
    const change = stateChange(before, after, now);
    if (!change) return [];
    const { userStates, stateTimes } = this.stores;
    const record = userStates.recordOf(this.tenantId, after.userId, change);
    // Kept, and marked for reporting to count the time in the state it ends.
    const ops = [userStates.insertOp(record), stateTimes.markOp(record)];
    for (const op of ops) this.userStateWrites.add(op);
    return ops;
  }

  /** Inserts for a task's history steps (in the step's transaction: kept exactly once). */
  private taskHistoryOps(steps: readonly TaskStep[], task: Task): WriteOp[] {
    const { enqueuedAt, acceptedAt, acceptedBy, endedAt } = task;
    const times = { enqueuedAt, acceptedAt, acceptedBy, endedAt };
    return this.historyOps(
      steps.map((step) => ({ taskId: task.id, serviceId: task.serviceId, step })),
      shardOfTask(task.id),
      times,
    );
  }

  /**
   * Each step kept, and marked for reporting to count if it counts (see tally-folder.ts),
   * in the shard of the rows it rides with: a task's, or a person's (0).
   */
  private historyOps(
    entries: readonly HistoryEntry[],
    shard: number,
    times?: TaskTimes,
  ): WriteOp[] {
    const { history } = this.stores;
    return entries.flatMap((entry) => {
      const record = {
        tenantId: this.tenantId,
        ...entry,
        seq: historySeq(),
        ...(shard > 0 && { shard }),
      };
      const insert = history.insertOp(record);
      if (!TALLIED_STEPS.has(entry.step.kind)) return [insert];
      return [insert, history.foldOp({ ...record, ...(times && { times }) })];
    });
  }

  /** The writes of a lifecycle step: its task (and cards) and the people it changed. */
  stepWrites(
    step: { readonly task: Task; readonly agents: readonly AgentState[] },
    row: Versioned<Task>,
    agents: ReadonlyMap<UserId, Versioned<AgentState>>,
    now: Instant,
    notes?: ReadonlyMap<UserId, CardNote>,
  ): WriteOp[] {
    return [
      ...this.taskWrites(step.task, row, now, notes),
      ...step.agents.flatMap((a) => this.agentWrites(a, agents, now)),
    ];
  }

  /**
   * Writes for a new task: inserted, never over another, with its external id taken in the
   * same transaction, so two instances given the same external id make one task.
   */
  intakeWrites(task: Task): WriteOp[] {
    const { openTasks, externalRefs } = this.stores.routing;
    const { tenantId, serviceId, externalId } = task;
    return [
      openTasks.insertOp(task),
      ...this.taskHistoryOps(taskChangeSteps(null, task, task.enqueuedAt), task),
      ...(externalId
        ? [externalRefs.insertOp({ tenantId, serviceId, externalId, taskId: task.id })]
        : []),
    ];
  }

  /** A queue's state under its version, or an insert for a queue without one yet. */
  queueWrite(queue: QueueState, etag: string | undefined): WriteOp {
    const { queues } = this.stores.routing;
    return etag ? queues.replaceOp(queue, etag) : queues.insertOp(queue);
  }

  /**
   * Guards ending a task that waited in the queue (rule 6): nobody's routing state changes,
   * and a transaction deletes the open row whatever its version, so nothing else in it
   * would notice an offer another instance made meanwhile. Every offer rewrites its
   * service's queue row, so rewriting that row unchanged does. The queue row must be no
   * newer than the task as read: if the task changed before the queue row was read, the
   * step decided on an old task, and loses the race here.
   */
  async queueGuard(row: Versioned<Task>): Promise<WriteOp> {
    const { tenantId, serviceId } = row.value;
    const shard = shardOfTask(row.value.id);
    const queue = await this.stores.routing.queues.get(queueKey(tenantId, serviceId, shard));
    const task = await this.stores.routing.openTasks.get(openTaskKey(tenantId, row.value.id));
    if (task?.etag !== row.etag)
      throw new ConflictError('The task changed while its step decided', ROUTING_TABLE);
    const empty = { tenantId, serviceId, roundRobin: {}, ...queueShard(row.value.id) };
    return this.queueWrite(queue?.value ?? empty, queue?.etag);
  }

  /**
   * Writes a task's row again unchanged under its ETag: whatever another instance decided
   * on the task as it was read fails to commit from now on (see HoldRepair).
   */
  async fence(row: Versioned<Task>): Promise<void> {
    await this.stores.commit([this.stores.routing.openTasks.replaceOp(row.value, row.etag)]);
  }

  /**
   * Commits writes as one transaction (rule 1); answers the new versions by row key. For a
   * tenant with several routing shards a step may write two partitions, people's and a
   * task's shard: see commitAcross.
   */
  async commit(ops: readonly WriteOp[]): Promise<ReadonlyMap<string, string>> {
    if (ops.length) this.wrote = true;
    const kept = await this.kept(ops);
    const partitions = new Set(kept.map(partitionOf));
    const versions =
      partitions.size > 1 ? await this.commitAcross(kept) : await this.stores.commit(kept);
    if (ops.some((op) => this.callbackWrites.has(op)))
      this.stores.callbackWrites.notify(this.tenantId);
    return versions;
  }

  /** The writes to make: people's state changes only if the tenant persists them. */
  private async kept(ops: readonly WriteOp[]): Promise<readonly WriteOp[]> {
    if (!ops.some((op) => this.userStateWrites.has(op))) return ops;
    const tenant = await this.stores.tenants.get(tenantKey(this.tenantId));
    const persist = tenant?.value.settings.dataPrivacy.persistUserStates ?? false;
    return persist ? ops : ops.filter((op) => !this.userStateWrites.has(op));
  }

  /**
   * A step's writes over two partitions or more: people's states in the tenant's own
   * (shard 0) and tasks in their shards, a transaction each, so the order carries the rule
   * that nobody is ever free while a task names them:
   *
   * - A step that puts a hold on someone (an offer, a chat taken) commits people first,
   *   then each task shard (at once); a task's row (under its ETag) is the commit point.
   *   If a shard's transaction loses its race, the holds on its tasks are taken away
   *   again, and the step runs again on fresh reads.
   * - Any other step (accept, decline, miss, complete, cancel, withdraw: holds kept or
   *   taken away) commits its task's shard first, then people. The task is then decided:
   *   if a person's row changed meanwhile (a presence change), the step's change of them
   *   is made again on their row as it is now, never lost.
   *
   * An instance stopping between the two leaves someone holding a task that does not name
   * them; the timer sweep repairs that (see HoldRepair).
   */
  private async commitAcross(ops: readonly WriteOp[]): Promise<ReadonlyMap<string, string>> {
    const home = routingPartition(this.tenantId, 0);
    const people = ops.filter((op) => partitionOf(op) === home);
    const shards = transactionsOf(ops.filter((op) => partitionOf(op) !== home));
    const changes = people.flatMap((op) => {
      const change = this.personWrites.get(op);
      return change ? [change] : [];
    });
    const versions = new Map<string, string>();
    const keep = (written: ReadonlyMap<string, string>) => {
      for (const [key, etag] of written) versions.set(key, etag);
    };
    const takesHolds = changes.some((c) => {
      const before = heldTasks(c.before);
      return [...heldTasks(c.after)].some((id) => !before.has(id));
    });
    if (takesHolds) {
      if (people.length) keep(await this.stores.commit(people));
      // The shards' transactions at once (a run's offers in several services' shards).
      const results = await Promise.allSettled(shards.map((shard) => this.stores.commit(shard)));
      const lost = new Set<TaskId>();
      let failure: Error | null = null;
      for (const [i, result] of results.entries()) {
        if (result.status === 'fulfilled') keep(result.value);
        else {
          failure ??=
            result.reason instanceof Error ? result.reason : new Error(String(result.reason));
          if (result.reason instanceof ConflictError)
            for (const id of taskIdsIn(shards[i] ?? [])) lost.add(id);
        }
      }
      // A transaction that lost its race wrote nothing: its tasks' holds go. (One whose
      // outcome is unknown is left to the repair.)
      if (lost.size) await this.releaseHolds(changes, lost);
      if (failure !== null) throw failure;
      return versions;
    }
    if (shards.length !== 1)
      throw new RangeError('A step that takes no hold writes the rows of one task shard');
    keep(await this.stores.commit(shards[0]!));
    if (people.length) keep(await this.settlePeople(people, changes));
    return versions;
  }

  /**
   * Takes away the holds a step put on people for tasks whose own transaction did not
   * commit: each person's row as it is now, without those tasks (a change of their own
   * meanwhile stays).
   */
  private async releaseHolds(changes: readonly PersonWrite[], lost: ReadonlySet<TaskId>) {
    for (const change of changes) {
      const before = heldTasks(change.before);
      const taken = [...heldTasks(change.after)].filter((id) => lost.has(id) && !before.has(id));
      if (!taken.length) continue;
      await retryOnConflict(() =>
        readingFresh(async () => {
          const rows = await this.agents([change.after.userId]);
          const row = rows.get(change.after.userId);
          if (!row) return;
          const next = taken.reduce(releasedFrom, row.value);
          if (next === row.value) return;
          await this.stores.commit(await this.kept(this.agentWrites(next, rows, change.now)));
        }),
      );
    }
  }

  /**
   * Commits people's part of a step whose task already committed: as decided, or, if a
   * person's row changed meanwhile, the step's change of them made again on their row as
   * it is now (the fields the step changed take its values, the others stay).
   */
  private async settlePeople(
    people: readonly WriteOp[],
    changes: readonly PersonWrite[],
  ): Promise<ReadonlyMap<string, string>> {
    try {
      return await this.stores.commit(people);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
    const versions = new Map<string, string>();
    for (const change of changes)
      await retryOnConflict(() =>
        readingFresh(async () => {
          const rows = await this.agents([change.after.userId]);
          const row = rows.get(change.after.userId);
          const next = row ? rebased(row.value, change.before, change.after) : change.after;
          const written = await this.stores.commit(
            await this.kept(this.agentWrites(next, rows, change.now)),
          );
          for (const [key, etag] of written) versions.set(key, etag);
        }),
      );
    return versions;
  }

  /** Checks storage for other instances' writes now; says whether there were any. */
  refresh(feedSince?: number): Promise<boolean> {
    return this.stores.refreshRouting(this.tenantId, feedSince);
  }

  /** Which state of the rows this instance last saw (see Stores.seen). */
  seen(): number | undefined {
    return this.stores.seen('routing', this.tenantId);
  }

  /**
   * Rule 3: a step that wrote nothing decides again if its view was old (a ConflictError
   * makes routingStep run it again on fresh reads). A step calls it itself before acting
   * on a decision to write nothing; routingStep calls it after every step.
   */
  async settle(): Promise<void> {
    if (this.wrote || this.settled) return;
    await decideAgainIfStale(ROUTING_TABLE, this.view);
    this.settled = true;
  }
}

/**
 * Runs a read-decide-write step on a tenant's routing rows under the rules above: again
 * with fresh reads when it lost a race (rule 2), and again when it refused or wrote
 * nothing on a view another instance had changed (rule 3).
 */
export function routingStep<T>(
  stores: Stores,
  tenantId: TenantId,
  step: (unit: RoutingUnit) => Promise<Decision<T>>,
): Promise<Decision<T>> {
  return retryOnConflict(async () => {
    const unit = new RoutingUnit(stores, tenantId);
    const decided = await step(unit);
    await unit.settle();
    return decided;
  });
}
