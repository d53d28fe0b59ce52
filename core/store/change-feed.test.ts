import { strict as assert } from 'node:assert';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChangeFeed, CHANGES_TABLE } from './change-feed.js';
import { MemoryTables } from './memory-tables.js';

/** Instances sharing one in-memory feed table, each counting its writes to it. */
function feeds(options: { announceEveryMs?: number; watchMs?: number; forgetAfterMs?: number }) {
  const memory = new MemoryTables();
  const writes = new Map<string, number>();
  const made = async (instanceId: string) => {
    const client = memory.client(CHANGES_TABLE, (method) => {
      if (method !== 'GET') writes.set(instanceId, (writes.get(instanceId) ?? 0) + 1);
    });
    await client.createTable();
    return new ChangeFeed({ instanceId, client: () => Promise.resolve(client), ...options });
  };
  return { made, writes };
}

describe('the change feed', () => {
  it('watches a tenant another instance announced, from the read that saw it, and never its own', async () => {
    const { made } = feeds({ watchMs: 10_000 });
    const [a, b] = [await made('a'), await made('b')];
    await b.poll(performance.now());
    assert.equal(b.watchedUntil('t1'), -Infinity, 'nobody announced it');
    await a.announce('t1');
    const before = performance.now();
    await b.poll(performance.now());
    assert.ok(b.watchedUntil('t1') >= before + 10_000, 'watched for watchMs from that read');
    await a.poll(performance.now());
    assert.equal(a.watchedUntil('t1'), -Infinity, 'its own announcement is not news to it');
    assert.equal(b.watchedUntil('t2'), -Infinity, 'other tenants stay quiet');
  });

  it('announces a tenant at most once per announceEveryMs, and a renewal is news again', async () => {
    const { made, writes } = feeds({ announceEveryMs: 30, watchMs: 0 });
    const [a, b] = [await made('a'), await made('b')];
    await Promise.all([a.announce('t1'), a.announce('t1')]);
    await a.announce('t1');
    assert.equal(writes.get('a'), 2, 'the table once, and one announcement');
    await b.poll(performance.now());
    const first = b.watchedUntil('t1');
    await sleep(40);
    await a.announce('t1');
    assert.equal(writes.get('a'), 3, 'renewed once its last word is old');
    await b.poll(performance.now());
    assert.ok(b.watchedUntil('t1') > first, 'the renewal extends the watch');
    const second = b.watchedUntil('t1');
    await b.poll(performance.now());
    assert.equal(b.watchedUntil('t1'), second, 'an announcement already seen extends nothing');
  });

  it('shares one read among callers that accept it, and reads again for a later one', async () => {
    const { made } = feeds({});
    const [a, b] = [await made('a'), await made('b')];
    const start = performance.now();
    await Promise.all([b.poll(start), b.poll(start - 1000)]);
    const polled = b.polledAt;
    await b.poll(start);
    assert.equal(b.polledAt, polled, 'a read sent at or after `notBefore` serves');
    await a.announce('t1');
    await b.poll(performance.now());
    assert.ok(b.polledAt > polled);
    assert.notEqual(b.watchedUntil('t1'), -Infinity);
  });

  it('deletes announcements nobody renewed for forgetAfterMs', async () => {
    const { made } = feeds({ forgetAfterMs: 20 });
    const [a, b, c] = [await made('a'), await made('b'), await made('c')];
    await a.announce('t1');
    await sleep(30);
    await b.poll(performance.now()); // sees it (news), and deletes it as old
    assert.notEqual(b.watchedUntil('t1'), -Infinity);
    await c.poll(performance.now());
    assert.equal(c.watchedUntil('t1'), -Infinity, 'gone from the feed');
  });
});

describe('the change feed reading a row no instance wrote', () => {
  it('fails the read instead of guessing a tenant from it', async () => {
    const memory = new MemoryTables();
    const client = memory.client(CHANGES_TABLE);
    await client.createTable();
    await client.upsertEntity({ partitionKey: 'feed', rowKey: 'no-separator', announcedAt: 1 });
    const feed = new ChangeFeed({ instanceId: 'a', client: () => Promise.resolve(client) });
    await assert.rejects(feed.poll(performance.now()), /rowKey/);
  });
});
