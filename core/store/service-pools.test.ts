import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { aMembership, anAcw, anAgent, aService, aTask, aTenant, NOW } from '../../test/builders.js';
import { asServiceId, asTaskId, asUserId, type ServiceId, type UserId } from '../domain/ids.js';
import { instantOf } from '../domain/instant.js';
import type { AgentState, Engagement } from '../domain/routing/agent-state.js';
import { planDispatch, type RoutingSnapshot } from '../domain/routing/plan-dispatch.js';
import { PRESENCES } from '../domain/routing/presence.js';
import { TASK_PRIORITIES as PRIORITIES } from '../domain/service-settings.js';
import { MODALITIES, type Task } from '../domain/routing/task.js';
import { MODALITY_LICENSES } from '../domain/license.js';
import type { Service } from '../domain/service.js';
import { withPools } from '../../test/with-pools.js';

const PEOPLE = Array.from({ length: 14 }, (_, i) => `p${String(i).padStart(2, '0')}`);
const SERVICES = ['hotline', 'sales', 'vip'];
/** Times a few seconds either side of now: clocks run out before, at and after it. */
const around = fc.integer({ min: -3, max: 3 }).map((s) => instantOf(NOW + s * 1000));

const serviceArb = (id: string): fc.Arbitrary<Service> =>
  fc
    .record({
      skillBased: fc.boolean(),
      busy: fc.boolean(),
      away: fc.boolean(),
      chatsAtOnce: fc.integer({ min: 1, max: 3 }),
      policy: fc.option(
        fc.record({
          min: fc.integer({ min: 0, max: 3 }),
          order: fc.constantFrom('LongestIdle' as const, 'MostQualified' as const),
        }),
      ),
    })
    .map((s) => {
      const base = aService(id, { assignmentType: s.skillBased ? 'SkillBased' : 'TeamsBased' });
      const { distribution } = base.settings;
      return {
        ...base,
        settings: {
          ...base.settings,
          distribution: {
            ...distribution,
            presence: { ...distribution.presence, busy: s.busy, away: s.away },
            chatsAtOnce: s.chatsAtOnce,
            policy: s.policy && { requiredSkills: { en: s.policy.min }, order: s.policy.order },
          },
        },
      };
    });

const engagementArb: fc.Arbitrary<Engagement | null> = fc.oneof(
  fc.constant(null),
  fc.constantFrom('offered' as const, 'accepted' as const).map((kind) => ({
    kind,
    taskId: asTaskId('elsewhere'),
    serviceId: asServiceId('sales'),
  })),
  around.map((until) => anAcw(until)),
);

const agentArb = (userId: string): fc.Arbitrary<AgentState | null> =>
  fc.option(
    fc
      .record({
        presence: fc.constantFrom(...PRESENCES),
        engagement: engagementArb,
        rona: fc.option(around),
        // Chats held in either service (chats at once): the fewer, the sooner chosen.
        chats: fc.array(fc.constantFrom('hotline', 'sales'), { maxLength: 3 }),
        // Few distinct idle times: ties are decided by id.
        ended: fc.option(fc.integer({ min: 0, max: 3 })),
      })
      .map((a) =>
        anAgent(userId, {
          presence: a.presence,
          engagement: a.engagement,
          chats: a.chats.map((serviceId, i) => ({
            taskId: asTaskId(`chat-${userId}-${i}`),
            serviceId: asServiceId(serviceId),
          })),
          ronaUntil: a.rona,
          lastTaskEndedAt: a.ended === null ? null : instantOf(NOW - 10_000 * a.ended),
        }),
      ),
    { freq: 5 },
  );

