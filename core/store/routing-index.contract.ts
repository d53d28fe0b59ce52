// The routing index kept up row by row equals one built from the rows as stored: run against
// Azurite (routing-index.int.test.ts) and the in-memory tables (routing-index.test.ts).
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { aMembership, anAgent, aService, aTask, aUser, NOW, T } from '../../test/builders.js';
import { uniquePrefix, type TestAccount } from '../../test/table-accounts.js';
import {
  asServiceId,
  asTaskId,
  asUserId,
  type ServiceId,
  type TaskId,
  type UserId,
} from '../domain/ids.js';
import { instantOf, type Instant } from '../domain/instant.js';
import type { AgentState } from '../domain/routing/agent-state.js';
import { PRESENCES, type Presence } from '../domain/routing/presence.js';
import { waitingOf, type WaitingTasks } from '../domain/routing/plan-dispatch.js';
import type { Task } from '../domain/routing/task.js';
import { byLevel as byLevelOf } from '../domain/routing/queue-order.js';
import { MODALITIES } from '../domain/routing/task.js';
import { ConflictError } from './conflict-error.js';
import { agentKey, openTaskKey } from './routing-rows.js';
import type { RoutingRows } from './routing-index.js';
import { poolsOver, type ServicePools } from './service-pools.js';
import { createStores, type Stores } from './stores.js';
import { requestKind } from './table-storage.js';
import type { WriteOp } from './table-transaction.js';

const SERVICES = ['hotline', 'sales'].map(asServiceId);
const LEVELS = ['Strict', 'High', 'Normal', 'NothingElse'] as const;
const PEOPLE = ['ann', 'bob', 'cat'];

/** One change a step may make to a tenant's routing rows. */
type Change =
  | {
      kind: 'enqueue';
      id: number;
      service: number;
      level: number;
      modality: number;
      at: number;
    }
  | { kind: 'offer'; id: number; person: number; expires: number }
  | { kind: 'requeue'; id: number }
  | { kind: 'accept'; id: number }
  | { kind: 'end'; id: number }
  | { kind: 'agent'; person: number; acw: number | null; rona: number | null }
  | { kind: 'forget'; person: number };

const id = fc.integer({ min: 0, max: 5 }); // few ids: changes meet the same task often
const at = fc.integer({ min: 0, max: 5 }); // equal times: the id decides FIFO
const change: fc.Arbitrary<Change> = fc.oneof(
  fc.record({
    kind: fc.constant('enqueue' as const),
    id,
    service: fc.integer({ min: 0, max: SERVICES.length - 1 }),
    level: fc.integer({ min: 0, max: LEVELS.length - 1 }),
    modality: fc.integer({ min: 0, max: MODALITIES.length - 1 }),
    at,
  }),
  fc.record({
    kind: fc.constant('offer' as const),
    id,
    person: fc.integer({ min: 0, max: PEOPLE.length - 1 }),
    expires: at,
  }),
  fc.record({ kind: fc.constant('requeue' as const), id }),
  fc.record({ kind: fc.constant('accept' as const), id }),
  fc.record({ kind: fc.constant('end' as const), id }),
  fc.record({
    kind: fc.constant('agent' as const),
    person: fc.integer({ min: 0, max: PEOPLE.length - 1 }),
    acw: fc.option(at),
    rona: fc.option(at),
  }),
  fc.record({
    kind: fc.constant('forget' as const),
    person: fc.integer({ min: 0, max: PEOPLE.length - 1 }),
  }),
);

const taskId = (n: number) => asTaskId(`t${n}`);
const person = (n: number) => asUserId(PEOPLE[n] ?? 'ann');
const time = (n: number) => instantOf(NOW + n * 1000);

