import { strict as assert } from 'node:assert';
import { aMembership, anAgent, aService, aTenant, NOW } from '../../../test/builders.js';
import { asServiceId, asTaskId } from '../ids.js';
import { instantOf } from '../instant.js';
import type { ServiceSettingsPatch } from '../service-settings.js';
import type { AgentState } from './agent-state.js';
import { availability, type AvailabilityInput } from './availability.js';
import type { UnavailabilityReason } from './task.js';

const base = (): AvailabilityInput => ({
  tenant: aTenant(),
  service: aService('hotline'),
  membership: aMembership('hotline', 'ann'),
  agent: anAgent('ann'),
  atLimit: false,
  now: NOW,
});
const withAgent = (over: Partial<AgentState>) => ({ ...base(), agent: anAgent('ann', over) });
const withPresence = (presence: AgentState['presence'], patch: ServiceSettingsPatch = {}) => ({
  ...base(),
  agent: anAgent('ann', { presence }),
  service: aService('hotline', {}, patch),
});
const svc = asServiceId('other');
const task = asTaskId('t1');

describe('availability', () => {
  const cases: [string, AvailabilityInput, UnavailabilityReason[]][] = [
    ['an active, available, free member', base(), []],
    ['not a member', { ...base(), membership: undefined }, ['inactive']],
    [
      'a member switched inactive',
      { ...base(), membership: aMembership('hotline', 'ann', { active: false }) },
      ['inactive'],
    ],
    ['Busy, not admitted by the service', withPresence('Busy'), ['presence']],
    [
      'Busy, admitted by the service',
      withPresence('Busy', { distribution: { presence: { busy: true } } }),
      [],
    ],
    [
      'Busy in a meeting, admitted',
      withPresence('BusyInMeeting', { distribution: { presence: { busyInMeeting: true } } }),
      [],
    ],
    ['Away, not admitted', withPresence('Away'), ['presence']],
    ['Away, admitted', withPresence('Away', { distribution: { presence: { away: true } } }), []],
    [
      'Do not disturb, even with everything admitted',
      withPresence('DoNotDisturb', {
        distribution: { presence: { busy: true, busyInMeeting: true, away: true } },
      }),
      ['presence'],
    ],
    [
      'Offline',
      withPresence('Offline', { distribution: { presence: { busy: true, away: true } } }),
      ['presence'],
    ],
    [
      'offered a task in another service',
      withAgent({ engagement: { kind: 'offered', taskId: task, serviceId: svc } }),
      ['busyElsewhere'],
    ],
    [
      'on a task in another service',
      withAgent({ engagement: { kind: 'accepted', taskId: task, serviceId: svc } }),
      ['busyElsewhere'],
    ],
    [
      'in ACW',
      withAgent({
        engagement: {
          kind: 'acw',
          taskId: task,
          serviceId: svc,
          until: instantOf(NOW + 1000),
          allowEarlyEnd: true,
          allowExtension: false,
          maxExtensionSec: 60,
        },
      }),
      ['acw'],
    ],
    ['in RONA', withAgent({ ronaUntil: instantOf(NOW + 1000) }), ['rona']],
    ['after RONA ran out', withAgent({ ronaUntil: instantOf(NOW - 1) }), []],
    ['the service at its limit', { ...base(), atLimit: true }, ['limit']],
    ['a suspended tenant', { ...base(), tenant: aTenant({ state: 'Suspended' }) }, ['tenant']],
    [
      'several at once',
      {
        ...base(),
        membership: aMembership('hotline', 'ann', { active: false }),
        agent: anAgent('ann', { presence: 'Offline', ronaUntil: instantOf(NOW + 5) }),
      },
      ['inactive', 'presence', 'rona'],
    ],
    [
      'skill-based: no Active switch',
      {
        ...base(),
        service: aService('vip', { assignmentType: 'SkillBased' }),
        membership: aMembership('vip', 'ann', { active: false }),
      },
      [],
    ],
  ];
  for (const [name, input, reasons] of cases) {
    it(`${name}: ${reasons.length ? reasons.join(', ') : 'available'}`, () => {
      const result = availability(input);
      assert.deepEqual(result.reasons, reasons);
      assert.equal(result.available, reasons.length === 0);
    });
  }
});
