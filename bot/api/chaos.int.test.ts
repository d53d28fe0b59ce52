import { HOLD_REPAIR_AFTER_MS } from '../../core/app/routing/hold-repair.js';
import { strict as assert } from 'node:assert';
import { DEMO } from '../../core/app/demo-tenant.js';
import { foldTallies } from '../../core/app/reporting/tally-folder.js';
import { foldStates } from '../../core/app/reporting/state-folder.js';
import { timeWithin } from '../../core/domain/reporting/time-in-state.js';
import { asServiceId, asTaskId, asTenantId, asUserId } from '../../core/domain/ids.js';
import { addTallies, historyTallies, NO_TALLY } from '../../core/domain/reporting/tally.js';
import { azuriteConnectionString } from '../../core/store/embedded-azurite.js';
import { agentKey, doneTaskKey } from '../../core/store/routing-rows.js';
import { createStores } from '../../core/store/stores.js';
import { TableStorage } from '../../core/store/table-storage.js';
import { PEOPLE } from '../../test/demo-people.js';
import { startExternalAzurite, startServerProcess, type Spawned } from '../../test/processes.js';
import { until } from '../../test/until.js';

const T = DEMO.tenant.id;
const { ALEX, MEGAN, ADELE, ISAIAH } = PEOPLE;
const HELPDESK = 'svc-it-helpdesk'; // Megan, Adele and Isaiah, all Available
const AGENTS = [MEGAN, ADELE, ISAIAH];
const TASKS = 45;
/** After this many tasks were created, one instance is killed with SIGKILL and started again. */
const KILL_AFTER = 15;

type Instance = Spawned & { url: string };

/**
 * Three app instances on one external Azurite, people accepting on one instance and
 * completing on another, and one instance killed with `kill -9` in the middle of it and
 * started again. Clients act as behind a load balancer: a call to the dead instance goes
 * to another, and a task is created with an external id so a retry cannot make two.
 */
