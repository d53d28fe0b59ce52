import { strict as assert } from 'node:assert';
import { aMembership, anAgent, aTask, aTenant, NOW } from '../../../test/builders.js';
import { asServiceId, asTaskId, asUserId, type ServiceId, type UserId } from '../ids.js';
import { instantOf } from '../instant.js';
import type { Membership } from '../service.js';
import type { AgentState } from './agent-state.js';
import { staleOffers } from './stale-offers.js';
import { withdrawOffers } from './task-lifecycle.js';
import type { Task } from './task.js';

const u = asUserId;
const HOTLINE = asServiceId('hotline');
const ringing = (id: string, ids: string[], over: Partial<Task> = {}) =>
  aTask(id, {
    state: 'Offered',
    offeredTo: ids.map(u),
    offerExpiresAt: instantOf(NOW + 30_000),
    ...over,
  });
const offered = (taskId: string, ...ids: string[]) =>
  new Map<UserId, AgentState>(
    ids.map((id) => [
      u(id),
      anAgent(id, {
        engagement: { kind: 'offered', taskId: asTaskId(taskId), serviceId: HOTLINE },
        ronaUntil: null,
      }),
    ]),
  );
/** Whether someone is a member, for a service whose members are these people. */
const members = (...ids: string[]) => {
  const list = new Map<ServiceId, Membership[]>([
    [HOTLINE, ids.map((id) => aMembership('hotline', id))],
  ]);
  return (serviceId: ServiceId, userId: string) =>
    (list.get(serviceId) ?? []).some((m) => m.userId === userId);
};

describe('withdrawing invitations nobody can take', () => {
  it('withdraws only the people who cannot take it; the rest of a broadcast keeps ringing', () => {
    const task = ringing('t1', ['ann', 'bob', 'cat'], {
      routing: { ...aTask('x').routing, type: 'Broadcast' },
    });
    const step = withdrawOffers(task, offered('t1', 'ann', 'bob', 'cat'), (id) => id === 'bob');
    assert.ok(step);
    assert.deepEqual(
      [step.task.state, step.task.offeredTo, step.task.offerExpiresAt],
      ['Offered', ['ann', 'cat'], task.offerExpiresAt],
    );
    assert.deepEqual(step.withdrawn, ['bob']);
    assert.deepEqual(
      step.agents.map((a) => [a.userId, a.engagement]),
      [['bob', null]],
    );
  });

  it('a task left ringing for nobody waits in the queue again, with no RONA and nobody marked as passing', () => {
    const task = ringing('t1', ['ann'], {
      routing: { ...aTask('x').routing, rona: { persistent: true, resetSec: 600 } },
    });
    const step = withdrawOffers(task, offered('t1', 'ann'), () => true);
    assert.ok(step);
    assert.deepEqual(
      [step.task.state, step.task.offeredTo, step.task.offerExpiresAt, step.task.passedBy],
      ['Queued', [], null, []],
    );
    assert.deepEqual(
      step.agents.map((a) => [a.engagement, a.ronaUntil]),
      [[null, null]],
    );
  });

  it('leaves alone a task that is not ringing, or ringing only for people who can take it', () => {
    assert.equal(
      withdrawOffers(aTask('t1'), new Map(), () => true),
      null,
    );
    const accepted = aTask('t1', {
      state: 'Accepted',
      acceptedBy: u('ann'),
      offeredTo: [u('ann')],
    });
    assert.equal(
      withdrawOffers(accepted, offered('t1', 'ann'), () => true),
      null,
    );
    assert.equal(
      withdrawOffers(ringing('t1', ['ann']), offered('t1', 'ann'), () => false),
      null,
    );
  });

  it('before distributing: invitations of people who left the service are withdrawn', () => {
    const tasks = [ringing('t1', ['ann']), ringing('t2', ['bob']), aTask('t3')];
    const agents = new Map([...offered('t1', 'ann'), ...offered('t2', 'bob')]);
    const found = staleOffers(aTenant(), members('bob'), tasks, agents);
    assert.deepEqual(
      found.map((w) => [w.step.task.id, w.step.withdrawn, [...w.causes]]),
      [['t1', ['ann'], [['ann', 'left']]]],
    );
  });

  it('before distributing: invitations of people gone Offline or Do not disturb are withdrawn, not of Busy or Away', () => {
    const task = ringing('t1', ['ann', 'bob', 'cat', 'dan', 'eve'], {
      routing: { ...aTask('x').routing, type: 'Broadcast' },
    });
    const presences = ['Offline', 'DoNotDisturb', 'Busy', 'Away', 'Available'] as const;
    const agents = new Map(
      [...offered('t1', 'ann', 'bob', 'cat', 'dan', 'eve')].map(([id, a], i) => [
        id,
        { ...a, presence: presences[i] ?? 'Available' },
      ]),
    );
    const found = staleOffers(aTenant(), members('bob', 'cat', 'dan', 'eve'), [task], agents);
    assert.deepEqual(
      found.map((w) => [[...w.causes], w.step.task.offeredTo]),
      [
        [
          [
            ['ann', 'left'],
            ['bob', 'presence'],
          ],
          ['cat', 'dan', 'eve'],
        ],
      ],
      'leaving says more than the presence of someone who left',
    );
  });

  it('before distributing: an invitation is withdrawn from someone who lost the license its task needs', () => {
    const chat = ringing('t1', ['ann', 'bob'], {
      modality: 'Im',
      routing: { ...aTask('x').routing, type: 'Broadcast' },
    });
    const call = ringing('t2', ['cat']);
    const agents = new Map([...offered('t1', 'ann', 'bob'), ...offered('t2', 'cat')]);
    const held = (userId: UserId) => (userId === 'bob' ? (['InstantMessaging'] as const) : []);
    const found = staleOffers(aTenant(), members('ann', 'bob', 'cat'), [chat, call], agents, held);
    assert.deepEqual(
      found.map((w) => [w.step.task.id, [...w.causes], w.step.task.offeredTo]),
      [['t1', [['ann', 'license']], ['bob']]],
      'a call needs no license',
    );
  });

  it('while the tenant takes no tasks, every invitation is withdrawn; accepted tasks stay', () => {
    const tasks = [
      ringing('t1', ['ann']),
      aTask('t2', { state: 'Accepted', acceptedBy: u('bob'), offeredTo: [u('bob')] }),
    ];
    for (const tenant of [
      aTenant({ state: 'Suspended' }),
      aTenant({ state: 'Expired' }),
      aTenant({ deletionRequestedAt: NOW }),
    ]) {
      const found = staleOffers(tenant, members('ann', 'bob'), tasks, offered('t1', 'ann'));
      assert.deepEqual(
        found.map((w) => [w.step.task.id, w.step.task.state, [...w.causes.values()]]),
        [['t1', 'Queued', ['paused']]],
        tenant.state,
      );
    }
    for (const state of ['Active', 'Trial', 'Lab'] as const)
      assert.deepEqual(
        staleOffers(aTenant({ state }), members('ann'), tasks, offered('t1', 'ann')),
        [],
      );
  });
});