const snapshotArb: fc.Arbitrary<{ snapshot: RoutingSnapshot; now: number }> = fc
  .record({
    services: fc.tuple(...SERVICES.map(serviceArb)),
    members: fc.tuple(
      ...SERVICES.map(() =>
        fc
          .subarray(PEOPLE)
          .chain((ids) =>
            fc.tuple(...ids.map((id) => fc.record({ id: fc.constant(id), active: fc.boolean() }))),
          ),
      ),
    ),
    agents: fc.tuple(...PEOPLE.map(agentArb)),
    skills: fc.tuple(...PEOPLE.map(() => fc.option(fc.integer({ min: 0, max: 4 })))),
    licenses: fc.tuple(
      ...PEOPLE.map(() => fc.subarray([...MODALITY_LICENSES, 'Interact' as const])),
    ),
    tasks: fc.array(
      fc.record({
        modality: fc.constantFrom(...MODALITIES),
        service: fc.integer({ min: 0, max: SERVICES.length - 1 }),
        level: fc.constantFrom(...PRIORITIES),
        at: fc.integer({ min: 0, max: 5 }),
        broadcast: fc.boolean(),
        passedBy: fc.subarray(PEOPLE),
      }),
      { maxLength: 12 },
    ),
    suspended: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
    now: fc.integer({ min: -4, max: 4 }),
  })
  .map((r) => {
    const services = r.services;
    const queued: Task[] = r.tasks.map((t, i) => {
      const serviceId = asServiceId(SERVICES[t.service] ?? 'hotline');
      const task = aTask(`t${i}`, {
        serviceId,
        priority: t.level,
        enqueuedAt: instantOf(NOW - 60_000 + t.at),
        passedBy: t.passedBy.map(asUserId),
        modality: t.modality,
      });
      return {
        ...task,
        routing: { ...task.routing, type: t.broadcast ? 'Broadcast' : 'RoundRobin' },
      };
    });
    const agents = new Map<UserId, AgentState>();
    for (const agent of r.agents) if (agent) agents.set(agent.userId, agent);
    const snapshot: RoutingSnapshot = {
      tenant: aTenant(r.suspended ? { state: 'Suspended' } : {}),
      services: new Map(services.map((s) => [s.id, s])),
      members: new Map(
        services.map((s, i) => [
          s.id,
          (r.members[i] ?? []).map((m) => aMembership(s.id, m.id, { active: m.active })),
        ]),
      ),
      agents,
      skills: new Map(
        r.skills.flatMap((en, i) =>
          en === null ? [] : [[asUserId(PEOPLE[i] ?? ''), { en }] as const],
        ),
      ),
      licenses: new Map(
        r.licenses.flatMap((held, i) =>
          held.length ? [[asUserId(PEOPLE[i] ?? ''), held] as const] : [],
        ),
      ),
      queued,
      roundRobin: new Map<ServiceId, never>(),
    };
    return { snapshot, now: NOW + r.now * 1000 };
  });

describe('the service pools', () => {
  it('give the planner the same offers and decision records as weighing every member, licenses, lanes and chats held included', () => {
    fc.assert(
      fc.property(snapshotArb, ({ snapshot, now }) => {
        const at = instantOf(now);
        assert.deepEqual(planDispatch(withPools(snapshot), at), planDispatch(snapshot, at));
      }),
      { numRuns: 2000 },
    );
  });

  it('name at most 50 skipped people, held ones by person first, as weighing everyone does', () => {
    const people = Array.from({ length: 120 }, (_, i) => `m${String(i).padStart(3, '0')}`);
    const agents = new Map(
      people.map((id, i) => {
        const presence = i % 3 === 0 ? ('Available' as const) : ('Offline' as const);
        return [asUserId(id), anAgent(id, { presence })] as const;
      }),
    );
    const snapshot: RoutingSnapshot = {
      tenant: aTenant(),
      services: new Map([[asServiceId('hotline'), aService('hotline')]]),
      members: new Map([[asServiceId('hotline'), people.map((id) => aMembership('hotline', id))]]),
      agents,
      skills: new Map(),
      queued: [aTask('t1', { passedBy: [asUserId('m000'), asUserId('m003')] })],
      roundRobin: new Map(),
    };
    const pooled = planDispatch(withPools(snapshot), NOW);
    assert.deepEqual(pooled, planDispatch(snapshot, NOW));
    const skipped = pooled[0]?.task.decisions.at(-1)?.skipped ?? [];
    assert.equal(skipped.length, 50);
    assert.deepEqual(skipped[0], { userId: 'm001', reasons: ['presence'] });
  });
});
