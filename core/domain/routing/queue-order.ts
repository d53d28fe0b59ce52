import { TASK_PRIORITIES, type TaskPriority } from '../service-settings.js';

type OrdinaryLevel = Exclude<TaskPriority, 'Strict' | 'NothingElse'>;

/** The seven levels that share the weighted round robin, highest first. */
export const ORDINARY_LEVELS: readonly OrdinaryLevel[] = TASK_PRIORITIES.filter(
  (p): p is OrdinaryLevel => p !== 'Strict' && p !== 'NothingElse',
);

/** Rank for cross-service comparison: Strict first (0), Nothing Else last (8). */
export function priorityRank(priority: TaskPriority): number {
  if (priority === 'Strict') return 0;
  if (priority === 'NothingElse') return 8;
  return 1 + ORDINARY_LEVELS.indexOf(priority);
}

/** Smooth weighted round robin credit per ordinary level (kept with the service's queue). */
export type RoundRobinState = Readonly<Partial<Record<OrdinaryLevel, number>>>;

export interface Queued {
  readonly priority: TaskPriority;
  /** FIFO key inside a level: entry time, then id. */
  readonly enqueuedAt: number;
  readonly id: string;
}

const fifo = (a: Queued, b: Queued) =>
  a.enqueuedAt - b.enqueuedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export type Level = TaskPriority;

/** A waiting customer's place is counted up to this many ahead; past it, they are told that many wait. */
export const MAX_PLACE_COUNTED = 100;

/** Where a waiting task stands: 1 is next; `beyond` says at least `position - 1` wait ahead. */
export interface Place {
  readonly position: number;
  readonly beyond: boolean;
}

/**
 * Where a waiting task stands in its service's queue: the tasks of a higher level, and of
 * its own level that entered before it, are ahead of it. Counted up to `cap` ahead, so a
 * place costs at most `cap` steps however long the queue (a customer's page asks every
 * few seconds).
 */
export function placeInQueue(
  levels: Iterable<readonly [Level, Iterable<Queued>]>,
  task: Queued,
  cap = MAX_PLACE_COUNTED,
): Place {
  const rank = priorityRank(task.priority);
  let ahead = 0;
  for (const [level, tasks] of levels) {
    const levelRank = priorityRank(level);
    if (levelRank > rank) continue;
    for (const other of tasks) {
      if (levelRank === rank && fifo(other, task) >= 0) break;
      if (++ahead >= cap) return { position: cap + 1, beyond: true };
    }
  }
  return { position: ahead + 1, beyond: false };
}

/**
 * Chooses the level to serve next, given which levels have tasks waiting.
 *
 * 1. `Strict` goes first.
 * 2. Otherwise the seven ordinary levels share a *smooth weighted round robin*: each
 *    non-empty level gets a weight, the lowest non-empty level 1 and each higher
 *    non-empty level twice the next lower one (so adjacent non-empty levels stand 2:1).
 *    On every pick each non-empty level earns its weight in credit, the level with the
 *    most credit is served (ties: the higher level) and pays back the sum of all weights.
 *    Levels that are empty hold no credit.
 * 3. `NothingElse` goes only when nothing else waits.
 *
 * Properties (proved in queue-order.test.ts with fast-check): over any window of W picks
 * with the same non-empty levels, where W is the sum of the weights, every level is served
 * exactly its weight times; so every non-empty level is served within W <= 127 picks and
 * the lowest is never starved. FIFO inside a level is the caller's (see byLevel).
 */
export function pickLevel(
  waiting: ReadonlySet<Level>,
  state: RoundRobinState,
): { level: Level; state: RoundRobinState } | null {
  if (waiting.has('Strict')) return { level: 'Strict', state };
  const levels = ORDINARY_LEVELS.filter((l) => waiting.has(l));
  if (levels.length === 0)
    return waiting.has('NothingElse') ? { level: 'NothingElse', state: {} } : null;
  const weightOf = (i: number) => 2 ** (levels.length - 1 - i);
  const total = 2 ** levels.length - 1;
  const credit = levels.map((level, i) => (state[level] ?? 0) + weightOf(i));
  let chosen = 0;
  credit.forEach((c, i) => {
    if (c > (credit[chosen] ?? 0)) chosen = i;
  });
  credit[chosen] = (credit[chosen] ?? 0) - total;
  const level = levels[chosen] ?? 'Normal';
  return { level, state: Object.fromEntries(levels.map((l, i) => [l, credit[i] ?? 0])) };
}

/** Tasks grouped by level, each group FIFO; one pass over the queue. */
export function byLevel<T extends Queued>(queue: readonly T[]): Map<Level, T[]> {
  const groups = new Map<Level, T[]>();
  for (const task of queue) {
    const group = groups.get(task.priority);
    if (group) group.push(task);
    else groups.set(task.priority, [task]);
  }
  for (const group of groups.values()) group.sort(fifo);
  return groups;
}

/** The order in which a queue would be served if nothing changed (for the queue view). */
export function servingOrder<T extends Queued>(queue: readonly T[], state: RoundRobinState): T[] {
  const groups = byLevel(queue);
  const order: T[] = [];
  let current = state;
  for (;;) {
    const waiting = new Set([...groups].filter(([, g]) => g.length > 0).map(([level]) => level));
    const picked = pickLevel(waiting, current);
    const task = picked && groups.get(picked.level)?.shift();
    if (!picked || !task) return order;
    order.push(task);
    current = picked.state;
  }
}

/** Where a page of a queue in serving order ends: the round robin then, and each level's last task shown. */
export interface ServingPosition {
  readonly roundRobin: RoundRobinState;
  readonly after: Readonly<Partial<Record<Level, Queued>>>;
}

/** A level's waiting tasks in FIFO order, from just after a task (or from the head). */
export type LevelFrom<T extends Queued> = (after: Queued | null) => Iterator<T>;

/**
 * One page of a queue in serving order (see servingOrder): `top` tasks from a position on,
 * and the position after them (null when the queue ends there). It takes the levels' tasks
 * from the head (or the position) only as far as the page goes, so a page costs its own
 * length whatever the queue's.
 */
export function servingPage<T extends Queued>(
  levels: ReadonlyMap<Level, LevelFrom<T>>,
  from: ServingPosition,
  top: number,
): { readonly tasks: T[]; readonly next: ServingPosition | null } {
  const cursors = new Map<Level, { it: Iterator<T>; head: IteratorResult<T> }>();
  for (const [level, tasksFrom] of levels) {
    const it = tasksFrom(from.after[level] ?? null);
    cursors.set(level, { it, head: it.next() });
  }
  const tasks: T[] = [];
  const after: Partial<Record<Level, Queued>> = { ...from.after };
  let state = from.roundRobin;
  const waiting = () =>
    new Set([...cursors].filter(([, c]) => !c.head.done).map(([level]) => level));
  while (tasks.length < top) {
    const picked = pickLevel(waiting(), state);
    const cursor = picked && cursors.get(picked.level);
    if (!picked || !cursor || cursor.head.done) return { tasks, next: null };
    const task = cursor.head.value;
    tasks.push(task);
    after[picked.level] = { priority: task.priority, enqueuedAt: task.enqueuedAt, id: task.id };
    cursor.head = cursor.it.next();
    state = picked.state;
  }
  return { tasks, next: waiting().size ? { roundRobin: state, after } : null };
}
