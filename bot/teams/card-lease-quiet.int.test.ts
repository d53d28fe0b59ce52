import { NO_DISTRIBUTION } from '../../core/app/routing/distribution.js';
import { strict as assert } from 'node:assert';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { systemClock } from '../../core/app/clock.js';
import { asTaskId, asTenantId, asUserId } from '../../core/domain/ids.js';
import { newAgentState } from '../../core/domain/routing/agent-state.js';
import { markCardOp } from '../../core/store/card-rows.js';
import { createStores } from '../../core/store/stores.js';
import { cachedTestStorage, uniquePrefix } from '../../test/azurite-fixture.js';
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
    const stores = createStores(
      cachedTestStorage(prefix, {
        onRequest: (method, url) => {
          const text = decodeURIComponent(url);
          if (text.includes("'lease:")) asked.push(`${method} lease`);
          else if (text.includes("'out:")) asked.push(`${method} outbox`);
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
    return { stores, asked, sweep };
  }

  it('renews no lease and lists no outbox until a card is marked, or now and then', async () => {
    const { stores, asked, sweep } = instance(uniquePrefix());
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

    await sleep(1_000); // fullDrainEveryMs
    await sweep();
    assert.deepEqual(
      asked.splice(0),
      ['GET outbox'],
      'once in a while the outbox is listed, and with nothing due the lease is left be',
    );

    // A card another instance left due (its retry bookkeeping moves no version here).
    await stores.commit([markCardOp(T, asTaskId('task-2'), asUserId('ada'), now)]);
    await sweep();
    asked.length = 0;
    const [left] = await stores.cards.outbox.list(T);
    assert.ok(left);
    await stores.cards.outbox.replace({ ...left.value, due: true }, left.etag);
    asked.length = 0;
    await sleep(1_000); // fullDrainEveryMs
    await sweep();
    assert.deepEqual(
      asked.splice(0),
      ['GET outbox', 'PUT lease', 'GET outbox'],
      'a card left due: the lease, then the drain',
    );
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
