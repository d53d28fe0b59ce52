import type { Instant } from '../instant.js';
import { allow, invalid, refuse, type Decision } from '../refusal.js';
import type { AgentState } from './agent-state.js';
import type { Presence } from './presence.js';

const endAcwNow = (agent: AgentState, now: Instant): AgentState => ({
  ...agent,
  engagement: null,
  lastTaskEndedAt: now,
});

/** ACW ends by itself at its time (the timer), or earlier by the person where the service allows. */
export function endAcw(agent: AgentState, now: Instant, byUser: boolean): Decision<AgentState> {
  const e = agent.engagement;
  if (e?.kind !== 'acw')
    return refuse({ code: 'policy_denied', message: 'You are not in after-call work.' });
  if (!byUser)
    return e.until <= now
      ? allow(endAcwNow(agent, now))
      : refuse({ code: 'policy_denied', message: 'ACW is not over yet.' });
  if (!e.allowEarlyEnd)
    return refuse({
      code: 'policy_denied',
      message: 'This service does not allow ending after-call work early.',
    });
  return allow(endAcwNow(agent, now));
}

/** An extension replaces the remaining time with a flat new value, at most the service's maximum. */
export function extendAcw(
  agent: AgentState,
  seconds: number | undefined,
  now: Instant,
): Decision<AgentState> {
  const e = agent.engagement;
  if (e?.kind !== 'acw')
    return refuse({ code: 'policy_denied', message: 'You are not in after-call work.' });
  if (!e.allowExtension)
    return refuse({
      code: 'policy_denied',
      message: 'This service does not allow extending after-call work.',
    });
  const value = seconds ?? e.maxExtensionSec;
  if (value < 1 || value > e.maxExtensionSec)
    return refuse(invalid([{ field: 'seconds', message: `must be 1..${e.maxExtensionSec}` }]));
  return allow({ ...agent, engagement: { ...e, until: (now + value * 1000) as Instant } });
}

/** RONA ends by itself at its reset time, or when the person resets it. */
export function resetRona(agent: AgentState): AgentState {
  return { ...agent, ronaUntil: null };
}

/**
 * A new Teams presence. Going Offline ends ACW and resets RONA; coming back to Available
 * starts the idle clock of someone who never had a task.
 */
export function changePresence(agent: AgentState, presence: Presence, now: Instant): AgentState {
  if (presence === agent.presence) return agent;
  let next: AgentState = { ...agent, presence };
  if (presence === 'Offline') {
    if (agent.engagement?.kind === 'acw') next = endAcwNow(next, now);
    next = resetRona(next);
  }
  if (presence === 'Available') next = { ...next, availableSince: now };
  return next;
}
