// The presence feed's own rules, in the unit tier (in-memory tables, a Graph that counts what
// it is asked); the requests and answers in Graph's shapes are tested against the Graph
// stand-in in bot/graph/presence-feed.int.test.ts.
import { strict as assert } from 'node:assert';
import { GraphProblem } from './graph-problem.js';
import { uniquePrefix, IN_MEMORY } from '../../test/table-accounts.js';
import { PEOPLE } from '../../test/demo-people.js';
import { asTenantId, asUserId, type TenantId, type UserId } from '../domain/ids.js';
import { instantOf, type Instant } from '../domain/instant.js';
import { presenceFeedKey } from '../store/presence-feed-rows.js';
import { agentKey } from '../store/routing-rows.js';
import { createStores } from '../store/stores.js';
import type { AppDeps } from './app-deps.js';
import { DEMO } from './demo-tenant.js';
import { PresenceFeed, TENANTS_PER_POST, type PresenceGraph } from './presence-feed.js';
import { NO_DISTRIBUTION } from './routing/distribution.js';
import { seedDemo } from './seed-demo.js';

const T = asTenantId(DEMO.tenant.id);
const ADELE = asUserId(PEOPLE.ADELE);
const START = instantOf(1_795_000_000_000);
const at = (seconds: number): Instant => instantOf(START + seconds * 1000);

/** A Graph that answers from a table of presences and counts what it is asked. */
function countingGraph(presences: Map<UserId, [string, string]>) {
  const asked = { reads: [] as UserId[][], subscribe: 0, renew: 0 };
  let refuse: GraphProblem | null = null;
  const graph: PresenceGraph = {
    read: (_tenantId: TenantId, ids) => {
      asked.reads.push([...ids]);
      if (refuse) return Promise.reject(refuse);
      return Promise.resolve(
        ids.flatMap((id) => {
          const p = presences.get(id);
          return p ? [{ id, availability: p[0], activity: p[1] }] : [];
        }),
      );
    },
    subscribe: () => {
      asked.subscribe++;
      return Promise.reject(new GraphProblem(403, 'Presence.Read.All is not granted'));
    },
    renew: () => {
      asked.renew++;
      return Promise.reject(new GraphProblem(404, 'gone'));
    },
    unsubscribe: () => Promise.resolve(),
    findUser: () => Promise.resolve(null),
  };
  return { graph, asked, refuseWith: (problem: GraphProblem | null) => (refuse = problem) };
}

