import { strict as assert } from 'node:assert';
import { aMembership, anAgent, aService, aTask, aTenant, NOW } from '../../../test/builders.js';
import type { ServiceId } from '../ids.js';
import { asServiceId, asTaskId, asUserId } from '../ids.js';
import { instantOf } from '../instant.js';
import type { Service } from '../service.js';
import type { AgentState } from './agent-state.js';
import { planDispatch, type RoutingSnapshot } from './plan-dispatch.js';
import type { Task } from './task.js';
import { withPools } from '../../../test/with-pools.js';
import type { License } from '../license.js';

/** Each test below runs twice: weighing every member, and with the routing index's service pools. */
let pooled = false;

function snapshot(over: {
  services?: Service[];
  members?: Record<string, string[]>;
  agents?: AgentState[];
  queued?: Task[];
  skills?: Record<string, Record<string, number>>;
  licenses?: Record<string, License[]>;
}): RoutingSnapshot {
  const services = over.services ?? [aService('hotline')];
  const members = over.members ?? { hotline: ['ann', 'bob', 'cat'] };
  const made: RoutingSnapshot = {
    tenant: aTenant(),
    services: new Map(services.map((s) => [s.id, s])),
    members: new Map(
      Object.entries(members).map(([s, users]) => [
        asServiceId(s),
        users.map((u) => aMembership(s, u)),
      ]),
    ),
    agents: new Map(
      (
        over.agents ?? [
          anAgent('ann', { lastTaskEndedAt: instantOf(NOW - 100) }),
          anAgent('bob', { lastTaskEndedAt: instantOf(NOW - 300) }),
          anAgent('cat', { lastTaskEndedAt: instantOf(NOW - 200) }),
        ]
      ).map((a) => [a.userId, a]),
    ),
    skills: new Map(Object.entries(over.skills ?? {}).map(([u, s]) => [asUserId(u), s])),
    licenses: new Map(Object.entries(over.licenses ?? {}).map(([u, l]) => [asUserId(u), l])),
    queued: over.queued ?? [aTask('t1')],
    roundRobin: new Map<ServiceId, never>(),
  };
  return pooled ? withPools(made) : made;
}
const offered = (offers: ReturnType<typeof planDispatch>) =>
  offers.map((o) => [o.task.id, o.task.offeredTo.join('+')]);

