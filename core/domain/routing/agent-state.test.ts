import { strict as assert } from 'node:assert';
import { aMembership, anAgent, NOW } from '../../../test/builders.js';
import { z } from 'zod';
import { asServiceId, asTaskId, asUserId } from '../ids.js';
import { instantOf } from '../instant.js';
import {
  engagementSchema,
  inStateSince,
  stampChange,
  stateOrOffline,
  type AgentState,
} from './agent-state.js';

const LATER = instantOf(NOW + 60_000);
const ringing = { kind: 'offered', taskId: asTaskId('t1'), serviceId: asServiceId('s1') } as const;

describe('time in state', () => {
  const before = anAgent('u1');
  const cases: [string, Partial<AgentState>, boolean][] = [
    ['presence changes', { presence: 'Away' }, true],
    ['a task starts ringing', { engagement: ringing }, true],
    ['RONA starts', { ronaUntil: instantOf(NOW + 600_000) }, true],
    ['only the idle clock moves', { lastTaskEndedAt: LATER, availableSince: LATER }, false],
    ['nothing changes', {}, false],
  ];
  for (const [name, change, moves] of cases)
    it(`${moves ? 'starts anew' : 'holds'} when ${name}`, () => {
      const after = stampChange(before, { ...before, ...change }, LATER);
      assert.equal(after.changedAt, moves ? LATER : before.changedAt);
    });

  it('starts when a person is first seen', () => {
    assert.equal(stampChange(undefined, before, LATER).changedAt, LATER);
  });

  it('moves from a task to after-call work of the same task', () => {
    const onTask = { ...before, engagement: { ...ringing, kind: 'accepted' as const } };
    const acw = {
      ...onTask,
      engagement: {
        ...ringing,
        kind: 'acw' as const,
        until: LATER,
        allowEarlyEnd: true,
        allowExtension: false,
        maxExtensionSec: 300,
      },
    };
    assert.equal(stampChange(onTask, acw, LATER).changedAt, LATER);
  });

  it('for one service, counts from the later of a state change and an Active flip there', () => {
    const agent = anAgent('u1', { changedAt: instantOf(NOW + 5_000) });
    assert.equal(inStateSince(agent, aMembership('s1', 'u1')), NOW + 5_000);
    assert.equal(
      inStateSince(agent, aMembership('s1', 'u1', { activeSince: instantOf(NOW + 9_000) })),
      NOW + 9_000,
    );
  });
});

describe('a person’s routing state', () => {
  it('is the stored one when there is one, and Offline since now for someone never seen', () => {
    const stored = anAgent('u1');
    assert.equal(stateOrOffline(stored, stored.tenantId, stored.userId, LATER), stored);
    const unseen = stateOrOffline(undefined, stored.tenantId, asUserId('u2'), LATER);
    assert.deepEqual(
      [unseen.presence, unseen.engagement, unseen.availableSince, unseen.changedAt],
      ['Offline', null, LATER, LATER],
    );
  });
});

describe('an engagement as it travels', () => {
  it('takes the ACW end in the carrier’s time type and refuses another', () => {
    const acw = { ...ringing, kind: 'acw', allowEarlyEnd: true, allowExtension: false };
    const inRow = { ...acw, until: NOW, maxExtensionSec: 0 };
    assert.deepEqual(engagementSchema(z.number()).parse(inRow), inRow);
    assert.throws(() => engagementSchema(z.string()).parse(inRow));
    assert.equal(engagementSchema(z.number()).parse(null), null);
  });
});