describe('the presence feed (unit)', () => {
  let deps: AppDeps;
  let now: Instant;
  const quiet = { warn: () => undefined, error: () => undefined };
  beforeEach(async () => {
    now = START;
    const stores = createStores(IN_MEMORY.storage(uniquePrefix()));
    deps = { stores, clock: { now: () => now }, newId: () => 'x', distribution: NO_DISTRIBUTION };
    await seedDemo(stores, START);
  });
  const presenceOf = async (userId: UserId) =>
    (await deps.stores.routing.agents.get(agentKey(T, userId)))?.value.presence;

  it('reads everyone in a service at once, applies only changes, and again once the poll period passed', async () => {
    const presences = new Map<UserId, [string, string]>([[ADELE, ['Away', 'Away']]]);
    const { graph, asked } = countingGraph(presences);
    const feed = new PresenceFeed({ deps, graph, pollEveryMs: 60_000, log: quiet });
    await feed.sweep([T], now);
    assert.equal(await presenceOf(ADELE), 'Away');
    assert.equal(asked.reads.length, 1);
    assert.ok(asked.reads[0]?.includes(ADELE));
    presences.set(ADELE, ['Busy', 'InAMeeting']);
    now = at(30);
    await feed.sweep([T], now);
    assert.equal(asked.reads.length, 1, 'not before the poll period');
    now = at(60);
    await feed.sweep([T], now);
    assert.equal(asked.reads.length, 2);
    assert.equal(await presenceOf(ADELE), 'BusyInMeeting');
  });

  it('asks a tenant whose Graph refuses once per poll period, not at every sweep, and says why', async () => {
    const { graph, asked, refuseWith } = countingGraph(new Map());
    refuseWith(new GraphProblem(403, 'Presence.Read.All is not granted in this tenant.'));
    const feed = new PresenceFeed({ deps, graph, pollEveryMs: 60_000, log: quiet });
    for (let s = 0; s < 60; s += 1) {
      now = at(s);
      await feed.sweep([T], now);
    }
    assert.equal(asked.reads.length, 1);
    const state = await deps.stores.presenceFeeds.get({ partitionKey: T, rowKey: 'feed:presence' });
    assert.match(state?.value.readProblem ?? '', /Presence could not be read: Presence\.Read\.All/);
  });

  it('tries to subscribe again only after a pause when Graph refused, polling meanwhile', async () => {
    const { graph, asked } = countingGraph(new Map());
    const feed = new PresenceFeed({
      deps,
      graph,
      pollEveryMs: 60_000,
      log: quiet,
      urls: { notifications: 'https://app/n', lifecycle: 'https://app/l' },
    });
    for (let s = 0; s <= 300; s += 10) {
      now = at(s);
      await feed.sweep([T], now);
    }
    assert.equal(asked.subscribe, 1, 'once in five minutes');
    assert.ok(asked.reads.length >= 5, 'polled every minute meanwhile');
    now = at(601);
    await feed.sweep([T], now);
    assert.equal(asked.subscribe, 2, 'again after ten minutes');
  });

  it('reads a newcomer’s presence at once, and never fails the join when Graph does', async () => {
    const presences = new Map<UserId, [string, string]>([[ADELE, ['DoNotDisturb', 'Focusing']]]);
    const { graph, refuseWith } = countingGraph(presences);
    const feed = new PresenceFeed({ deps, graph, pollEveryMs: 60_000, log: quiet });
    await feed.joined(T, [ADELE]);
    assert.equal(await presenceOf(ADELE), 'DoNotDisturb');
    refuseWith(new GraphProblem(0, 'Microsoft Graph could not be reached.'));
    await feed.joined(T, [ADELE]);
  });

  it('ignores notifications it cannot trust: a wrong or missing secret', async () => {
    const presences = new Map<UserId, [string, string]>([[ADELE, ['Offline', 'Offline']]]);
    const { graph, asked } = countingGraph(presences);
    const feed = new PresenceFeed({ deps, graph, pollEveryMs: 60_000, log: quiet });
    await feed.sweep([T], now); // makes the feed's row
    const reads = asked.reads.length;
    const counted = await feed.notified([
      { subscriptionId: 'unknown', clientState: 'x', tenantId: T, resourceData: { id: ADELE } },
      { subscriptionId: 'unknown', tenantId: T, resourceData: { id: ADELE } },
      {
        subscriptionId: 'unknown',
        clientState: 'x',
        tenantId: asTenantId('other'),
        resourceData: { id: ADELE },
      },
    ]);
    assert.equal(counted, 0);
    assert.equal(asked.reads.length, reads, 'nothing read for them');
  });

  it('looks at no more than a few tenants of one post: the webhook is public, each costs a read', async () => {
    const { graph } = countingGraph(new Map());
    let feedReads = 0;
    const feeds = deps.stores.presenceFeeds;
    const counted: AppDeps = {
      ...deps,
      stores: {
        ...deps.stores,
        presenceFeeds: Object.assign(Object.create(feeds) as typeof feeds, {
          get: (key: Parameters<typeof feeds.get>[0]) => {
            feedReads++;
            return feeds.get(key);
          },
        }),
      },
    };
    const feed = new PresenceFeed({ deps: counted, graph, pollEveryMs: 60_000, log: quiet });
    const flood = Array.from({ length: 500 }, (_, i) => ({
      subscriptionId: 's',
      clientState: 'x',
      tenantId: asTenantId(`tenant-${i}`),
      resourceData: { id: ADELE },
    }));
    assert.equal(await feed.notified(flood), 0);
    assert.equal(feedReads, TENANTS_PER_POST);
  });

  it('keeps the subscriptions a turn made when a notification wrote the feed’s row meanwhile', async () => {
    const { graph } = countingGraph(new Map());
    graph.subscribe = () => Promise.resolve({ id: 'sub-1', expiresAt: at(3300) });
    const feeds = deps.stores.presenceFeeds;
    let raced = false;
    const racing: AppDeps = {
      ...deps,
      stores: {
        ...deps.stores,
        presenceFeeds: Object.assign(Object.create(feeds) as typeof feeds, {
          // Just before the turn's write, a notification on another instance writes the row.
          replace: async (...args: Parameters<typeof feeds.replace>) => {
            if (!raced) {
              raced = true;
              const row = await feeds.get(presenceFeedKey(T));
              if (row) await feeds.replace({ ...row.value, lastUpdateAt: at(5) }, row.etag);
            }
            return feeds.replace(...args);
          },
        }),
      },
    };
    const feed = new PresenceFeed({
      deps: racing,
      graph,
      pollEveryMs: 60_000,
      log: quiet,
      urls: { notifications: 'https://app/n', lifecycle: 'https://app/l' },
    });
    await feed.sweep([T], now);
    assert.ok(raced);
    const state = (await feeds.get(presenceFeedKey(T)))?.value;
    assert.deepEqual(
      state?.subscriptions.map((s) => s.id),
      ['sub-1'],
      'the subscription Graph made is not forgotten',
    );
    assert.equal(state?.lastUpdateAt, at(5), 'nor is what the notification wrote');
    assert.equal(state?.lastPollAt, START, 'nor the turn’s poll');
  });

  it('reads everyone again when Graph says it missed changes while a turn was reading', async () => {
    const { graph, asked } = countingGraph(new Map([[ADELE, ['Available', 'Available']]]));
    const read = graph.read.bind(graph);
    const feeds: { feed?: PresenceFeed } = {};
    graph.read = async (tenantId, ids) => {
      if (asked.reads.length === 0) {
        // Graph's `missed` arrives while the turn's first read of everyone is under way.
        const row = await deps.stores.presenceFeeds.get(presenceFeedKey(T));
        const missed = {
          subscriptionId: 'sub-1',
          clientState: row?.value.clientState,
          tenantId: T,
          lifecycleEvent: 'missed',
        };
        assert.equal(await feeds.feed?.lifecycle([missed]), 1);
      }
      return read(tenantId, ids);
    };
    const feed = new PresenceFeed({ deps, graph, pollEveryMs: 60_000, log: quiet });
    feeds.feed = feed;
    await feed.sweep([T], now);
    assert.equal(asked.reads.length, 1);
    now = at(10);
    await feed.sweep([T], now);
    assert.equal(asked.reads.length, 2, 'what Graph missed is read at the next turn');
  });
});
