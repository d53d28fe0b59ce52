import { strict as assert } from 'node:assert';
import { aMembership, anAgent, NOW } from '../../../test/builders.js';
import { asServiceId, asTaskId } from '../ids.js';
import { instantOf } from '../instant.js';
import { inStateSince, stampChange, type AgentState } from './agent-state.js';

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
