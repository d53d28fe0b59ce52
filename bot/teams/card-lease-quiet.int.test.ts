import { NO_DISTRIBUTION } from '../../core/app/routing/distribution.js';
import { strict as assert } from 'node:assert';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { systemClock } from '../../core/app/clock.js';
import { asTaskId, asTenantId, asUserId } from '../../core/domain/ids.js';
import { newAgentState } from '../../core/domain/routing/agent-state.js';
import { markCardOp } from '../../core/store/card-rows.js';
import { createStores } from '../../core/store/stores.js';
import { cachedTestStorage, testStorage, uniquePrefix } from '../../test/azurite-fixture.js';
import { ROUTING_TABLE } from '../../core/store/routing-rows.js';
import { teamsCardOutbox } from './card-sender.js';
import type { TeamsChannel } from './teams-channel.js';

const T = asTenantId('tenant-quiet-cards');

/** Teams is not asked here: no one has a chat, so marked cards are done with at once. */
const noTeams: TeamsChannel = {
  post: () => Promise.reject(new Error('not expected')),
  update: () => Promise.reject(new Error('not expected')),
};

describe('the card drain of a quiet tenant', () => {
  /** One instance's stores and card sender, noting its lease and outbox requests. */
  function instance(prefix: string) {
    const asked: string[] = [];
    /** Lists of the outbox rows of earlier versions (`out:`). */
    const earlier: string[] = [];
    /** The conditions of the outbox's lists. */
    const lists: string[] = [];
    const stores = createStores(
      cachedTestStorage(prefix, {
        onRequest: (method, url) => {
          const text = decodeURIComponent(url);
          if (text.includes("'lease:")) asked.push(`${method} lease`);
          else if (text.includes("'due:")) {
            asked.push(`${method} outbox`);
            lists.push(new URL(url).searchParams.get('$filter') ?? '');
          } else if (text.includes("'out:")) earlier.push(method);
          else if (method === 'POST' && /Routing$/.test(new URL(url).pathname))
            asked.push('POST lease'); // the only single-row insert here: the lease, taken anew
        },
      }),
    );
    const sender = teamsCardOutbox({
      deps: { stores, clock: systemClock, newId: () => 'id', distribution: NO_DISTRIBUTION },
      channel: noTeams,
      log: pino({ level: 'silent' }),
      drainGapMs: 0,
      leaseMs: 200,
      fullDrainEveryMs: 1_000,
    });
    const sweep = async () => {
      await stores.refreshRouting(T); // as the timer sweep does before the drain
      await sender.kick(T);
    };
    return { stores, asked, earlier, lists, sweep, prefix };
  }

  it('renews no lease and lists no outbox until a card is marked, or now and then', async () => {
    const { stores, asked, earlier, lists, sweep, prefix } = instance(uniquePrefix());
    await sweep();
    assert.deepEqual(
      asked.splice(0),
      ['GET lease', 'POST lease', 'GET outbox'],
      'takes the lease, lists the outbox',
    );

    for (let i = 0; i < 8; i++) {
      await sweep();
      await sleep(50); // the 200 ms lease would need renewing twice meanwhile
    }
    assert.deepEqual(asked.splice(0), [], 'quiet: no lease writes, no outbox lists');

    const now = systemClock.now();
    await stores.commit([
      stores.routing.agents.insertOp(newAgentState(T, asUserId('ada'), now, 'Available')),
      markCardOp(T, asTaskId('task-1'), asUserId('ada'), now),
    ]);
    await sweep();
    assert.deepEqual(asked.splice(0, 2), ['PUT lease', 'GET outbox'], 'a marked card is drawn');
    asked.length = 0;

    await sleep(1_100); // past fullDrainEveryMs (a timer may fire a little early)
    await sweep();
    assert.deepEqual(
      asked.splice(0),
      ['GET outbox'],
      'once in a while the outbox is listed, and with nothing due the lease is left be',
    );

    // A card another instance left due (its retry bookkeeping moves no version here).
    const left = markCardOp(T, asTaskId('task-2'), asUserId('ada'), now);
    assert.equal(left.kind, 'insert');
    const raw = await testStorage(prefix).client(ROUTING_TABLE);
    await raw.createEntity(left.entity);
    asked.length = 0;
    await sleep(1_100); // past fullDrainEveryMs (a timer may fire a little early)
    await sweep();
    assert.deepEqual(
      asked.splice(0),
      ['GET outbox', 'PUT lease', 'GET outbox'],
      'a card left due: the lease, then the drain',
    );
    assert.deepEqual(
      earlier,
      ['GET'],
      'the rows of earlier versions are read on the first drain, and not again within the hour',
    );
    // Drawn cards leave no row: the outbox is listed by its key range alone, so a list never
    // reads (on Azure: never scans) a card drawn before, however long the tenant's history.
    assert.ok(lists.length >= 4);
    for (const filter of lists)
      assert.equal(
        filter,
        `PartitionKey eq '${T}' and (RowKey ge 'due:' and RowKey lt 'due:\uffff')`,
      );
    assert.deepEqual(await stores.cards.outbox.all(T), [], 'every card drawn, no row left');
  });

  it('on an instance that found another drawing, asks for the lease again only after a change', async () => {
    const prefix = uniquePrefix();
    const a = instance(prefix);
    const b = instance(prefix);
    await a.sweep();
    await b.sweep();
    assert.deepEqual(b.asked.splice(0), ['GET lease'], 'held by the other');
    for (let i = 0; i < 5; i++) await b.sweep();
    assert.deepEqual(b.asked, [], 'no lease read each sweep');
  });
});
