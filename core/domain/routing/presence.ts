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

/** Do not disturb and Offline: no service ever offers a task to someone in them. */
export const neverAdmitted = (presence: Presence): presence is 'DoNotDisturb' | 'Offline' =>
  presence === 'DoNotDisturb' || presence === 'Offline';

/** Available always; Busy, Busy in a meeting and Away where the service allows; DND and Offline never. */
export function presenceAdmitted(
  presence: Presence,
  allowed: DistributionSettings['presence'],
): boolean {
  if (neverAdmitted(presence)) return false;
  switch (presence) {
    case 'Available':
      return true;
    case 'Busy':
      return allowed.busy;
    case 'BusyInMeeting':
      return allowed.busyInMeeting;
    case 'Away':
      return allowed.away;
  }
}
