import type { Skills } from '../directory-user.js';
import type { UserId } from '../ids.js';
import type { Instant } from '../instant.js';
import type { DistributionSettings } from '../service-settings.js';
import { idleSince, type AgentState } from './agent-state.js';

export interface Candidate {
  readonly userId: UserId;
  readonly idleSince: Instant;
  readonly skills: Skills;
  /** How many chats they hold (chats at once): fewer come first. None: 0. */
  readonly load?: number;
}

/** Where someone stands among the people a task may go to, by their rows. */
export function candidateOf(agent: AgentState, skills: Skills): Candidate {
  const { userId } = agent;
  const load = agent.chats.length;
  // A plain literal either way: pools hold one per member, and a spread makes them larger.
  return load > 0
    ? { userId, idleSince: idleSince(agent), skills, load }
    : { userId, idleSince: idleSince(agent), skills };
}

/** Broadcast offers a task to this many people at once; the first to accept gets it. */
export const BROADCAST_SIZE = 10;

type Policy = DistributionSettings['policy'];

/** Does the person have every skill the policy asks for, at its minimum level? */
export function qualifies(skills: Skills, policy: Policy): boolean {
  if (!policy) return true;
  return Object.entries(policy.requiredSkills).every(([skill, min]) => (skills[skill] ?? 0) >= min);
}

const qualification = (skills: Skills, policy: Policy) =>
  policy
    ? Object.keys(policy.requiredSkills).reduce((sum, skill) => sum + (skills[skill] ?? 0), 0)
    : 0;

const byId = (a: Candidate, b: Candidate) =>
  a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0;

/**
 * The order people are chosen in: fewest chats held first (only chats come to someone
 * holding any), then longest idle (ties by id), or most qualified where a skill-based
 * policy says so. Negative when `a` comes before `b`.
 */
export function choiceOrder(policy: Policy): (a: Candidate, b: Candidate) => number {
  return (a, b) => {
    const load = (a.load ?? 0) - (b.load ?? 0);
    if (load !== 0) return load;
    if (policy?.order === 'MostQualified') {
      const diff = qualification(b.skills, policy) - qualification(a.skills, policy);
      if (diff !== 0) return diff;
    }
    return a.idleSince - b.idleSince || byId(a, b);
  };
}

/**
 * Whom to offer a task to, among people available for it, in {@link choiceOrder} (ties by
 * id, so the same state always gives the same choice). Round robin offers to one, broadcast to up to ten.
 */
export function chooseAgents(
  candidates: Iterable<Candidate>,
  type: DistributionSettings['type'],
  policy: Policy,
): UserId[] {
  const before = choiceOrder(policy);
  // The first one (or ten) in that order, kept as they come: no sort of everyone available.
  const size = type === 'Broadcast' ? BROADCAST_SIZE : 1;
  const chosen: Candidate[] = [];
  for (const c of candidates) {
    if (!qualifies(c.skills, policy)) continue;
    const last = chosen[chosen.length - 1];
    if (chosen.length === size && last && before(c, last) >= 0) continue;
    let at = chosen.length;
    while (at > 0 && before(c, chosen[at - 1] as Candidate) < 0) at--;
    chosen.splice(at, 0, c);
    if (chosen.length > size) chosen.pop();
  }
  return chosen.map((c) => c.userId);
}