/** The writes a change makes, given the rows as the index has them (none if it makes no sense now). */
function writesOf(stores: Stores, index: RoutingRows, c: Change): WriteOp[] {
  const { openTasks, agents } = stores.routing;
  const row = 'id' in c ? index.task(taskId(c.id)) : undefined;
  const replace = (task: Task) => (row ? [openTasks.replaceOp(task, row.etag)] : []);
  switch (c.kind) {
    case 'enqueue':
      return row
        ? []
        : [
            openTasks.insertOp(
              aTask(`t${c.id}`, {
                serviceId: SERVICES[c.service] ?? SERVICES[0],
                priority: LEVELS[c.level] ?? 'Normal',
                modality: MODALITIES[c.modality] ?? 'Call',
                enqueuedAt: time(c.at),
              }),
            ),
          ];
    case 'offer':
      return row?.value.state === 'Queued'
        ? replace({
            ...row.value,
            state: 'Offered',
            offeredTo: [person(c.person)],
            offerExpiresAt: time(c.expires),
          })
        : [];
    case 'requeue':
      return row?.value.state === 'Offered'
        ? replace({ ...row.value, state: 'Queued', offeredTo: [], offerExpiresAt: null })
        : [];
    case 'accept':
      return row?.value.state === 'Offered'
        ? replace({ ...row.value, state: 'Accepted', offerExpiresAt: null })
        : [];
    case 'end':
      return row ? [openTasks.deleteOp(openTaskKey(T, row.value.id))] : [];
    case 'agent': {
      const before = index.agent(person(c.person));
      const agent: AgentState = anAgent(PEOPLE[c.person] ?? 'ann', {
        ronaUntil: c.rona === null ? null : time(c.rona),
        engagement:
          c.acw === null
            ? null
            : {
                kind: 'acw',
                taskId: asTaskId('done'),
                serviceId: SERVICES[0] ?? asServiceId('hotline'),
                until: time(c.acw),
                allowEarlyEnd: true,
                allowExtension: false,
                maxExtensionSec: 0,
              },
      });
      return [before ? agents.replaceOp(agent, before.etag) : agents.insertOp(agent)];
    }
    case 'forget':
      return index.agent(person(c.person)) ? [agents.deleteOp(agentKey(T, person(c.person)))] : [];
  }
}

/** A service's waiting task ids per level, levels in order (the order of their map is no rule). */
const byLevel = (index: RoutingRows, serviceId: ServiceId) =>
  [...index.levels(serviceId)]
    .map(([level, tasks]) => [level, [...tasks].map((t) => t.id)] as const)
    .sort(([a], [b]) => a.localeCompare(b));

/** A service's waiting task ids per level and lane, in order (the order of their maps is no rule). */
const byLane = (waiting: WaitingTasks, serviceId: ServiceId) =>
  [...waiting.lanes(serviceId)]
    .flatMap(([level, lanes]) =>
      [...lanes].map(([lane, tasks]) => [`${level}/${lane}`, [...tasks].map((t) => t.id)] as const),
    )
    .sort(([a], [b]) => a.localeCompare(b));

/** Everything the index answers, in a form two indexes compare by. */
function answers(index: RoutingRows) {
  const levels = SERVICES.map((s) => byLevel(index, s));
  const counts = SERVICES.flatMap((s) => MODALITIES.map((m) => index.openCount(s, m)));
  const open = [...index.openTasks()].map((r) => [r.value.id, r.etag, r.value.state]).sort();
  const agents = [...index.agents].map(([userId, r]) => [userId, r.etag]).sort();
  const due = (t: Instant) => {
    const d = index.due(t);
    return [d.tasks.map((r) => r.value.id).sort(), d.agents.map((r) => r.value.userId).sort()];
  };
  return {
    levels,
    counts,
    waiting: index.waiting,
    open,
    offered: index
      .offered()
      .map((t) => t.id)
      .sort(),
    agents,
    nextDue: index.nextDue(),
    due: [0, 2, 5].map((n) => due(time(n))),
  };
}

/** One change to a tenant's services, members and skills. */
type TenancyChange =
  | { kind: 'service'; service: number; name: string; skillBased: boolean; min: number | null }
  | { kind: 'dropService'; service: number }
  | { kind: 'member'; service: number; person: number; active: boolean }
  | { kind: 'leave'; service: number; person: number }
  | { kind: 'skills'; person: number; level: number };

