import { strict as assert } from 'node:assert';
import { anAgent, aTask, NOW } from '../../../test/builders.js';
import { asServiceId, asTaskId, asUserId, type UserId } from '../ids.js';
import { instantOf } from '../instant.js';
import type { AgentState } from './agent-state.js';
import { changePresence, endAcw, extendAcw, resetRona } from './agent-actions.js';
import {
  acceptTask,
  endAcceptedTask,
  cancelTask,
  completeTask,
  declineTask,
  expireOffer,
} from './task-lifecycle.js';
import type { Task } from './task.js';

const u = asUserId;
const offeredTo = (ids: string[], over: Partial<Task> = {}) =>
  aTask('t1', {
    state: 'Offered',
    offeredTo: ids.map(u),
    offerExpiresAt: instantOf(NOW + 30_000),
    ...over,
  });
const agents = (...ids: string[]) =>
  new Map<UserId, AgentState>(
    ids.map((id) => [
      u(id),
      anAgent(id, {
        engagement: { kind: 'offered', taskId: asTaskId('t1'), serviceId: asServiceId('hotline') },
      }),
    ]),
  );
const routing = (over: Partial<Task['routing']>) => ({ ...aTask('x').routing, ...over });

describe('task lifecycle', () => {
  it('the first accept wins; the other copies of a broadcast are withdrawn and their people freed', () => {
    const step = acceptTask(
      offeredTo(['ann', 'bob', 'cat']),
      agents('ann', 'bob', 'cat'),
      u('bob'),
      NOW,
    );
    assert.ok(step.ok);
    assert.equal(step.value.task.state, 'Accepted');
    assert.equal(step.value.task.acceptedBy, 'bob');
    assert.equal(step.value.task.acceptedAt, NOW, 'since when it is in hand');
    assert.deepEqual(step.value.withdrawn, ['ann', 'cat']);
    assert.deepEqual(
      step.value.agents.map((a) => [a.userId, a.engagement?.kind ?? 'free']),
      [
        ['ann', 'free'],
        ['bob', 'accepted'],
        ['cat', 'free'],
      ],
    );
  });

  it('a second accept loses cleanly', () => {
    const taken = aTask('t1', { state: 'Accepted', acceptedBy: u('bob'), offeredTo: [u('bob')] });
    const second = acceptTask(taken, agents('ann'), u('ann'), NOW);
    assert.ok(!second.ok);
    assert.match(second.refusal.message, /Already taken/);
    assert.ok(
      !acceptTask(offeredTo(['ann']), agents('ann'), u('zed'), NOW).ok,
      'not offered to zed',
    );
  });

  it('a decline hands the task back to the queue, remembering who passed', () => {
    const step = declineTask(offeredTo(['ann']), anAgent('ann'), NOW);
    assert.ok(step.ok);
    assert.deepEqual([step.value.task.state, step.value.task.passedBy], ['Queued', ['ann']]);
    assert.equal(step.value.agents[0]?.ronaUntil, null, 'no RONA without persistent RONA');
  });

  it('with persistent RONA, a decline blocks the person until the reset time', () => {
    const task = offeredTo(['ann'], {
      routing: routing({ rona: { persistent: true, resetSec: 600 } }),
    });
    const step = declineTask(task, anAgent('ann'), NOW);
    assert.ok(step.ok);
    assert.equal(step.value.agents[0]?.ronaUntil, NOW + 600_000);
  });

  it('in broadcast, one decline leaves the others ringing and sets no RONA', () => {
    const task = offeredTo(['ann', 'bob'], {
      routing: routing({ type: 'Broadcast', rona: { persistent: true, resetSec: 600 } }),
    });
    const step = declineTask(task, anAgent('ann'), NOW);
    assert.ok(step.ok);
    assert.deepEqual([step.value.task.state, step.value.task.offeredTo], ['Offered', ['bob']]);
    assert.equal(step.value.agents[0]?.ronaUntil, null);
  });

  it('an unanswered offer expires at the calling timeout: back to the queue, not lost; RONA if persistent', () => {
    const task = offeredTo(['ann'], {
      routing: routing({ rona: { persistent: true, resetSec: 60 } }),
    });
    assert.equal(expireOffer(task, agents('ann'), instantOf(NOW + 29_999)), null, 'not yet');
    const step = expireOffer(task, agents('ann'), instantOf(NOW + 30_000));
    assert.ok(step);
    assert.deepEqual(
      [step.task.state, step.task.offeredTo, step.task.passedBy],
      ['Queued', [], ['ann']],
    );
    assert.equal(step.agents[0]?.engagement, null);
    assert.equal(step.agents[0]?.ronaUntil, NOW + 30_000 + 60_000);
  });

  it('completing starts ACW with the settings the task entered with, or frees the person at once', () => {
    const accepted = aTask('t1', { state: 'Accepted', acceptedBy: u('ann') });
    const free = completeTask(accepted, anAgent('ann'), NOW);
    assert.ok(free.ok);
    assert.deepEqual(
      [free.value.agents[0]?.engagement, free.value.agents[0]?.lastTaskEndedAt],
      [null, NOW],
    );
    const withAcw = completeTask(
      {
        ...accepted,
        routing: routing({
          acw: {
            enabled: true,
            seconds: 150,
            allowEarlyEnd: false,
            allowExtension: true,
            maxExtensionSec: 300,
          },
        }),
      },
      anAgent('ann'),
      NOW,
    );
    assert.ok(withAcw.ok);
    const e = withAcw.value.agents[0]?.engagement;
    assert.ok(e?.kind === 'acw');
    assert.equal(e.until, NOW + 150_000);
    assert.ok(
      !completeTask(aTask('q'), anAgent('ann'), NOW).ok,
      'a queued task cannot be completed',
    );
  });

  it('cancels waiting or ringing tasks only', () => {
    const step = cancelTask(offeredTo(['ann']), agents('ann'), NOW);
    assert.ok(step.ok);
    assert.deepEqual([step.value.task.state, step.value.withdrawn], ['Canceled', ['ann']]);
    const accepted = cancelTask(aTask('t', { state: 'Accepted' }), agents(), NOW);
    assert.ok(!accepted.ok);
    assert.equal(
      accepted.refusal.message,
      'This task is accepted, so it can no longer be canceled.',
    );
    assert.ok(!cancelTask(aTask('t', { state: 'Completed' }), agents(), NOW).ok);
  });
});

