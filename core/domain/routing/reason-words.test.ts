import { strict as assert } from 'node:assert';
import { asServiceId, asTaskId } from '../ids.js';
import { instantOf } from '../instant.js';
import { anAgent } from '../../../test/builders.js';
import {
  durationWords,
  minutesSeconds,
  reasonWords,
  recordedReasonWords,
  type ReasonContext,
} from './reason-words.js';
import { UNAVAILABILITY_REASONS, type UnavailabilityReason } from './task.js';

const now = instantOf(Date.UTC(2026, 10, 23, 10, 0, 0));
const context = (agent = anAgent('u1')): ReasonContext => ({
  agent,
  now,
  serviceName: (id) => (id === 'svc-sales' ? 'Sales Line' : id),
  clockTime: (at) => new Date(at).toISOString().slice(11, 16),
});

describe('reason words (what My Services says)', () => {
  const cases: [UnavailabilityReason, ReasonContext, string][] = [
    ['inactive', context(), 'Switched off for this service'],
    ['presence', context(anAgent('u1', { presence: 'DoNotDisturb' })), 'Do not disturb in Teams'],
    [
      'busyElsewhere',
      context(
        anAgent('u1', {
          engagement: {
            kind: 'accepted',
            taskId: asTaskId('t.1'),
            serviceId: asServiceId('svc-sales'),
          },
        }),
      ),
      'Busy in Sales Line',
    ],
    [
      'acw',
      context(
        anAgent('u1', {
          engagement: {
            kind: 'acw',
            taskId: asTaskId('t.1'),
            serviceId: asServiceId('svc-sales'),
            until: instantOf(now + 72_000),
            allowEarlyEnd: true,
            allowExtension: true,
            maxExtensionSec: 300,
          },
        }),
      ),
      'In after-call work — 1:12 left',
    ],
    [
      'rona',
      context(anAgent('u1', { ronaUntil: instantOf(Date.UTC(2026, 10, 23, 10, 42)) })),
      'Missed a task — back at 10:42',
    ],
    [
      'chats',
      {
        ...context(
          anAgent('u1', {
            chats: ['c1', 'c2'].map((id) => ({
              taskId: asTaskId(id),
              serviceId: asServiceId('svc-sales'),
            })),
          }),
        ),
        chatsAtOnce: 2,
      },
      'In 2 of 2 chats',
    ],
    [
      'busyElsewhere',
      context(
        anAgent('u1', {
          chats: [{ taskId: asTaskId('c1'), serviceId: asServiceId('svc-sales') }],
        }),
      ),
      'Busy in Sales Line',
    ],
  ];
  for (const [reason, ctx, words] of cases)
    it(`${reason} → "${words}"`, () => assert.equal(reasonWords(reason, ctx), words));

  it('counts after-call work down in minutes and seconds, never below zero', () => {
    assert.equal(minutesSeconds(59_001), '1:00');
    assert.equal(minutesSeconds(5_000), '0:05');
    assert.equal(minutesSeconds(-3_000), '0:00');
  });
});

describe('reason words of a decision record (the queue’s history)', () => {
  it('has words of its own for every reason, in the past and without that moment’s state', () => {
    const words = UNAVAILABILITY_REASONS.map(recordedReasonWords);
    assert.equal(new Set(words).size, UNAVAILABILITY_REASONS.length);
    for (const w of words) assert.match(w, /^[a-z]/);
    assert.equal(recordedReasonWords('presence'), 'presence not admitted');
    assert.equal(recordedReasonWords('declined'), 'had declined or missed it');
  });
});

describe('time in state words', () => {
  const cases: [number, string][] = [
    [-5, '0 s'],
    [59_999, '59 s'],
    [60_000, '1 min'],
    [59 * 60_000 + 59_000, '59 min'],
    [3_600_000, '1 h'],
    [3_600_000 + 5 * 60_000 + 30_000, '1 h 5 min'],
  ];
  for (const [ms, words] of cases)
    it(`${ms} ms reads "${words}"`, () => assert.equal(durationWords(ms), words));
});