for (const withIndex of [false, true])
  describe(`planDispatch (${withIndex ? 'the service pools of the routing index' : 'weighing every member'})`, () => {
    before(() => (pooled = withIndex));
    after(() => (pooled = false));

    it('round robin: offers the task to the longest idle available member, with a calling timeout', () => {
      const offers = planDispatch(snapshot({}), NOW);
      assert.deepEqual(offered(offers), [['t1', 'bob']]);
      const [first] = offers;
      assert.equal(first?.task.state, 'Offered');
      assert.equal(first?.task.offerExpiresAt, NOW + 30_000);
      assert.deepEqual(
        first?.agents.map((a) => a.engagement?.kind),
        ['offered'],
      );
    });

    it('never offers two tasks to one person in one iteration', () => {
      const offers = planDispatch(
        snapshot({
          queued: [
            aTask('t1'),
            aTask('t2', { enqueuedAt: instantOf(NOW + 1) }),
            aTask('t3', { enqueuedAt: instantOf(NOW + 2) }),
            aTask('t4', { enqueuedAt: instantOf(NOW + 3) }),
          ],
        }),
        NOW,
      );
      assert.deepEqual(offered(offers), [
        ['t1', 'bob'],
        ['t2', 'cat'],
        ['t3', 'ann'],
      ]);
    });

    it('broadcast offers one task to all (up to ten) available members at once', () => {
      const task = aTask('t1', { routing: { ...aTask('x').routing, type: 'Broadcast' } });
      assert.deepEqual(offered(planDispatch(snapshot({ queued: [task] }), NOW)), [
        ['t1', 'bob+cat+ann'],
      ]);
    });

    it('skips people busy in another service and records who was skipped and why', () => {
      const busy = anAgent('bob', {
        engagement: { kind: 'accepted', taskId: asTaskId('x'), serviceId: asServiceId('sales') },
      });
      const offers = planDispatch(
        snapshot({ agents: [anAgent('ann'), busy, anAgent('cat', { presence: 'DoNotDisturb' })] }),
        NOW,
      );
      assert.deepEqual(offered(offers), [['t1', 'ann']]);
      const decision = offers[0]?.task.decisions.at(-1);
      assert.deepEqual(decision?.skipped, [
        { userId: 'bob', reasons: ['busyElsewhere'] },
        { userId: 'cat', reasons: ['presence'] },
      ]);
    });

    it('names at most 50 skipped people in a decision, the first by member, then those who declined', () => {
      const away = Array.from({ length: 60 }, (_, i) => `p${String(i).padStart(2, '0')}`);
      const many = planDispatch(
        snapshot({
          members: { hotline: [...away, 'ann', 'bob'] },
          agents: [
            ...away.map((id) => anAgent(id, { presence: 'Offline' })),
            anAgent('ann'),
            anAgent('bob'),
          ],
          queued: [aTask('t1', { passedBy: [asUserId('ann')] })],
        }),
        NOW,
      );
      assert.deepEqual(offered(many), [['t1', 'bob']]);
      assert.deepEqual(
        many[0]?.task.decisions.at(-1)?.skipped.map((s) => s.userId),
        away.slice(0, 50),
      );
      const few = planDispatch(
        snapshot({
          members: { hotline: ['p00', 'ann', 'bob'] },
          agents: [anAgent('p00', { presence: 'Offline' }), anAgent('ann'), anAgent('bob')],
          queued: [aTask('t1', { passedBy: [asUserId('ann')] })],
        }),
        NOW,
      );
      assert.deepEqual(few[0]?.task.decisions.at(-1)?.skipped, [
        { userId: 'p00', reasons: ['presence'] },
        { userId: 'ann', reasons: ['declined'] },
      ]);
    });

    it('offers nothing when nobody is available (the task waits)', () => {
      assert.deepEqual(
        planDispatch(snapshot({ agents: [anAgent('ann', { presence: 'Offline' })] }), NOW),
        [],
      );
    });

    it('across services, a shared person gets the higher priority task first, then the longest waiting', () => {
      const services = [aService('low', {}, {}), aService('high')];
      const members = { low: ['ann'], high: ['ann'] };
      const queued = [
        aTask('old-normal', { serviceId: asServiceId('low'), enqueuedAt: instantOf(NOW - 9000) }),
        aTask('new-high', {
          serviceId: asServiceId('high'),
          priority: 'High',
          enqueuedAt: instantOf(NOW),
        }),
      ];
      assert.deepEqual(
        offered(
          planDispatch(snapshot({ services, members, agents: [anAgent('ann')], queued }), NOW),
        ),
        [['new-high', 'ann']],
      );
      const same = [
        aTask('newer', { serviceId: asServiceId('high'), enqueuedAt: instantOf(NOW) }),
        aTask('older', { serviceId: asServiceId('low'), enqueuedAt: instantOf(NOW - 1) }),
      ];
      assert.deepEqual(
        offered(
          planDispatch(
            snapshot({ services, members, agents: [anAgent('ann')], queued: same }),
            NOW,
          ),
        ),
        [['older', 'ann']],
      );
    });

    it('passes over people who declined the task until everyone available had it', () => {
      const declinedByBob = aTask('t1', { passedBy: [asUserId('bob')] });
      assert.deepEqual(offered(planDispatch(snapshot({ queued: [declinedByBob] }), NOW)), [
        ['t1', 'cat'],
      ]);
      const everyone = aTask('t1', { passedBy: ['ann', 'bob', 'cat'].map(asUserId) });
      const offers = planDispatch(snapshot({ queued: [everyone] }), NOW);
      assert.deepEqual(offered(offers), [['t1', 'bob']]);
      assert.deepEqual(offers[0]?.task.passedBy, [], 'a new round');
    });

    it('skill-based services offer only to people the policy qualifies', () => {
      const vip = aService(
        'vip',
        { assignmentType: 'SkillBased', license: 'ContactCenter' },
        { distribution: { policy: { requiredSkills: { de: 50 }, order: 'LongestIdle' } } },
      );
      const offers = planDispatch(
        snapshot({
          services: [vip],
          members: { vip: ['ann', 'bob'] },
          skills: { ann: { de: 70 }, bob: { de: 20 } },
          queued: [aTask('t1', { serviceId: asServiceId('vip') })],
        }),
        NOW,
      );
      assert.deepEqual(offered(offers), [['t1', 'ann']]);
      assert.deepEqual(offers[0]?.task.decisions.at(-1)?.skipped, [
        { userId: 'bob', reasons: ['skills'] },
      ]);
    });

    it('keeps to the queue order within a service (Strict first)', () => {
      const queued = [
        aTask('normal', { enqueuedAt: instantOf(NOW - 50) }),
        aTask('strict', { priority: 'Strict', enqueuedAt: instantOf(NOW) }),
      ];
      assert.deepEqual(
        offered(
          planDispatch(
            snapshot({ agents: [anAgent('ann')], members: { hotline: ['ann'] }, queued }),
            NOW,
          ),
        ),
        [['strict', 'ann']],
      );
    });

    it('is a pure function of its inputs: the same snapshot and time give the same plan', () => {
      const s = snapshot({ queued: [aTask('t1'), aTask('t2')] });
      assert.deepEqual(planDispatch(s, NOW), planDispatch(s, NOW));
    });

    it('offers a chat, an e-mail or an external task only to people holding its license; calls need none', () => {
      const queued = [
        aTask('chat', { modality: 'Im', enqueuedAt: instantOf(NOW - 40) }),
        aTask('mail', { modality: 'Email', enqueuedAt: instantOf(NOW - 30) }),
        aTask('ext', { modality: 'ExternalTask', enqueuedAt: instantOf(NOW - 20) }),
        aTask('call', { modality: 'Call', enqueuedAt: instantOf(NOW - 10) }),
      ];
      // bob idles longest, then cat, then ann.
      const offers = planDispatch(
        snapshot({ queued, licenses: { ann: ['Email'], cat: ['ExternalTask', 'Interact'] } }),
        NOW,
      );
      assert.deepEqual(offered(offers), [
        ['mail', 'ann'],
        ['ext', 'cat'],
        ['call', 'bob'],
      ]);
      const mail = offers.find((o) => o.task.id === 'mail')?.task.decisions.at(-1);
      assert.deepEqual(mail?.skipped, [
        { userId: 'bob', reasons: ['license'] },
        { userId: 'cat', reasons: ['license'] },
      ]);
    });

    it('lets the tasks behind one nobody may take go first, in queue order among themselves', () => {
      const queued = [
        aTask('mail', { modality: 'Email', enqueuedAt: instantOf(NOW - 50) }),
        aTask('chat1', { modality: 'Im', enqueuedAt: instantOf(NOW - 40) }),
        aTask('call1', { modality: 'Call', enqueuedAt: instantOf(NOW - 30) }),
        aTask('chat2', { modality: 'Im', enqueuedAt: instantOf(NOW - 20) }),
      ];
      const offers = planDispatch(
        snapshot({ queued, licenses: { bob: ['InstantMessaging'], cat: ['InstantMessaging'] } }),
        NOW,
      );
      // Nobody holds Email: the first chat and the call go in their order, and the e-mail
      // waits; ann, free but without Instant Messaging, is not offered the second chat.
      assert.deepEqual(offered(offers), [
        ['chat1', 'bob'],
        ['call1', 'cat'],
      ]);
    });

    it('serves a higher level first only where someone may take its task', () => {
      const queued = [
        aTask('vip-mail', {
          modality: 'Email',
          priority: 'Strict',
          enqueuedAt: instantOf(NOW - 50),
        }),
        aTask('call', { modality: 'Call', priority: 'Normal', enqueuedAt: instantOf(NOW - 10) }),
      ];
      const without = planDispatch(snapshot({ queued }), NOW);
      assert.deepEqual(offered(without), [['call', 'bob']]);
      const licensed = planDispatch(snapshot({ queued, licenses: { cat: ['Email'] } }), NOW);
      assert.deepEqual(offered(licensed), [
        ['vip-mail', 'cat'],
        ['call', 'bob'],
      ]);
    });

    describe('chats at once', () => {
      const IM: License[] = ['InstantMessaging'];
      const licensed = { ann: IM, bob: IM, cat: IM };
      const chatsOf = (...serviceIds: string[]) =>
        serviceIds.map((serviceId, i) => ({
          taskId: asTaskId(`held-${i}`),
          serviceId: asServiceId(serviceId),
        }));
      const allowing = (n: number, id = 'hotline') =>
        aService(id, {}, { distribution: { chatsAtOnce: n } });
      const lastOf = (offers: ReturnType<typeof planDispatch>, id: string) =>
        offers.find((o) => o.task.id === id)?.task.decisions.at(-1)?.skipped ?? [];

      it('offers someone holding chats a further chat up to the service’s number, and nothing else', () => {
        const agents = [
          anAgent('ann', { chats: chatsOf('hotline'), lastTaskEndedAt: instantOf(NOW - 900) }),
        ];
        const queued = [
          aTask('call', { modality: 'Call', enqueuedAt: instantOf(NOW - 50) }),
          aTask('chat', { modality: 'Im', enqueuedAt: instantOf(NOW - 40) }),
        ];
        const members = { hotline: ['ann'] };
        const two = planDispatch(
          snapshot({ services: [allowing(2)], members, agents, queued, licenses: licensed }),
          NOW,
        );
        assert.deepEqual(offered(two), [['chat', 'ann']]);
        // At one (the default), a chat held keeps her from everything, as any task does.
        const one = planDispatch(
          snapshot({ services: [allowing(1)], members, agents, queued, licenses: licensed }),
          NOW,
        );
        assert.deepEqual(offered(one), []);
      });

      it('says "chats" for someone holding as many as the service allows, counting every service’s chats', () => {
        const agents = [
          anAgent('ann', { chats: chatsOf('sales', 'hotline') }),
          anAgent('bob', { lastTaskEndedAt: instantOf(NOW - 10) }),
        ];
        const offers = planDispatch(
          snapshot({
            services: [allowing(2), allowing(3, 'sales')],
            members: { hotline: ['ann', 'bob'], sales: ['ann'] },
            agents,
            queued: [aTask('chat', { modality: 'Im' })],
            licenses: licensed,
          }),
          NOW,
        );
        assert.deepEqual(offered(offers), [['chat', 'bob']]);
        assert.deepEqual(lastOf(offers, 'chat'), [{ userId: 'ann', reasons: ['chats'] }]);
      });

      it('gives a chat to whoever holds fewest, before the longest idle', () => {
        const agents = [
          anAgent('ann', { chats: chatsOf('hotline'), lastTaskEndedAt: instantOf(NOW - 900) }),
          anAgent('bob', { chats: chatsOf('hotline', 'hotline') }),
          anAgent('cat', { lastTaskEndedAt: instantOf(NOW - 10) }),
        ];
        const queued = [aTask('chat', { modality: 'Im' })];
        const services = [allowing(3)];
        const offers = planDispatch(
          snapshot({ services, agents, queued, licenses: licensed }),
          NOW,
        );
        assert.deepEqual(offered(offers), [['chat', 'cat']]);
        const busier = planDispatch(
          snapshot({
            services,
            agents: agents.slice(0, 2),
            members: { hotline: ['ann', 'bob'] },
            queued,
            licenses: licensed,
          }),
          NOW,
        );
        assert.deepEqual(offered(busier), [['chat', 'ann']]);
      });

      it('rings nobody twice: someone a chat rings for gets no second one until they answer', () => {
        const agents = [
          anAgent('ann', {
            chats: chatsOf('hotline'),
            engagement: {
              kind: 'offered',
              taskId: asTaskId('ringing'),
              serviceId: asServiceId('hotline'),
            },
          }),
        ];
        const offers = planDispatch(
          snapshot({
            services: [allowing(3)],
            members: { hotline: ['ann'] },
            agents,
            queued: [aTask('c1', { modality: 'Im' }), aTask('c2', { modality: 'Im' })],
            licenses: licensed,
          }),
          NOW,
        );
        assert.deepEqual(offered(offers), []);
        assert.deepEqual(
          planDispatch(
            snapshot({
              services: [allowing(3)],
              members: { hotline: ['ann'] },
              agents: [anAgent('ann', { chats: chatsOf('hotline') })],
              queued: [aTask('c1', { modality: 'Im' }), aTask('c2', { modality: 'Im' })],
              licenses: licensed,
            }),
            NOW,
          ).map((o) => o.task.id),
          ['c1'],
          'one invitation per run',
        );
      });
    });

    it('treats people without a routing state yet as offline', () => {
      const offers = planDispatch(
        snapshot({ agents: [], members: { hotline: ['newcomer'] } }),
        NOW,
      );
      assert.deepEqual(offers, []);
    });
  });

describe('planDispatch and the queue view agree', () => {
  it('offers a single service queue in exactly its serving order', async () => {
    const fc = (await import('fast-check')).default;
    const { servingOrder } = await import('./queue-order.js');
    const { TASK_PRIORITIES: priorities } = await import('../service-settings.js');
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...priorities), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 12 }),
        (levels, people) => {
          const queued = levels.map((priority, i) =>
            aTask(`t${String(i).padStart(3, '0')}`, { priority, enqueuedAt: instantOf(NOW + i) }),
          );
          const users = Array.from({ length: people }, (_, i) => `u${String(i).padStart(2, '0')}`);
          const offers = planDispatch(
            snapshot({ queued, members: { hotline: users }, agents: users.map((u) => anAgent(u)) }),
            NOW,
          );
          const expected = servingOrder(queued, {})
            .slice(0, people)
            .map((t) => t.id);
          assert.deepEqual(
            offers.map((o) => o.task.id),
            expected,
          );
        },
      ),
    );
  });
});
