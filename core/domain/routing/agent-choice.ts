import type { Skills } from '../directory-user.js';
import type { UserId } from '../ids.js';
import type { Instant } from '../instant.js';
import type { DistributionSettings } from '../service-settings.js';

export interface Candidate {
  readonly userId: UserId;
  readonly idleSince: Instant;
  readonly skills: Skills;
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
 * Whom to offer a task to, among people available for it: longest idle first (ties by
 * id, so the same state always gives the same choice), or most qualified first where a
 * skill-based policy says so. Round robin offers to one, broadcast to up to ten.
 */
export function chooseAgents(
  candidates: readonly Candidate[],
  type: DistributionSettings['type'],
  policy: Policy,
): UserId[] {
  const eligible = candidates.filter((c) => qualifies(c.skills, policy));
  const ordered = [...eligible].sort((a, b) => {
    if (policy?.order === 'MostQualified') {
      const diff = qualification(b.skills, policy) - qualification(a.skills, policy);
      if (diff !== 0) return diff;
    }
    return a.idleSince - b.idleSince || byId(a, b);
  });
  return ordered.slice(0, type === 'Broadcast' ? BROADCAST_SIZE : 1).map((c) => c.userId);
}
