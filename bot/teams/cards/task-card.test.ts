import { strict as assert } from 'node:assert';
import { asTaskId, asUserId, asServiceId } from '../../../core/domain/ids.js';
import { instantOf } from '../../../core/domain/instant.js';
import type { Task } from '../../../core/domain/routing/task.js';
import type { AgentState } from '../../../core/domain/routing/agent-state.js';
import { type CardNote } from '../../../core/domain/routing/cards.js';
import { aTask, anAgent, NOW } from '../../../test/builders.js';
import type { WithdrawalCause } from '../../../core/domain/routing/stale-offers.js';
import { renderTaskCard, taskCardView, type TaskCardView } from './task-card.js';

const ME = asUserId('me');
const OTHER = asUserId('other');
const later = instantOf(NOW + 60_000);
const acw = (taskId: string): AgentState['engagement'] => ({
  kind: 'acw',
  taskId: asTaskId(taskId),
  serviceId: asServiceId('hotline'),
  until: later,
  allowEarlyEnd: true,
  allowExtension: false,
  maxExtensionSec: 300,
});

/** A view's kind, and for a withdrawn card its cause: "withdrawn: left". */
type Seen = TaskCardView['kind'] | `withdrawn: ${WithdrawalCause}`;
const seen = (view: TaskCardView): Seen =>
  view.kind === 'withdrawn' && view.why ? `withdrawn: ${view.why}` : view.kind;

type Case = [string, Partial<Task>, Partial<AgentState>, CardNote | null, Seen];
const cases: Case[] = [
  [
    'ringing for me',
    { state: 'Offered', offeredTo: [ME], offerExpiresAt: later },
    {},
    null,
    'offered',
  ],
  ['accepted by me', { state: 'Accepted', acceptedBy: ME }, {}, null, 'accepted'],
  [
    'completed, I am in its after-call work',
    { state: 'Completed', acceptedBy: ME },
    { engagement: acw('t1') },
    null,
    'acw',
  ],
  [
    'completed, after-call work of another task',
    { state: 'Completed', acceptedBy: ME },
    { engagement: acw('t9') },
    null,
    'completed',
  ],
  [
    'accepted by me, ended by an owner',
    { state: 'Completed', acceptedBy: ME, ending: { by: OTHER, reason: 'You went home' } },
    {},
    null,
    'ended',
  ],
  ['taken by someone else', { state: 'Accepted', acceptedBy: OTHER }, {}, null, 'taken'],
  ['I declined it', { state: 'Offered', offeredTo: [OTHER] }, {}, 'declined', 'declined'],
  ['it rang out on me', { state: 'Offered', offeredTo: [OTHER] }, {}, 'missed', 'missed'],
  [
    'I declined, then someone took it',
    { state: 'Accepted', acceptedBy: OTHER },
    {},
    'declined',
    'declined',
  ],
  ['canceled while ringing', { state: 'Canceled' }, {}, null, 'canceled'],
  ['no longer offered to me', { state: 'Queued' }, {}, null, 'withdrawn'],
  ['withdrawn as I left the service', { state: 'Queued' }, {}, 'left', 'withdrawn: left'],
  [
    'withdrawn as I left, then someone took it',
    { state: 'Accepted', acceptedBy: OTHER },
    {},
    'left',
    'withdrawn: left',
  ],
  ['withdrawn while the tenant is paused', { state: 'Queued' }, {}, 'paused', 'withdrawn: paused'],
  ['withdrawn as I went Offline', { state: 'Queued' }, {}, 'presence', 'withdrawn: presence'],
  [
    'rang out, then offered to me again',
    { state: 'Offered', offeredTo: [ME] },
    {},
    'missed',
    'offered',
  ],
];

