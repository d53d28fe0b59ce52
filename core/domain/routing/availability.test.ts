import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { aMembership, anAgent, aService, aTenant, NOW, T } from '../../../test/builders.js';
import { asServiceId, asTaskId, asUserId } from '../ids.js';
import { instantOf } from '../instant.js';
import type { ServiceSettingsPatch } from '../service-settings.js';
import { stateOrOffline, type AgentState } from './agent-state.js';
import { qualifies } from './agent-choice.js';
import { availability, readiness, type AvailabilityInput } from './availability.js';
import { PRESENCES } from './presence.js';
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
    ...((): [string, AvailabilityInput, UnavailabilityReason[]][] => {
      const chats = (n: number) =>
        Array.from({ length: n }, (_, i) => ({ taskId: asTaskId(`c${i}`), serviceId: svc }));
      const holding = (n: number, allowed: number, chat?: boolean): AvailabilityInput => ({
        ...base(),
        service: aService('hotline', {}, { distribution: { chatsAtOnce: allowed } }),
        agent: anAgent('ann', { chats: chats(n) }),
        ...(chat !== undefined && { chat }),
      });
      return [
        ['holding 1 chat where 3 are allowed, for a chat', holding(1, 3, true), []],
        ['holding 1 chat where 3 are allowed, for a call', holding(1, 3, false), ['busyElsewhere']],
        ['holding 1 chat where 3 are allowed, asked in general', holding(1, 3), []],
        ['holding 3 chats (of any service) where 3 are allowed', holding(3, 3, true), ['chats']],
        ['holding 1 chat where 1 is allowed', holding(1, 1, true), ['busyElsewhere']],
        ['holding no chat, for a chat', holding(0, 1, true), []],
      ];
    })(),
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

describe('readiness', () => {
  const around = fc.integer({ min: -3, max: 3 }).map((s) => instantOf(NOW + s * 1000));
  it('is ready, or held until an instant at or before now, exactly when the person is available and qualified now', () => {
    fc.assert(
      fc.property(
        fc.record({
          skillBased: fc.boolean(),
          busy: fc.boolean(),
          member: fc.option(fc.boolean()),
          presence: fc.constantFrom(...PRESENCES),
          engagement: fc.constantFrom(null, 'offered', 'accepted', 'acw'),
          acwUntil: around,
          chats: fc.integer({ min: 0, max: 3 }),
          chatsAtOnce: fc.integer({ min: 1, max: 3 }),
          chat: fc.boolean(),
          rona: fc.option(around),
          noRow: fc.boolean(),
          skill: fc.option(fc.integer({ min: 0, max: 3 })),
          required: fc.option(fc.integer({ min: 0, max: 3 })),
          now: around,
        }),
        (r) => {
          const service = aService(
            'hotline',
            { assignmentType: r.skillBased ? 'SkillBased' : 'TeamsBased' },
            { distribution: { presence: { busy: r.busy }, chatsAtOnce: r.chatsAtOnce } },
          );
          const policy =
            r.required === null
              ? null
              : { requiredSkills: { en: r.required }, order: 'LongestIdle' as const };
          const skilled = {
            ...service,
            settings: {
              ...service.settings,
              distribution: { ...service.settings.distribution, policy },
            },
          };
          const membership =
            r.member === null ? undefined : aMembership('hotline', 'ann', { active: r.member });
          const engagement =
            r.engagement === null
              ? null
              : r.engagement === 'acw'
                ? {
                    kind: 'acw' as const,
                    taskId: task,
                    serviceId: svc,
                    until: r.acwUntil,
                    allowEarlyEnd: true,
                    allowExtension: false,
                    maxExtensionSec: 0,
                  }
                : { kind: r.engagement, taskId: task, serviceId: svc };
          const agent = r.noRow
            ? undefined
            : anAgent('ann', {
                presence: r.presence,
                engagement,
                ronaUntil: r.rona,
                chats: Array.from({ length: r.chats }, (_, i) => ({
                  taskId: asTaskId(`chat-${i}`),
                  serviceId: svc,
                })),
              });
          const skills: Record<string, number> = r.skill === null ? {} : { en: r.skill };
          const now = r.now;
          const free =
            availability({
              tenant: aTenant(),
              service: skilled,
              membership,
              agent: stateOrOffline(agent, T, asUserId('ann'), now),
              now,
              chat: r.chat,
            }).available && qualifies(skills, policy);
          const stands = readiness(skilled, membership, agent, skills, [], [], r.chat);
          assert.equal(
            stands === 'ready' || (stands !== 'held' && stands <= now),
            free,
            `readiness ${String(stands)}`,
          );
        },
      ),
      { numRuns: 3000 },
    );
  });
});
