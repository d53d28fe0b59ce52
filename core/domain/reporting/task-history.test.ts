import { strict as assert } from 'node:assert';
import { anAcw, anAgent, aTask, NOW } from '../../../test/builders.js';
import { asTaskId, asUserId, type UserId } from '../ids.js';
import { instantOf } from '../instant.js';
import type { CardNote } from '../routing/cards.js';
import { agentChangeSteps, taskChangeSteps } from './task-history.js';

const ADA = asUserId('ada');
const BO = asUserId('bo');
const CY = asUserId('cy');
const LATER = instantOf(NOW + 5_000);
const queued = aTask('t1');
const ringing = (...to: UserId[]) => aTask('t1', { state: 'Offered', offeredTo: to });
const kinds = (steps: ReturnType<typeof taskChangeSteps>) =>
  steps.map((s) =>
    s.kind === 'withdrawn'
      ? `withdrawn ${s.from} ${s.cause}`
      : s.kind === 'offered'
        ? `offered ${s.to.join(',')}`
        : 'by' in s
          ? `${s.kind} ${s.by}`
          : s.kind,
  );

describe('the history steps of a change to a task', () => {
  // [what happened, before, after, notes for cards, the steps]
  const cases: readonly [
    string,
    ReturnType<typeof aTask> | null,
    ReturnType<typeof aTask>,
    ReadonlyMap<UserId, CardNote>,
    readonly string[],
  ][] = [
    ['it entered the queue', null, queued, new Map(), ['created']],
    ['it rang Ada', queued, ringing(ADA), new Map(), [`offered ${ADA}`]],
    ['broadcast to three', queued, ringing(ADA, BO, CY), new Map(), [`offered ${ADA},${BO},${CY}`]],
    [
      'Ada declined, Bo is rung',
      ringing(ADA),
      ringing(BO),
      new Map([[ADA, 'declined']]),
      [`declined ${ADA}`, `offered ${BO}`],
    ],
    [
      'it rang out at Ada, back to the queue',
      ringing(ADA),
      queued,
      new Map([[ADA, 'missed']]),
      [`missed ${ADA}`],
    ],
    [
      'Ada went Offline while it rang',
      ringing(ADA),
      queued,
      new Map([[ADA, 'presence']]),
      [`withdrawn ${ADA} presence`],
    ],
    [
      'Bo took a broadcast: the others’ invitations are withdrawn as taken',
      ringing(ADA, BO, CY),
      aTask('t1', { state: 'Accepted', offeredTo: [], acceptedBy: BO, acceptedAt: LATER }),
      new Map(),
      [`withdrawn ${ADA} taken`, `withdrawn ${CY} taken`, `accepted ${BO}`],
    ],
    [
      'canceled while it rang Ada (an ended task still names her)',
      ringing(ADA),
      aTask('t1', { state: 'Canceled', offeredTo: [ADA], endedAt: LATER }),
      new Map(),
      [`withdrawn ${ADA} ended`, 'canceled'],
    ],
    [
      'completed: nothing else',
      aTask('t1', { state: 'Accepted', offeredTo: [ADA], acceptedBy: ADA, acceptedAt: NOW }),
      aTask('t1', { state: 'Completed', acceptedBy: ADA, acceptedAt: NOW, endedAt: LATER }),
      new Map(),
      ['completed'],
    ],
    [
      'canceled while queued: canceled only',
      queued,
      aTask('t1', { state: 'Canceled', endedAt: LATER }),
      new Map(),
      ['canceled'],
    ],
    [
      'nothing that history keeps (its decisions were rewritten)',
      ringing(ADA),
      ringing(ADA),
      new Map(),
      [],
    ],
  ];
  for (const [what, before, after, notes, steps] of cases)
    it(what, () => assert.deepEqual(kinds(taskChangeSteps(before, after, LATER, notes)), steps));

  it('takes the accept’s and the end’s own times, and the entry time for its creation', () => {
    const accepted = aTask('t1', { state: 'Accepted', acceptedBy: ADA, acceptedAt: LATER });
    assert.equal(taskChangeSteps(ringing(ADA), accepted, instantOf(NOW + 9_000))[0]?.at, LATER);
    assert.equal(taskChangeSteps(null, queued, LATER)[0]?.at, queued.enqueuedAt);
  });
});

describe('the history steps of a change to a person', () => {
  const t = asTaskId('t1');
  const acw = (until: number) => ({ ...anAcw(instantOf(until)), taskId: t });
  const cases = [
    [
      'after-call work starts',
      anAgent('ada'),
      anAgent('ada', { engagement: acw(NOW + 60_000) }),
      ['acwStarted'],
    ],
    [
      'it is extended: nothing',
      anAgent('ada', { engagement: acw(NOW + 60_000) }),
      anAgent('ada', { engagement: acw(NOW + 120_000) }),
      [],
    ],
    ['it ends', anAgent('ada', { engagement: acw(NOW + 60_000) }), anAgent('ada'), ['acwEnded']],
    ['a presence change: nothing', anAgent('ada'), anAgent('ada', { presence: 'Away' }), []],
    ['a new person: nothing', undefined, anAgent('ada'), []],
  ] as const;
  for (const [what, before, after, steps] of cases)
    it(what, () => {
      const entries = agentChangeSteps(before, after, LATER);
      assert.deepEqual(
        entries.map((e) => e.step.kind),
        steps,
      );
      for (const entry of entries) assert.equal(entry.taskId, t);
    });
});