describe('chats at once: the chats someone holds', () => {
  const held = (...ids: string[]) =>
    ids.map((id) => ({ taskId: asTaskId(id), serviceId: asServiceId('hotline') }));
  const chat = (over: Partial<Task> = {}) => offeredTo(['ann', 'bob'], { modality: 'Im', ...over });
  const ringing = (id: string, chats: string[] = []) =>
    anAgent(id, {
      engagement: { kind: 'offered', taskId: asTaskId('t1'), serviceId: asServiceId('hotline') },
      chats: held(...chats),
    });
  const accepted = (task: Task, by: string) => ({
    ...task,
    state: 'Accepted' as const,
    acceptedBy: u(by),
    acceptedAt: NOW,
    offeredTo: [u(by)],
  });

  it('accepting a chat adds it to the chats held and leaves nothing ringing; any other task occupies the person', () => {
    const step = acceptTask(
      chat(),
      new Map([
        [u('ann'), ringing('ann', ['c0'])],
        [u('bob'), ringing('bob')],
      ]),
      u('ann'),
      NOW,
    );
    assert.ok(step.ok);
    const [ann, bob] = step.value.agents;
    assert.equal(ann?.engagement, null);
    assert.deepEqual(ann?.chats, held('c0', 't1'));
    assert.deepEqual([bob?.engagement, bob?.chats], [null, []]);
    const call = acceptTask(
      offeredTo(['ann']),
      new Map([[u('ann'), ringing('ann')]]),
      u('ann'),
      NOW,
    );
    assert.ok(call.ok);
    assert.deepEqual(call.value.agents[0]?.engagement?.kind, 'accepted');
    assert.deepEqual(call.value.agents[0]?.chats, []);
  });

  it('completing one chat keeps the others; after-call work starts, unless the next invitation already rings', () => {
    const task = accepted(
      chat({
        routing: routing({ acw: { ...aTask('x').routing.acw, enabled: true, seconds: 60 } }),
      }),
      'ann',
    );
    const holding = anAgent('ann', { chats: held('c0', 't1', 'c2') });
    const done = completeTask(task, holding, NOW);
    assert.ok(done.ok);
    const after = done.value.agents[0];
    assert.deepEqual(after?.chats, held('c0', 'c2'));
    assert.equal(after?.engagement?.kind, 'acw');
    assert.equal(after?.engagement?.taskId, 't1');
    const next = {
      kind: 'offered' as const,
      taskId: asTaskId('t9'),
      serviceId: asServiceId('hotline'),
    };
    const rung = completeTask(task, { ...holding, engagement: next }, NOW);
    assert.ok(rung.ok);
    assert.deepEqual(rung.value.agents[0]?.engagement, next);
    assert.equal(rung.value.agents[0]?.lastTaskEndedAt, NOW);
  });

  it('a decline, a missed invitation and a cancel take away that task only, never a chat held', () => {
    const ann = ringing('ann', ['c0']);
    const declined = declineTask(chat(), ann, NOW);
    assert.ok(declined.ok);
    assert.deepEqual(declined.value.agents[0]?.chats, held('c0'));
    assert.equal(declined.value.agents[0]?.engagement, null);
    const expired = expireOffer(chat(), new Map([[u('ann'), ann]]), instantOf(NOW + 31_000));
    assert.deepEqual(expired?.agents[0]?.chats, held('c0'));
    const canceled = cancelTask(chat(), new Map([[u('ann'), ann]]), NOW);
    assert.ok(canceled.ok);
    assert.deepEqual(canceled.value.agents[0]?.chats, held('c0'));
  });

  it('an owner ending one chat frees that chat only', () => {
    const task = accepted(chat(), 'ann');
    const ended = endAcceptedTask(
      task,
      anAgent('ann', { chats: held('c0', 't1') }),
      { by: u('megan'), reason: 'gone' },
      NOW,
    );
    assert.ok(ended.ok);
    assert.deepEqual(ended.value.agents[0]?.chats, held('c0'));
  });
});