const servicePick = fc.integer({ min: 0, max: SERVICES.length - 1 });
const personPick = fc.integer({ min: 0, max: PEOPLE.length - 1 });
const tenancyChange: fc.Arbitrary<TenancyChange> = fc.oneof(
  fc.record({
    kind: fc.constant('service' as const),
    service: servicePick,
    name: fc.string(),
    skillBased: fc.boolean(),
    min: fc.option(fc.integer({ min: 1, max: 50 })),
  }),
  fc.record({ kind: fc.constant('dropService' as const), service: servicePick }),
  fc.record({
    kind: fc.constant('member' as const),
    service: servicePick,
    person: personPick,
    active: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('leave' as const), service: servicePick, person: personPick }),
  fc.record({ kind: fc.constant('skills' as const), person: personPick, level: fc.nat(100) }),
);

/** The change as a write whatever is there (upsert), or a delete of what is there. */
async function writeTenancy(stores: Stores, c: TenancyChange): Promise<void> {
  const service = String(SERVICES[c.kind === 'skills' ? 0 : c.service]);
  const who = PEOPLE[c.kind === 'service' || c.kind === 'dropService' ? 0 : c.person] ?? 'ann';
  switch (c.kind) {
    case 'service': {
      const made = aService(service, {
        name: c.name,
        assignmentType: c.skillBased ? 'SkillBased' : 'TeamsBased',
      });
      const { distribution } = made.settings;
      const policy =
        c.min === null
          ? null
          : { requiredSkills: { english: c.min }, order: 'MostQualified' as const };
      await stores.services.upsert({
        ...made,
        settings: { ...made.settings, distribution: { ...distribution, policy } },
      });
      return;
    }
    case 'dropService': {
      const row = await stores.services.get(stores.services.keyOf(aService(service)));
      if (row) await stores.commit([stores.services.deleteOp(stores.services.keyOf(row.value))]);
      return;
    }
    case 'member':
      await stores.memberships.upsert(aMembership(service, who, { active: c.active }));
      return;
    case 'leave': {
      const key = stores.memberships.keyOf(aMembership(service, who));
      if (await stores.memberships.get(key))
        await stores.commit([stores.memberships.deleteOp(key)]);
      return;
    }
    case 'skills':
      await stores.users.upsert(aUser(who, { skills: { english: c.level } }));
  }
}

/** A person's routing state as a step may leave it (presence, engagement, RONA, idle time). */
interface PersonChange {
  kind: 'person';
  person: number;
  presence: Presence;
  engagement: 'offered' | 'accepted' | 'acw' | null;
  until: number;
  rona: number | null;
  ended: number | null;
}

const personChange: fc.Arbitrary<PersonChange> = fc.record({
  kind: fc.constant('person' as const),
  person: personPick,
  // Mostly free to take a task, so that members are often ready and sort by idle time.
  presence: fc.oneof(
    { arbitrary: fc.constant('Available' as const), weight: 3 },
    { arbitrary: fc.constantFrom(...PRESENCES), weight: 1 },
  ),
  engagement: fc.oneof(
    { arbitrary: fc.constant(null), weight: 3 },
    {
      arbitrary: fc.constantFrom('offered' as const, 'accepted' as const, 'acw' as const),
      weight: 1,
    },
  ),
  until: at,
  rona: fc.option(at, { freq: 4 }),
  ended: fc.option(at),
});

async function writePerson(stores: Stores, c: PersonChange): Promise<void> {
  const userId = person(c.person);
  const taskId = asTaskId('elsewhere');
  const serviceId = SERVICES[0] ?? asServiceId('hotline');
  await stores.routing.agents.upsert(
    anAgent(userId, {
      presence: c.presence,
      engagement:
        c.engagement === null
          ? null
          : c.engagement === 'acw'
            ? {
                kind: 'acw',
                taskId,
                serviceId,
                until: time(c.until),
                allowEarlyEnd: true,
                allowExtension: false,
                maxExtensionSec: 0,
              }
            : { kind: c.engagement, taskId, serviceId },
      ronaUntil: c.rona === null ? null : time(c.rona),
      lastTaskEndedAt: c.ended === null ? null : time(c.ended),
    }),
  );
}

