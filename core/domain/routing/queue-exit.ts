import type { Presence } from './presence.js';
import type { Availability } from './availability.js';
import type { QueueExit } from './task.js';

export interface MemberNow {
  readonly availability: Availability;
  readonly presence: Presence;
}

/**
 * How a task leaves the queue on entry: Direct Available when someone is free now, In
 * Time Available when active people exist but none is free, No One Available when all
 * members are inactive or offline.
 */
export function queueExit(members: Iterable<MemberNow>): QueueExit {
  // One pass, stopping at the first person free: members may be weighed as they come.
  let reachable = false;
  for (const m of members) {
    if (m.availability.available) return 'DirectAvailable';
    reachable ||=
      m.presence !== 'Offline' &&
      !m.availability.reasons.includes('inactive') &&
      !m.availability.reasons.includes('tenant');
  }
  return reachable ? 'InTimeAvailable' : 'NoOneAvailable';
}