describe('agent actions', () => {
  const inAcw = (over: { allowEarlyEnd?: boolean; allowExtension?: boolean } = {}) =>
    anAgent('ann', {
      engagement: {
        kind: 'acw',
        taskId: asTaskId('t'),
        serviceId: asServiceId('s'),
        until: instantOf(NOW + 150_000),
        allowEarlyEnd: over.allowEarlyEnd ?? true,
        allowExtension: over.allowExtension ?? true,
        maxExtensionSec: 300,
      },
    });

  it('ends ACW early only where the service allows', () => {
    assert.ok(endAcw(inAcw(), NOW, true).ok);
    assert.ok(!endAcw(inAcw({ allowEarlyEnd: false }), NOW, true).ok);
  });

  it('the timer ends ACW at its time, not before', () => {
    assert.ok(!endAcw(inAcw(), instantOf(NOW + 149_999), false).ok);
    const ended = endAcw(inAcw(), instantOf(NOW + 150_000), false);
    assert.ok(ended.ok);
    assert.equal(ended.value.lastTaskEndedAt, NOW + 150_000, 'idle from the end of ACW');
  });

  it('an extension is a flat new value up to the maximum, not added to what is left', () => {
    const later = instantOf(NOW + 100_000);
    const extended = extendAcw(inAcw(), 120, later);
    assert.ok(extended.ok && extended.value.engagement?.kind === 'acw');
    assert.equal(extended.value.engagement.until, later + 120_000);
    assert.ok(!extendAcw(inAcw(), 301, later).ok);
    assert.ok(!extendAcw(inAcw({ allowExtension: false }), 60, later).ok);
  });

  it('going Offline ends ACW and resets RONA; coming back starts the idle clock', () => {
    const offline = changePresence(
      { ...inAcw(), ronaUntil: instantOf(NOW + 5000) },
      'Offline',
      NOW,
    );
    assert.deepEqual(
      [offline.engagement, offline.ronaUntil, offline.lastTaskEndedAt],
      [null, null, NOW],
    );
    const back = changePresence(offline, 'Available', instantOf(NOW + 10));
    assert.equal(back.availableSince, NOW + 10);
    assert.equal(resetRona(anAgent('x', { ronaUntil: instantOf(NOW + 1) })).ronaUntil, null);
  });

  describe('an owner ends an accepted task nobody will finish', () => {
    const held = aTask('t1', {
      state: 'Accepted',
      acceptedBy: u('bob'),
      offeredTo: [u('bob')],
      acceptedAt: NOW,
      routing: routing({ acw: { ...aTask('x').routing.acw, enabled: true, seconds: 60 } }),
    });
    const bob = {
      ...anAgent('bob'),
      engagement: { kind: 'accepted' as const, taskId: held.id, serviceId: held.serviceId },
    };
    const ending = { by: u('meg'), reason: 'Bob went home sick' };

    it('completes it with who ended it and why, and frees the person without after-call work', () => {
      const later = (NOW + 3_600_000) as typeof NOW;
      const step = endAcceptedTask(held, bob, ending, later);
      assert.ok(step.ok);
      assert.equal(step.value.task.state, 'Completed');
      assert.equal(step.value.task.endedAt, later);
      assert.deepEqual(step.value.task.ending, ending);
      assert.deepEqual(
        step.value.agents.map((a) => [a.userId, a.engagement, a.lastTaskEndedAt]),
        [['bob', null, later]],
      );
    });

    it('leaves a person alone who is no longer on that task', () => {
      const elsewhere = {
        ...bob,
        engagement: {
          kind: 'accepted' as const,
          taskId: aTask('t2').id,
          serviceId: held.serviceId,
        },
      };
      const step = endAcceptedTask(held, elsewhere, ending, NOW);
      assert.ok(step.ok);
      assert.deepEqual(step.value.agents, []);
    });

    it('refuses a task that is not in hand: a waiting or ringing one is canceled instead', () => {
      for (const state of ['Queued', 'Offered', 'Completed', 'Canceled'] as const) {
        const step = endAcceptedTask({ ...held, state }, bob, ending, NOW);
        assert.ok(!step.ok, state);
        assert.equal(step.refusal.code, 'policy_denied');
      }
      const ringing = endAcceptedTask({ ...held, state: 'Offered' }, bob, ending, NOW);
      assert.ok(!ringing.ok && /cancel it instead/.test(ringing.refusal.message));
    });
  });
});
