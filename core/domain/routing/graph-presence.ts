import type { Presence } from './presence.js';

/** A person's presence as Microsoft Graph reports it (`presence` resource). */
export interface GraphPresence {
  /** Available, AvailableIdle, Away, BeRightBack, Busy, BusyIdle, DoNotDisturb, Offline, PresenceUnknown. */
  readonly availability: string;
  /** What the person does: InACall, InAConferenceCall, InAMeeting, Presenting, Focusing, … */
  readonly activity: string;
}

/** Activities that ask not to be interrupted, whatever the availability says. */
const DO_NOT_DISTURB_ACTIVITIES = new Set(['Presenting', 'Focusing', 'UrgentInterruptionsOnly']);
const MEETING_ACTIVITIES = new Set(['InAMeeting', 'InAConferenceCall']);

/**
 * The product's presence for Graph's availability and activity (SPEC §5): Available and
 * AvailableIdle are Available; Busy and BusyIdle are Busy in a meeting during a meeting or
 * conference call, Busy otherwise; Away and BeRightBack are Away; Do not disturb (and
 * presenting, focusing, urgent interruptions only) is Do not disturb; Offline,
 * PresenceUnknown and any value Graph adds later are Offline, so nobody is offered a task
 * on a presence the product does not understand.
 */
export function presenceFromGraph({ availability, activity }: GraphPresence): Presence {
  if (DO_NOT_DISTURB_ACTIVITIES.has(activity)) return 'DoNotDisturb';
  switch (availability) {
    case 'Available':
    case 'AvailableIdle':
      return 'Available';
    case 'Busy':
    case 'BusyIdle':
      return MEETING_ACTIVITIES.has(activity) ? 'BusyInMeeting' : 'Busy';
    case 'Away':
    case 'BeRightBack':
      return 'Away';
    case 'DoNotDisturb':
      return 'DoNotDisturb';
    default:
      return 'Offline';
  }
}