for (const shards of [1, 4])
  describe(`chaos: three instances, one killed with kill -9 mid-load${shards > 1 ? `, the tenant on ${shards} routing shards` : ''}`, function () {
    // About 10 s: four app processes start (one of them after the kill) and 45 tasks go
    // through their whole lives across them.
    this.timeout(240_000);
    let azurite: Spawned | undefined;
    const instances: (Instance | undefined)[] = [undefined, undefined, undefined];
    const tokens = new Map<string, string>();
    let connectionString = '';

    async function start(i: number, seed: 'demo' | 'none') {
      instances[i] = await startServerProcess({
        TABLES_CONNECTION_STRING: connectionString,
        SEED: seed,
        DEMO_ROUTING_SHARDS: String(shards),
        LOG_LEVEL: 'error',
      });
      for (const key of [...tokens.keys()]) if (key.startsWith(`${i}:`)) tokens.delete(key);
    }

    /**
     * One request, as a well-behaved client makes it: told to slow down (429: each instance
     * limits each person's requests), it waits the Retry-After given and asks again.
     */
    async function politely(url: string, init: RequestInit): Promise<Response> {
      for (let waits = 0; ; waits++) {
        const response = await fetch(url, init);
        if (response.status !== 429 || waits === 30) return response;
        const seconds = Number(response.headers.get('retry-after'));
        assert.ok(seconds >= 1, `429 without a Retry-After: ${await response.text()}`);
        await response.body?.cancel();
        await new Promise((r) => setTimeout(r, seconds * 1000)); // the wait the server asked for
      }
    }

    /** Calls instance i, or the next live one when it is down (as a load balancer would). */
    async function call(i: number, who: string, method: string, path: string, body?: unknown) {
      let tried = 0;
      for (let attempt = 0; attempt < 30; attempt++) {
        const n = (i + attempt) % instances.length;
        const instance = instances[n];
        if (!instance) continue;
        try {
          const key = `${n}:${who}`;
          let token = tokens.get(key);
          if (!token) {
            const minted = await fetch(`${instance.url}/api/v1/dev/token`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(
                who === 'system' ? { system: true } : { tenantId: T, userId: who },
              ),
            });
            token = ((await minted.json()) as { token: string }).token;
            tokens.set(key, token);
          }
          const response = await politely(`${instance.url}/api/v1${path}`, {
            method,
            headers: {
              authorization: `Bearer ${token}`,
              ...(body !== undefined && { 'content-type': 'application/json' }),
            },
            ...(body !== undefined && { body: JSON.stringify(body) }),
          });
          const text = await response.text();
          return {
            status: response.status,
            body: text ? JSON.parse(text) : undefined,
            // Sent again after an instance died under it: the first try may have taken effect.
            failedOver: tried > 0,
          };
        } catch (error) {
          // That instance is down or going down (fetch fails, or its answer is cut off, with
          // a TypeError): the next one answers. Anything else is the test's to see.
          if (!(error instanceof TypeError)) throw error;
          tried++;
        }
      }
      throw new Error(`no instance answered ${method} ${path}`);
    }

    before(async () => {
      const external = await startExternalAzurite();
      azurite = external;
      const { port } = external;
      connectionString = azuriteConnectionString(`http://127.0.0.1:${port}`);
      await start(0, 'demo');
      await Promise.all([start(1, 'none'), start(2, 'none')]);
      const short = await call(0, ALEX, 'PATCH', `/tenants/${T}/services/${HELPDESK}/settings`, {
        // Half the tasks are chats, which a person may hold two of (chats at once).
        distribution: { callingTimeoutSec: 10, chatsAtOnce: 2 },
      });
      assert.equal(short.status, 200, JSON.stringify(short.body));
      const persist = await call(0, ALEX, 'PATCH', `/tenants/${T}/settings`, {
        dataPrivacy: { persistUserStates: true },
      });
      assert.equal(persist.status, 200, JSON.stringify(persist.body));
      // Every instance keeps people's states from here on: each has seen the setting.
      for (const i of [0, 1, 2])
        await until(`instance ${i} persists user states`, async () => {
          const settings = await call(i, ALEX, 'GET', `/tenants/${T}/settings`);
          return settings.body.dataPrivacy.persistUserStates === true;
        });
    });
    after(async () => {
      for (const instance of instances) await instance?.stop('SIGKILL');
      await azurite?.stop('SIGKILL');
    });

    it('loses no task, assigns none twice, leaves nobody busy and no offer past its expiry', async () => {
      const created: string[] = [];
      const acceptedBy = new Map<string, string[]>();
      const problems: string[] = [];
      let creating = true;
      let finished = false;
      let killed = false;

      const agent = async (userId: string, lane: number) => {
        for (let turn = lane; !finished; turn++) {
          const offers = await call(turn % 3, userId, 'GET', '/me/offers');
          if (offers.status !== 200) {
            problems.push(`${userId} could not list offers: ${offers.status}`);
            continue;
          }
          for (const offer of offers.body as { taskId: string; offerExpiresAt: string | null }[]) {
            const late = offer.offerExpiresAt ? Date.now() - Date.parse(offer.offerExpiresAt) : 0;
            if (late > 5_000)
              problems.push(`${offer.taskId} still rang ${late} ms past its expiry`);
            const accepted = await call(turn + 1, userId, 'POST', `/tasks/${offer.taskId}/accept`);
            // A retry after the instance died may find the first try took effect.
            const mine =
              accepted.status === 200 ||
              (accepted.failedOver &&
                /already accepted this task/.test(accepted.body?.error?.message));
            if (!mine) continue; // taken by someone else, or expired: fine
            acceptedBy.set(offer.taskId, [...(acceptedBy.get(offer.taskId) ?? []), userId]);
            const done = await call(turn + 2, userId, 'POST', `/tasks/${offer.taskId}/complete`);
            const completed =
              done.status === 200 ||
              (done.failedOver && /this one is completed/.test(done.body?.error?.message));
            if (!completed)
              problems.push(
                `${userId} could not complete ${offer.taskId}: ${done.status} ${JSON.stringify(done.body)}`,
              );
          }
          if (!offers.body.length) await new Promise((r) => setTimeout(r, 50)); // polling pace, not a wait for an event
        }
      };
      const creator = async () => {
        for (let n = 0; n < TASKS; n++) {
          const reply = await call(
            n % 3,
            'system',
            'POST',
            `/tenants/${T}/services/${HELPDESK}/tasks`,
            {
              modality: n % 2 ? 'Im' : 'Call',
              subject: `Chaos ${n}`,
              externalId: `chaos-${n}`,
            },
          );
          assert.ok(reply.status === 201 || reply.status === 200, JSON.stringify(reply.body));
          if (!created.includes(reply.body.taskId)) created.push(reply.body.taskId);
          if (n === KILL_AFTER && !killed) {
            killed = true;
            await instances[1]?.stop('SIGKILL');
            instances[1] = undefined;
            await start(1, 'none');
          }
        }
        creating = false;
      };
      /**
       * Ends the people's loops once every task created is completed, as an instance reads
       * it. A task seen completed stays so: each look asks only about the others (asking
       * about all of them every 20 ms ran into the per-person request limit).
       */
      const completed = new Set<string>();
      const watcher = () =>
        until(
          'every task is completed',
          async () => {
            if (creating) return false;
            for (const taskId of created) {
              if (completed.has(taskId)) continue;
              const task = await call(0, ALEX, 'GET', `/tasks/${taskId}`);
              // Any other answer than the task is a failure to see, not a task still open.
              assert.equal(task.status, 200, JSON.stringify(task.body));
              if (task.body.state !== 'Completed') return false;
              completed.add(taskId);
            }
            return true;
          },
          120_000,
        )
          .catch(async (error: unknown) => {
            // What was left, so a failure says where it stuck: each task not completed as
            // every instance reads it, what the people met, and what the instances logged.
            const left: string[] = [];
            for (const taskId of created) {
              const seen = await Promise.all(
                [0, 1, 2].map(async (i) => {
                  const { status, body: task } = await call(i, ALEX, 'GET', `/tasks/${taskId}`);
                  if (status !== 200) return `${status} ${JSON.stringify(task)}`;
                  return `${task.state}, offered to ${JSON.stringify(task.offeredTo)}, accepted by ${task.acceptedBy ?? 'nobody'}`;
                }),
              );
              if (seen.some((s) => !s.startsWith('Completed')))
                left.push(`${taskId}: ${seen.join(' | ')}`);
            }
            const logs = instances.map(
              (x, i) => `instance ${i}: ${x?.output().slice(-4_000) ?? 'down'}`,
            );
            throw new Error(
              `${String(error)}\nleft: ${left.join('\n')}\nproblems: ${problems.join('\n')}\n${logs.join('\n')}`,
            );
          })
          .finally(() => (finished = true));
      await Promise.all([creator(), watcher(), ...AGENTS.map((u, lane) => agent(u, lane))]);
      assert.equal(
        created.length,
        TASKS,
        'every task created once (external ids make retries safe)',
      );
      // The record itself, read from storage: an instance's reads may be up to
      // CACHE_MAX_STALENESS_MS behind another's writes, by design.
      const stores = createStores(
        new TableStorage({ account: { connectionString }, prefix: undefined }),
      );
      let told = NO_TALLY;
      for (const taskId of created) {
        const task = await stores.routing.doneTasks.get(
          doneTaskKey(asTenantId(T), asTaskId(taskId)),
        );
        assert.equal(task?.value.state, 'Completed', taskId);
        assert.deepEqual(
          acceptedBy.get(taskId),
          [task.value.acceptedBy],
          `${taskId} accepted once, by its owner of record`,
        );
        // Its history, written in the same transactions: each step once, none lost, however
        // the instance that made a step died (steps of one millisecond on two instances may
        // list in either order, so they are counted, not ordered).
        const steps = (await stores.history.ofTask(asTenantId(T), asTaskId(taskId))).map(
          (r) => r.step,
        );
        told = historyTallies(steps).reduce((sum, b) => addTallies(sum, b.tally), told);
        const count = (kind: string) => steps.filter((step) => step.kind === kind).length;
        assert.deepEqual(
          [count('created'), count('accepted'), count('completed')],
          [1, 1, 1],
          `${taskId}: ${JSON.stringify(steps)}`,
        );
        assert.equal(
          steps.find((step) => step.kind === 'accepted')?.by,
          task.value.acceptedBy,
          `${taskId}: accepted by its owner of record`,
        );
        const invited = steps.flatMap((step) => (step.kind === 'offered' ? step.to : []));
        const answered = count('declined') + count('missed') + count('withdrawn') + 1;
        assert.equal(invited.length, answered, `${taskId}: every invitation ended once`);
      }
      // Reporting counted each step once too, whichever instance folded it, or died folding.
      await foldTallies(stores, asTenantId(T));
      for (const [scope, span] of [
        [asServiceId(HELPDESK), 'quarter'],
        [null, 'quarter'],
        [asServiceId(HELPDESK), 'day'],
        [null, 'day'],
      ] as const) {
        const folded = await stores.tallies.between(asTenantId(T), scope, 0, 9e12, span);
        const counted = folded.reduce((sum, r) => addTallies(sum, r.tally), NO_TALLY);
        assert.deepEqual(scope ? counted : { ...counted, people: told.people }, told);
      }
      assert.equal(told.offered, TASKS);
      assert.equal(told.handle.count, TASKS);
      if (shards > 1)
        // A step cut in two by the kill (people's partition, the task's shard) may have left
        // someone holding a task that does not name them: the sweep repairs it within
        // HOLD_REPAIR_AFTER_MS of seeing it.
        await until(
          'nobody holds a task any more',
          async () => {
            for (const userId of AGENTS) {
              const row = await stores.routing.agents.get(
                agentKey(asTenantId(T), asUserId(userId)),
              );
              if (
                row?.value.engagement?.kind === 'offered' ||
                row?.value.engagement?.kind === 'accepted'
              )
                return false;
              if (row?.value.chats.length) return false;
            }
            return true;
          },
          HOLD_REPAIR_AFTER_MS * 4,
        );
      for (const userId of AGENTS) {
        const agent = await stores.routing.agents.get(agentKey(asTenantId(T), asUserId(userId)));
        assert.equal(agent?.value.engagement, null, `${userId} is left busy or ringing`);
        assert.deepEqual(agent?.value.chats, [], `${userId} is left holding a chat`);
        // Each change of their state kept once, none lost: as changes of one millisecond on
        // two instances may list in either order, the changes are checked as a walk from the
        // state they began in (free) back to it: every state is left as often as reached.
        const changes = await stores.userStates.ofUser(asTenantId(T), asUserId(userId));
        const balance = new Map<string, number>();
        const add = (state: unknown, n: number) =>
          balance.set(JSON.stringify(state), (balance.get(JSON.stringify(state)) ?? 0) + n);
        for (const { step } of changes) {
          assert.ok(step.kind === 'state' && step.before, JSON.stringify(step));
          add(step.before, -1);
          add(step.after, +1);
        }
        assert.ok(changes.length >= 3, `${userId} was offered, took and ended tasks`);
        assert.deepEqual(
          [...balance].filter(([, n]) => n !== 0),
          [],
          `${userId}: a change lost or kept twice`,
        );
        // Their time Active, counted change by change by whichever instance folded it (or
        // died folding): Active all along, from their first change kept to their last.
        await foldStates(stores, asTenantId(T));
        const standing = await stores.stateTimes.standing(asTenantId(T), asUserId(userId));
        const days = await stores.stateTimes.days(asTenantId(T), asServiceId(HELPDESK), 0, 9e12);
        const counted = timeWithin(
          days.flatMap((d) => {
            const times = d.people[userId];
            return times ? [{ day: d.day, times }] : [];
          }),
          { from: 0, to: 9e15 },
        );
        const first = Math.min(...changes.map((c) => c.step.at));
        assert.equal(counted.activeMs, standing!.value.at - first, `${userId}: time counted once`);
      }
      for (const partition of await stores.routingPartitions(asTenantId(T)))
        assert.deepEqual(await stores.routing.openTasks.list(partition), [], 'no task left open');
      assert.equal(
        (await stores.routingPartitions(asTenantId(T))).length,
        shards > 1 ? shards + 1 : 1,
      );
      assert.deepEqual(problems, []);
    });
  });
