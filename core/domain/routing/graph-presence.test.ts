import { strict as assert } from 'node:assert';
import { presenceFromGraph } from './graph-presence.js';
import type { Presence } from './presence.js';

describe('presence from Microsoft Graph (availability, activity)', () => {
  const cases: readonly (readonly [string, string, Presence])[] = [
    ['Available', 'Available', 'Available'],
    ['AvailableIdle', 'Inactive', 'Available'],
    ['Busy', 'InAMeeting', 'BusyInMeeting'],
    ['Busy', 'InAConferenceCall', 'BusyInMeeting'],
    ['BusyIdle', 'InAMeeting', 'BusyInMeeting'],
    ['Busy', 'InACall', 'Busy'],
    ['Busy', 'Busy', 'Busy'],
    ['BusyIdle', 'Inactive', 'Busy'],
    ['Away', 'Away', 'Away'],
    ['Away', 'OffWork', 'Away'],
    ['BeRightBack', 'BeRightBack', 'Away'],
    ['DoNotDisturb', 'DoNotDisturb', 'DoNotDisturb'],
    ['DoNotDisturb', 'Presenting', 'DoNotDisturb'],
    ['DoNotDisturb', 'Focusing', 'DoNotDisturb'],
    ['DoNotDisturb', 'UrgentInterruptionsOnly', 'DoNotDisturb'],
    ['Busy', 'Presenting', 'DoNotDisturb'],
    ['Offline', 'Offline', 'Offline'],
    ['Offline', 'OutOfOffice', 'Offline'],
    ['PresenceUnknown', 'PresenceUnknown', 'Offline'],
    ['unknownFutureValue', 'Available', 'Offline'],
    ['', '', 'Offline'],
  ];
  for (const [availability, activity, expected] of cases)
    it(`${availability || '(none)'} / ${activity || '(none)'} is ${expected}`, () => {
      assert.equal(presenceFromGraph({ availability, activity }), expected);
    });
});
