import { strict as assert } from 'node:assert';
import { asServiceId, asTaskId, asTenantId, asUserId } from '../ids.js';
import { instantOf } from '../instant.js';
import { newAgentState } from '../routing/agent-state.js';
import { stateChange } from './user-states.js';

const NOW = instantOf(Date.UTC(2026, 11, 2, 9));
const person = newAgentState(asTenantId('t'), asUserId('ada'), NOW, 'Available');
const task = { taskId: asTaskId('task-1'), serviceId: asServiceId('svc-1') };

describe('what a person’s state history keeps', () => {
  it('a change of presence, of engagement or of RONA, with the state before and after', () => {
    const ringing = { ...person, engagement: { kind: 'offered' as const, ...task } };
    assert.deepEqual(stateChange(person, ringing, NOW), {
      kind: 'state',
      at: NOW,
      before: { presence: 'Available', engagement: null, serviceId: null, rona: false },
      after: { presence: 'Available', engagement: 'offered', serviceId: 'svc-1', rona: false },
    });
    assert.equal(stateChange(person, { ...person, presence: 'Away' }, NOW)?.kind, 'state');
    assert.equal(stateChange(person, { ...person, ronaUntil: NOW }, NOW)?.kind, 'state');
  });

  it('a first state has none before it', () => {
    const first = stateChange(undefined, person, NOW);
    assert.ok(first?.kind === 'state');
    assert.equal(first.before, null);
  });

  it('nothing for what does not change the state: idle clocks, the same engagement', () => {
    assert.equal(stateChange(person, { ...person, availableSince: instantOf(NOW + 1) }, NOW), null);
    assert.equal(stateChange(person, { ...person, lastTaskEndedAt: NOW }, NOW), null);
    const acw = {
      kind: 'acw' as const,
      ...task,
      until: NOW,
      allowEarlyEnd: true,
      allowExtension: true,
      maxExtensionSec: 60,
    };
    const inAcw = { ...person, engagement: acw };
    assert.equal(
      stateChange(inAcw, { ...inAcw, engagement: { ...acw, until: instantOf(NOW + 60_000) } }, NOW),
      null,
      'an extension',
    );
  });
});