/** Everything the pools answer, in a form two sets of pools compare by. */
function poolAnswers(pools: ServicePools) {
  return SERVICES.map((serviceId) => {
    const pool = pools.pool(serviceId);
    return (
      pool && {
        ready: [...pool.ready()].map((c) => [c.userId, c.idleSince, c.skills]),
        held: [...pool.held()],
        freed: [...pool.freedBy(time(5))],
        members: [...[...pool.ready()].map((c) => c.userId), ...[...pool.held()].map(([id]) => id)]
          .sort()
          .map((id) => pool.membership(id)),
      }
    );
  });
}

export function describeRoutingIndexContract(account: TestAccount, runs: number): void {
  describe(`the service pools (${account.name})`, () => {
    it('kept up by both indexes, they sort each service’s members as pools built from the rows as stored', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.oneof(tenancyChange, personChange), { minLength: 1, maxLength: 25 }),
          async (changes) => {
            const prefix = uniquePrefix();
            const live = createStores(account.storage(prefix, { maxStalenessMs: 60_000 }));
            const [routing, tenancy] = await Promise.all([
              live.routingIndex(T),
              live.tenancyIndex(T),
            ]);
            const pools = poolsOver(routing.people, tenancy);
            for (const c of changes)
              if (c.kind === 'person') await writePerson(live, c);
              else await writeTenancy(live, c);
            assert.equal(poolsOver(routing.people, tenancy), pools, 'the same pools, kept up');
            const stored = createStores(account.storage(prefix));
            const fresh = poolsOver(
              (await stored.routingIndex(T)).people,
              await stored.tenancyIndex(T),
            );
            assert.deepEqual(poolAnswers(pools), poolAnswers(fresh));
          },
        ),
        { numRuns: runs },
      );
    });
  });

  describe(`the tenancy index (${account.name})`, () => {
    it('kept up by each write, it gives the services, members and skills as stored, members by person', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(tenancyChange, { minLength: 1, maxLength: 20 }),
          async (changes) => {
            const prefix = uniquePrefix();
            const live = createStores(account.storage(prefix, { maxStalenessMs: 60_000 }));
            const index = await live.tenancyIndex(T);
            for (const c of changes) await writeTenancy(live, c);
            assert.equal(
              await live.tenancyIndex(T),
              index,
              'no rebuild for this instance’s writes',
            );
            const stored = createStores(account.storage(prefix));
            const [services, memberships, users] = await Promise.all([
              stored.services.list(T),
              stored.memberships.list(T),
              stored.users.list(T),
            ]);
            assert.deepEqual(
              [...index.services.values()].sort((a, b) => a.id.localeCompare(b.id)),
              services.map((r) => r.value),
            );
            assert.deepEqual(
              [...index.members]
                .sort(([a], [b]) => a.localeCompare(b))
                .flatMap(([, members]) => [...members]),
              memberships.map((r) => r.value),
              'every member, by service then person, as the rows sort',
            );
            assert.deepEqual(
              new Map(
                users
                  .filter((r) => Object.keys(r.value.skills).length)
                  .map((r) => [r.value.id, r.value.skills]),
              ),
              new Map(index.skills),
              'the skills of everyone with any',
            );
          },
        ),
        { numRuns: runs },
      );
    });
  });

  describe(`the routing index (${account.name})`, () => {
    it('kept up by each write, it answers as one built from the rows as stored, whatever the writes', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(change, { minLength: 1, maxLength: 30 }), async (changes) => {
          const prefix = uniquePrefix();
          const live = createStores(account.storage(prefix, { maxStalenessMs: 60_000 }));
          const index = await live.routingIndex(T);
          for (const c of changes) {
            const ops = writesOf(live, index, c);
            if (ops.length) await live.commit(ops);
          }
          // The same object, changed only by the commits above, against the rows read afresh.
          assert.equal(await live.routingIndex(T), index, 'no rebuild for this instance’s writes');
          const stored = await createStores(account.storage(prefix)).routingIndex(T);
          assert.deepEqual(answers(index), answers(stored));
          // FIFO per level and lane as the planner groups a plain list of the same tasks, and
          // the lanes merged into FIFO per level.
          const tasks = [...stored.openTasks()].map((r) => r.value);
          const grouped = waitingOf(tasks);
          for (const s of SERVICES) {
            assert.deepEqual(byLane(index, s), byLane(grouped, s));
            const fifo = [
              ...byLevelOf(tasks.filter((t) => t.serviceId === s && t.state === 'Queued')),
            ]
              .map(([level, inLevel]) => [level, inLevel.map((t) => t.id)] as const)
              .sort(([a], [b]) => a.localeCompare(b));
            assert.deepEqual(byLevel(index, s), fifo);
          }
        }),
        { numRuns: runs },
      );
    });

    it('kept up from another instance’s writes as deltas, it answers as one built afresh, never read whole again', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(change, fc.constantFrom('here', 'there', 'here unchecked')), {
            minLength: 1,
            maxLength: 30,
          }),
          async (changes) => {
            const prefix = uniquePrefix();
            let wholeReads = 0;
            const live = createStores(
              account.storage(prefix, {
                maxStalenessMs: 60_000,
                onRequest: (method, url) => {
                  if (requestKind(method, url) === 'rows') wholeReads++;
                },
              }),
            );
            const other = createStores(account.storage(prefix, { maxStalenessMs: 60_000 }));
            const index = await live.routingIndex(T);
            const loads = wholeReads;
            for (const [c, where] of changes) {
              const stores = where === 'there' ? other : live;
              // Each instance acts on what it holds: checked first, or (here unchecked) as it
              // last saw it, when its write may lose a race to the other's.
              if (where !== 'here unchecked') await stores.refreshRouting(T);
              const ops = writesOf(stores, await stores.routingIndex(T), c);
              if (ops.length)
                await stores.commit(ops).catch((error: unknown) => {
                  if (!(error instanceof ConflictError)) throw error;
                });
            }
            await live.refreshRouting(T);
            assert.equal(await live.routingIndex(T), index, 'the same index, kept up');
            assert.equal(wholeReads, loads, 'the partition was not read whole again');
            const stored = await createStores(account.storage(prefix)).routingIndex(T);
            assert.deepEqual(answers(index), answers(stored));
          },
        ),
        { numRuns: runs },
      );
    });

    it('names the rows whose timers fell due, each once, and the next due time', async () => {
      const stores = createStores(account.storage(uniquePrefix(), { maxStalenessMs: 60_000 }));
      const index = await stores.routingIndex(T);
      const { openTasks, agents } = stores.routing;
      await stores.commit([
        openTasks.insertOp(
          aTask('ringing', {
            state: 'Offered',
            offeredTo: [asUserId('ann')],
            offerExpiresAt: time(3),
          }),
        ),
        openTasks.insertOp(aTask('waiting')),
        agents.insertOp(anAgent('bob', { ronaUntil: time(2) })),
        // Both timers of one person fall due: named once.
        agents.insertOp(
          anAgent('cat', {
            ronaUntil: time(1),
            engagement: {
              kind: 'acw',
              taskId: asTaskId('done'),
              serviceId: asServiceId('hotline'),
              until: time(1),
              allowEarlyEnd: true,
              allowExtension: false,
              maxExtensionSec: 0,
            },
          }),
        ),
      ]);
      const named = (t: Instant) => {
        const due = index.due(t);
        return [...due.tasks.map((r) => r.value.id), ...due.agents.map((r) => r.value.userId)];
      };
      assert.equal(index.nextDue(), time(1));
      assert.deepEqual(named(time(0)), []);
      assert.deepEqual(named(time(1)), ['cat']);
      assert.deepEqual(named(time(3)).sort(), ['bob', 'cat', 'ringing']);
      const ringing = index.task('ringing' as TaskId);
      assert.ok(ringing);
      await stores.commit([
        openTasks.replaceOp(
          { ...ringing.value, state: 'Accepted', offerExpiresAt: null },
          ringing.etag,
        ),
      ]);
      assert.deepEqual(named(time(3)).sort(), ['bob', 'cat'], 'an answered offer has no timer');
      const cat = index.agent('cat' as UserId);
      assert.ok(cat);
      await stores.commit([agents.deleteOp(agentKey(T, cat.value.userId))]);
      assert.equal(index.nextDue(), time(2));
    });
  });
}
