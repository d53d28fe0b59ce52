import type { DistributionSettings } from '../service-settings.js';

export const PRESENCES = [
  'Available',
  'Busy',
  'BusyInMeeting',
  'Away',
  'DoNotDisturb',
  'Offline',
] as const;
export type Presence = (typeof PRESENCES)[number];

/** Available always; Busy, Busy in a meeting and Away where the service allows; DND and Offline never. */
export function presenceAdmitted(
  presence: Presence,
  allowed: DistributionSettings['presence'],
): boolean {
  switch (presence) {
    case 'Available':
      return true;
    case 'Busy':
      return allowed.busy;
    case 'BusyInMeeting':
      return allowed.busyInMeeting;
    case 'Away':
      return allowed.away;
    case 'DoNotDisturb':
    case 'Offline':
      return false;
  }
}