describe('task cards', () => {
  it('offers Open for a task with a link while it rings for me or is mine, not after', () => {
    const task = aTask('t1', { link: 'https://crm.contoso.com/cases/42', priority: 'VeryHigh' });
    const opens = (view: TaskCardView) =>
      JSON.stringify(renderTaskCard(task, 'Hotline', view)).includes(
        '{"type":"Action.OpenUrl","title":"Open","url":"https://crm.contoso.com/cases/42"}',
      );
    assert.ok(opens({ kind: 'offered', withinMs: 30_000, again: false }), 'ringing');
    assert.ok(opens({ kind: 'accepted' }), 'mine');
    assert.ok(!opens({ kind: 'taken', by: 'Adele Vance' }), 'someone else’s');
    assert.ok(
      JSON.stringify(renderTaskCard(task, 'Hotline', { kind: 'accepted' })).includes('Very high'),
      'the priority in words',
    );
  });

  it('counts the time to answer from when the card is drawn', () => {
    const view = taskCardView({
      task: aTask('t1', {
        state: 'Offered',
        offeredTo: [ME],
        offerExpiresAt: instantOf(NOW + 30_000),
      }),
      userId: ME,
      agent: anAgent('me'),
      note: null,
      nameOf: String,
      now: NOW,
    });
    assert.deepEqual(view, { kind: 'offered', withinMs: 30_000, again: false });
  });

  it('says so when it rings the same person again because nobody else is free', () => {
    const rang = (offeredTo: readonly (typeof ME)[]) => ({ at: NOW, offeredTo, skipped: [] });
    const view = (decisions: ReturnType<typeof rang>[]) =>
      taskCardView({
        task: aTask('t1', { state: 'Offered', offeredTo: [ME], offerExpiresAt: later, decisions }),
        userId: ME,
        agent: anAgent('me'),
        note: 'declined',
        nameOf: String,
        now: NOW,
      });
    const again = view([rang([ME]), rang([ME])]);
    assert.equal(again.kind === 'offered' && again.again, true);
    const card = JSON.stringify(renderTaskCard(aTask('t1'), 'Hotline', again));
    assert.ok(card.includes('Nobody else is free, so it rings you again.'), card);
    const fresh = view([rang([OTHER]), rang([ME])]);
    assert.equal(fresh.kind === 'offered' && fresh.again, false, 'someone else had it before');
  });

  for (const [name, task, agent, note, kind] of cases)
    it(`${name} → ${kind}`, () => {
      const view = taskCardView({
        task: aTask('t1', task),
        userId: ME,
        agent: anAgent('me', agent),
        note,
        nameOf: (id) => (id === OTHER ? 'Adele Vance' : String(id)),
        now: NOW,
      });
      assert.equal(seen(view), kind);
    });

  it('a missed card offers Reset only while persistent RONA lasts', () => {
    const view = (ronaUntil: number | null) =>
      taskCardView({
        task: aTask('t1', { state: 'Offered', offeredTo: [OTHER] }),
        userId: ME,
        agent: anAgent('me', { ronaUntil: ronaUntil === null ? null : instantOf(ronaUntil) }),
        note: 'missed',
        nameOf: String,
        now: NOW,
      });
    const verbs = (v: TaskCardView) =>
      (renderTaskCard(aTask('t1'), 'Hotline', v).actions ?? []).map((a) => a.verb);
    assert.deepEqual(verbs(view(NOW + 1000)), ['resetRona']);
    assert.deepEqual(verbs(view(NOW - 1000)), []);
    assert.deepEqual(verbs(view(null)), []);
  });

  it('an invitation names the service, subject, modality, priority and the time left to answer, with Accept and Decline', () => {
    const task = aTask('t1', { subject: 'Printer on fire', priority: 'High', modality: 'Im' });
    const card = renderTaskCard(task, 'IT Helpdesk', {
      kind: 'offered',
      withinMs: 30_000,
      again: false,
    });
    const json = JSON.stringify(card);
    for (const part of ['Chat for IT Helpdesk', 'Printer on fire', 'High', 'Answer within 0:30.'])
      assert.ok(json.includes(part), part);
    assert.ok(!json.includes('rings you again'), 'a first ring');
    assert.ok(!json.includes('Action.OpenUrl'), 'no link given, no Open');
    assert.deepEqual(
      card.actions?.map((a) => [a.verb, a.data]),
      [
        ['accept', { taskId: 't1' }],
        ['decline', { taskId: 't1' }],
      ],
    );
  });

  it('a withdrawn card says why, without buttons', () => {
    const left = renderTaskCard(aTask('t1'), 'IT Helpdesk', { kind: 'withdrawn', why: 'left' });
    assert.match(JSON.stringify(left.body), /no longer a member of IT Helpdesk/);
    assert.equal(left.actions, undefined);
    const paused = renderTaskCard(aTask('t1'), 'IT Helpdesk', { kind: 'withdrawn', why: 'paused' });
    assert.match(JSON.stringify(paused.body), /takes no tasks for now/);
    assert.equal(paused.actions, undefined);
    const away = renderTaskCard(aTask('t1'), 'IT Helpdesk', { kind: 'withdrawn', why: 'presence' });
    assert.match(JSON.stringify(away.body), /went Offline or Do not disturb/);
  });

  it('a card taken by someone else names them and has no buttons', () => {
    const card = renderTaskCard(aTask('t1'), 'IT Helpdesk', { kind: 'taken', by: 'Adele Vance' });
    assert.match(JSON.stringify(card.body), /Taken by Adele Vance/);
    assert.equal(card.actions, undefined);
  });

  it('a task an owner ended says who and why, without buttons', () => {
    const card = renderTaskCard(aTask('t1'), 'IT Helpdesk', {
      kind: 'ended',
      by: 'Megan Bowen',
      reason: 'Adele left for the day',
    });
    assert.match(JSON.stringify(card.body), /Ended by Megan Bowen: Adele left for the day/);
    assert.equal(card.actions, undefined);
  });

  describe('a website chat', () => {
    const chatTask = aTask('c1', {
      modality: 'Im',
      channel: 'interact',
      subject: 'Website chat with <b>Mallory</b> **x**',
      state: 'Accepted',
      acceptedBy: ME,
    });
    const lines = [
      {
        from: 'customer' as const,
        text: '<script>alert(1)</script> **bold** {{DATE(2026-01-01T00:00:00Z)}} [x](https://evil.example)',
      },
      { from: 'agent' as const, text: 'Hello' },
    ];
    const chat = { customerName: 'Mallory *M*', lines, left: false };
    const accepted = renderTaskCard(chatTask, 'Hotline', { kind: 'accepted' }, chat);

    it('shows the customer’s words as text: markdown, links and Teams’ date functions escaped', () => {
      const blocks = (accepted.body.find((e) => e.type === 'Container')?.items ?? []) as {
        text: string;
      }[];
      const [customer, agent] = blocks.map((b) => b.text);
      assert.equal(
        customer,
        String.raw`**Mallory \*M\*:** \<script\>alert\(1\)\</script\> \*\*bold\*\* \{\{DATE\(2026\-01\-01T00:00:00Z\)\}\} \[x\]\(https://evil\.example\)`,
      );
      assert.equal(agent, '**You:** Hello');
      const subject = JSON.stringify(accepted.body[1]);
      assert.ok(subject.includes(String.raw`\\<b\\>Mallory\\</b\\> \\*\\*x\\*\\*`), subject);
    });

    it('offers Reply with a box and End chat while the customer is there; says when they left', () => {
      assert.deepEqual(
        (accepted.actions ?? []).map((a) => [a.verb, a.title]),
        [
          ['chatReply', 'Reply'],
          ['complete', 'End chat'],
        ],
      );
      assert.ok(accepted.body.some((e) => e.type === 'Input.Text' && e.id === 'reply'));
      const left = renderTaskCard(
        chatTask,
        'Hotline',
        { kind: 'accepted' },
        { ...chat, left: true },
      );
      assert.deepEqual(
        (left.actions ?? []).map((a) => a.verb),
        ['complete'],
      );
      assert.ok(JSON.stringify(left.body).includes('left the chat. End it when you are done.'));
      assert.ok(!left.body.some((e) => e.type === 'Input.Text'));
    });

    it('shows what the customer wrote while it rings, with no box to reply in yet', () => {
      const ringing = renderTaskCard(
        { ...chatTask, state: 'Offered', acceptedBy: null },
        'Hotline',
        { kind: 'offered', withinMs: 30_000, again: false },
        chat,
      );
      assert.ok(JSON.stringify(ringing.body).includes('Hello'));
      assert.ok(!ringing.body.some((e) => e.type === 'Input.Text'));
      assert.deepEqual(
        (ringing.actions ?? []).map((a) => a.verb),
        ['accept', 'decline'],
      );
    });
  });
});
