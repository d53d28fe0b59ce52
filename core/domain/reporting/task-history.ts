import type { ServiceId, TaskId, UserId } from '../ids.js';
import type { Instant } from '../instant.js';
import type { AgentState } from '../routing/agent-state.js';
import type { CardNote } from '../routing/cards.js';
import type { Task } from '../routing/task.js';
import type { TaskStep } from './task-kpis.js';

/** A step of history and the task it belongs to. */
export interface HistoryEntry {
  readonly taskId: TaskId;
  readonly serviceId: ServiceId;
  readonly step: TaskStep;
}

/**
 * The history steps of a change to a task (null before: it was just created), told by the
 * two versions and what the step noted for people's cards (a decline, a ring-out, a
 * withdrawal's cause): new invitations, invitations that ended unanswered and why, the
 * accept, the end.
 */
export function taskChangeSteps(
  before: Task | null,
  after: Task,
  now: Instant,
  notes: ReadonlyMap<UserId, CardNote> = new Map(),
): TaskStep[] {
  const steps: TaskStep[] = [];
  if (!before)
    steps.push({
      kind: 'created',
      at: after.enqueuedAt,
      exit: after.exit,
      modality: after.modality,
      priority: after.priority,
    });
  // Invitations count while a task rings (an accepted or ended task may still name them).
  const ringing = (task: Task | null) => (task?.state === 'Offered' ? task.offeredTo : []);
  const wasOffered = ringing(before);
  const stillOffered = ringing(after);
  for (const userId of wasOffered) {
    if (stillOffered.includes(userId) || after.acceptedBy === userId) continue;
    const note = notes.get(userId);
    if (note === 'declined' || note === 'missed') steps.push({ kind: note, at: now, by: userId });
    else
      steps.push({
        kind: 'withdrawn',
        at: now,
        from: userId,
        cause: note ?? (after.acceptedBy !== null ? 'taken' : 'ended'),
      });
  }
  const newlyOffered = stillOffered.filter((userId) => !wasOffered.includes(userId));
  if (newlyOffered.length) steps.push({ kind: 'offered', at: now, to: newlyOffered });
  if (after.acceptedBy !== null && before?.acceptedBy !== after.acceptedBy)
    steps.push({ kind: 'accepted', at: after.acceptedAt ?? now, by: after.acceptedBy });
  if (after.state !== before?.state) {
    const at = after.endedAt ?? now;
    if (after.state === 'Completed') steps.push({ kind: 'completed', at });
    else if (after.state === 'Canceled' || after.state === 'Rejected')
      steps.push({ kind: 'canceled', at });
  }
  return steps;
}

/** The history steps of a change to a person's routing state: after-call work started or ended. */
export function agentChangeSteps(
  before: AgentState | undefined,
  after: AgentState,
  now: Instant,
): HistoryEntry[] {
  const was = before?.engagement ?? null;
  const is = after.engagement;
  const sameAcw = was?.kind === 'acw' && is?.kind === 'acw' && was.taskId === is.taskId;
  if (sameAcw) return [];
  const entries: HistoryEntry[] = [];
  if (was?.kind === 'acw')
    entries.push({
      taskId: was.taskId,
      serviceId: was.serviceId,
      step: { kind: 'acwEnded', at: now, by: after.userId },
    });
  if (is?.kind === 'acw')
    entries.push({
      taskId: is.taskId,
      serviceId: is.serviceId,
      step: { kind: 'acwStarted', at: now, by: after.userId },
    });
  return entries;
}
