// The partition cache's rules with several instances on one account: run against Azurite
// (partition-cache.int.test.ts) and the in-memory tables (partition-cache.test.ts).
import { strict as assert } from 'node:assert';
import { setTimeout as sleep } from 'node:timers/promises';
import { uniquePrefix, type TestAccount } from '../../test/table-accounts.js';
import type { DirectoryUser } from '../domain/directory-user.js';
import { asOrgUnitId, asTaskId, asTenantId, asUserId } from '../domain/ids.js';
import { instantOf } from '../domain/instant.js';
import { ConflictError } from './conflict-error.js';
import { markCardOp } from './card-rows.js';
import { TENANCY_TABLE } from './json-column.js';
import { readingCached, readingFresh, STAMP_PREFIX } from './partition-cache.js';
import { createStores } from './stores.js';
import { requestKind, TableStorage, type TableClientLike } from './table-storage.js';
import { userKey } from './table-user-store.js';
import { agentKey } from './routing-rows.js';

export function describePartitionCacheContract(account: TestAccount): void {
  const T = asTenantId('tenant-cache');
  const user = (name: string): DirectoryUser => ({
    tenantId: T,
    id: asUserId('u1'),
    displayName: name,
    ouId: asOrgUnitId('root'),
    roles: [],
    licenses: [],
    skills: {},
  });
  const KEY = userKey(T, asUserId('u1'));

  /** An instance's stores, counting its storage requests by method. */
  function instance(prefix: string, maxStalenessMs = 60_000, idleMs?: number) {
    const requests = { reads: 0, writes: 0 };
    /** The reads by kind: one row by its key, a stamp query, a query of rows (not the change feed). */
    const reads = { row: 0, stamps: 0, whole: 0 };
    const storage = account.storage(prefix, {
      maxStalenessMs,
      ...(idleMs !== undefined && { idleMs }),
      onRequest: (method, url) => {
        const kind = requestKind(method, url);
        if (kind === 'write') return void requests.writes++;
        requests.reads++;
        if (kind === 'row') reads.row++;
        else if (kind === 'stamps') reads.stamps++;
        else if (kind === 'rows') reads.whole++;
      },
    });
    return { stores: createStores(storage), requests, reads };
  }

  describe(`the partition cache (several instances on one table, ${account.name})`, () => {
    let prefix: string;
    beforeEach(() => {
      prefix = uniquePrefix();
    });

    it('reads a loaded partition from memory: no request for gets and lists', async () => {
      const a = instance(prefix);
      await a.stores.users.insert(user('Ada'));
      await a.stores.users.get(KEY);
      const before = { ...a.requests };
      assert.equal((await a.stores.users.get(KEY))?.value.displayName, 'Ada');
      assert.equal((await a.stores.users.list(T)).length, 1);
      assert.equal(await a.stores.users.get(userKey(T, asUserId('nobody'))), undefined);
      assert.deepEqual(a.requests, before);
    });

    it('sees its own writes at once, without reading them back', async () => {
      const a = instance(prefix);
      const first = await a.stores.users.insert(user('Ada'));
      await a.stores.users.get(KEY);
      const reads = a.requests.reads;
      const second = await a.stores.users.replace(user('Ada Lovelace'), first.etag);
      const read = await a.stores.users.get(KEY);
      assert.equal(read?.value.displayName, 'Ada Lovelace');
      assert.equal(read?.etag, second.etag, 'the cache holds the ETag the write returned');
      assert.equal(a.requests.reads, reads);
    });

    it('keeps a parsed row once, and rebuilds it whole when a write merges columns into it', async () => {
      const a = instance(prefix);
      await a.stores.users.insert({ ...user('Ada'), skills: { english: 70 } });
      // Parsed now: the cache keeps the value, not the stored row beside it.
      assert.equal((await a.stores.users.get(KEY))?.value.displayName, 'Ada');
      await a.stores.commit([
        { kind: 'merge', table: TENANCY_TABLE, entity: { ...KEY, displayName: 'Ada L.' } },
      ]);
      const merged = await a.stores.users.get(KEY);
      assert.equal(merged?.value.displayName, 'Ada L.');
      assert.deepEqual(merged?.value.skills, { english: 70 }, 'the columns not merged stay');
      const stored = await instance(prefix, 0).stores.users.get(KEY);
      assert.deepEqual(merged?.value, stored?.value, 'as storage has it');
    });

    it('tells by its version whether the rows it saw changed, by its own write or on refresh', async () => {
      const a = instance(prefix);
      const b = instance(prefix);
      const seen = () => a.stores.seen('tenancy', T);
      assert.equal(seen(), undefined, 'nothing read yet');
      const first = await b.stores.users.insert(user('Ada'));
      await a.stores.users.get(KEY);
      const loaded = seen();
      assert.notEqual(loaded, undefined);
      await a.stores.users.get(KEY);
      assert.equal(await a.stores.refreshTenancy(T), false);
      assert.equal(seen(), loaded, 'reads and a check that found nothing new keep it');
      const second = await b.stores.users.replace(user('Grace'), first.etag);
      assert.equal(seen(), loaded, 'another instance’s write shows only once checked');
      assert.equal(await a.stores.refreshTenancy(T), true);
      const refreshed = seen();
      assert.notEqual(refreshed, loaded);
      const third = await a.stores.users.replace(user('Grace Hopper'), second.etag);
      assert.notEqual(seen(), refreshed, 'its own write changes it');
      await assert.rejects(a.stores.users.replace(user('Lost'), second.etag), ConflictError);
      assert.equal(seen(), undefined, 'after a lost race it does not know');
      await a.stores.users.get(KEY);
      assert.equal((await a.stores.users.get(KEY))?.etag, third.etag);
    });

    it('sees another instance’s write on refresh, and by itself once its check is older than the bound', async () => {
      const a = instance(prefix);
      const quick = instance(prefix, 100);
      const b = instance(prefix);
      const first = await b.stores.users.insert(user('Ada'));
      await a.stores.users.get(KEY);
      await quick.stores.users.get(KEY);
      await b.stores.users.replace(user('Grace'), first.etag);

      assert.equal((await a.stores.users.get(KEY))?.value.displayName, 'Ada', 'within the bound');
      await sleep(150);
      assert.equal((await quick.stores.users.get(KEY))?.value.displayName, 'Grace');
      assert.equal((await a.stores.users.get(KEY))?.value.displayName, 'Ada', '60 s bound');
    });

    it('a check that finds nobody else wrote does not wait for this instance’s writes on their way', async () => {
      let letGo!: () => void;
      const gate = new Promise<void>((resolve) => (letGo = resolve));
      let holding = false;
      const a = createStores(
        account.storage(prefix, {
          maxStalenessMs: 60_000,
          wrapClient: (client) =>
            Object.assign(Object.create(client) as TableClientLike, {
              submitTransaction: async (
                actions: Parameters<TableClientLike['submitTransaction']>[0],
              ) => {
                if (holding) await gate;
                return client.submitTransaction(actions);
              },
            }),
        }),
      );
      await a.routing.agents.insert(agent('u1'));
      await a.refreshRouting(T);
      holding = true;
      const held = a.routing.agents.insert(agent('u2'));
      assert.equal(await a.refreshRouting(T), false, 'checked while the write is held');
      letGo();
      await held;
      assert.equal((await a.routing.agents.list(T)).length, 2);
    });

    it('refresh says whether anyone else wrote, and reads the rows again only then', async () => {
      const a = instance(prefix);
      const b = instance(prefix);
      await a.stores.routing.agents.insert(agent('u1'));
      await a.stores.routing.agents.list(T);
      assert.equal(await a.stores.refreshRouting(T), false, 'only this instance wrote');
      const reads = a.requests.reads;
      assert.equal(await a.stores.refreshRouting(T), false);
      assert.equal(a.requests.reads, reads + 1, 'one stamp query, no rows');

      await b.stores.routing.agents.insert(agent('u2'));
      assert.equal(await a.stores.refreshRouting(T), true);
      assert.deepEqual(
        (await a.stores.routing.agents.list(T)).map((r) => r.value.userId),
        ['u1', 'u2'],
      );
    });

    it('a decision on a stale row fails as a conflict, and the next read is fresh: the rows it wrote and the stamps read again, not the partition', async () => {
      const a = instance(prefix);
      const b = instance(prefix);
      await b.stores.users.insert(user('Ada'));
      const seen = await a.stores.users.get(KEY);
      const theirs = await b.stores.users.get(KEY);
      assert.ok(seen && theirs);
      await b.stores.users.replace(user('Grace'), theirs.etag);
      const before = { ...a.reads };
      await assert.rejects(a.stores.users.replace(user('Alan'), seen.etag), ConflictError);
      assert.equal((await a.stores.users.get(KEY))?.value.displayName, 'Grace');
      assert.equal(a.reads.whole, before.whole, 'not read whole');
      assert.equal(a.reads.stamps, before.stamps + 1);
      assert.equal(a.reads.row, before.row + 1, 'the one row both wrote, read once');
    });

    it('a delete reaches the other instances', async () => {
      const a = instance(prefix);
      const b = instance(prefix);
      const row = await a.stores.users.insert(user('Ada'));
      assert.ok(await b.stores.users.get(KEY));
      await a.stores.users.delete(KEY, row.etag);
      assert.equal(await a.stores.users.get(KEY), undefined);
      await b.stores.refreshRouting(T); // the routing rows say nothing of the tenancy ones
      assert.ok(await b.stores.users.get(KEY), 'tenancy rows keep their own bound');
      const fresh = instance(prefix);
      assert.equal(await fresh.stores.users.get(KEY), undefined);
    });

    it('reads only the rows another instance’s stamp names as written since, never the partition whole', async () => {
      const a = instance(prefix);
      const b = instance(prefix);
      await a.stores.routing.agents.insert(agent('u1'));
      await b.stores.routing.agents.insert(agent('u2'));
      await a.stores.refreshRouting(T);
      const u2 = await b.stores.routing.agents.get(agentKey(T, asUserId('u2')));
      assert.ok(u2);
      await b.stores.routing.agents.replace({ ...agent('u2'), presence: 'Busy' }, u2.etag);
      await b.stores.routing.agents.insert(agent('u3'));
      await b.stores.commit([b.stores.routing.agents.deleteOp(agentKey(T, asUserId('u1')))]);
      const before = { ...a.reads };
      assert.equal(await a.stores.refreshRouting(T), true);
      assert.deepEqual(
        { row: a.reads.row - before.row, stamps: a.reads.stamps - before.stamps },
        { row: 3, stamps: 1 },
        'one stamp query, then the three rows its log names',
      );
      assert.equal(a.reads.whole, before.whole, 'not read whole');
      assert.deepEqual(
        (await a.stores.routing.agents.list(T)).map((r) => [r.value.userId, r.value.presence]),
        [
          ['u2', 'Busy'],
          ['u3', 'Available'],
        ],
      );
      assert.equal(await a.stores.refreshRouting(T), false, 'nothing more since');
    });

    it('reads the partition whole, once, when the logs name more than a tenth of it (a bulk import)', async () => {
      const a = instance(prefix);
      const b = instance(prefix, 0);
      await a.stores.users.insert(user('Ada'));
      await b.stores.users.list(T);
      const people = Array.from({ length: 20 }, (_, i) => ({
        ...user(`Person ${i}`),
        id: asUserId(`p${i}`),
      }));
      await a.stores.commit(people.map((p) => a.stores.users.insertOp(p)));
      const before = { ...b.reads };
      assert.equal((await b.stores.users.list(T)).length, 21);
      assert.deepEqual(
        { whole: b.reads.whole - before.whole, row: b.reads.row - before.row },
        { whole: 1, row: 0 },
      );
      await a.stores.users.upsert({ ...user('Ada Lovelace') });
      assert.equal((await b.stores.users.get(KEY))?.value.displayName, 'Ada Lovelace');
      assert.deepEqual(
        { whole: b.reads.whole - before.whole, row: b.reads.row - before.row },
        { whole: 1, row: 1 },
        'one row written: one row read',
      );
    });

    it('reads the partition whole when a stamp cannot tell what its instance wrote', async () => {
      const a = instance(prefix);
      await a.stores.users.insert(user('Ada'));
      const b = instance(prefix, 0);
      assert.equal((await b.stores.users.get(KEY))?.value.displayName, 'Ada');
      // An instance of an earlier version: its stamp carries no log.
      const raw = await account.storage(prefix).client(TENANCY_TABLE);
      await raw.upsertEntity(
        { partitionKey: T, rowKey: `${STAMP_PREFIX}earlier`, writtenAt: Date.now() },
        'Replace',
      );
      await raw.upsertEntity({ ...KEY, displayName: 'Grace' }, 'Merge');
      const whole = b.reads.whole;
      assert.equal((await b.stores.users.get(KEY))?.value.displayName, 'Grace');
      assert.equal(b.reads.whole, whole + 1, 'read whole');
    });

    it('stamps a partition in the same transaction as a cached row, and never for other rows', async () => {
      const a = instance(prefix);
      const b = instance(prefix);
      await b.stores.routing.agents.list(T);
      await a.stores.commit([markCardOp(T, asTaskId('x.1'), asUserId('u1'), instantOf(1))]);
      assert.equal(await b.stores.refreshRouting(T), false, 'an outbox entry is not cached');
      await a.stores.users.insert(user('Ada'));
      const raw = await account.storage(prefix).client(TENANCY_TABLE);
      const stamps = [];
      for await (const e of raw.listEntities({
        queryOptions: { filter: `PartitionKey eq '${T}'` },
      }))
        if (e.rowKey?.startsWith(STAMP_PREFIX)) stamps.push(e.rowKey);
      assert.equal(stamps.length, 1);
    });

    it('reads a partition whole again now and then, so a write that lost its stamp does not linger', async () => {
      const a = instance(prefix);
      const b = createStores(account.storage(prefix, { maxStalenessMs: 0, reloadEveryMs: 200 }));
      await a.stores.users.insert(user('Ada'));
      assert.equal((await b.users.get(KEY))?.value.displayName, 'Ada');
      // An instance dies between a conditional delete and its stamp: no stamp tells of it.
      const raw = await account.storage(prefix).client(TENANCY_TABLE);
      await raw.deleteEntity(KEY.partitionKey, KEY.rowKey);
      assert.equal((await b.users.get(KEY))?.value.displayName, 'Ada', 'the stamps are as before');
      await sleep(250);
      assert.equal(await b.users.get(KEY), undefined, 'read whole again');
    });

    it('keeps a partition’s version when reading it whole again finds every row as held', async () => {
      const a = instance(prefix);
      const b = createStores(account.storage(prefix, { maxStalenessMs: 0, reloadEveryMs: 50 }));
      await a.stores.users.insert(user('Ada'));
      await b.users.get(KEY);
      const seen = b.seen('tenancy', T);
      await sleep(60);
      await b.users.get(KEY); // read whole again: nothing changed
      assert.equal(b.seen('tenancy', T), seen, 'no change to tell of');
      const raw = await account.storage(prefix).client(TENANCY_TABLE);
      await raw.deleteEntity(KEY.partitionKey, KEY.rowKey);
      await sleep(60);
      await b.users.get(KEY);
      assert.notEqual(b.seen('tenancy', T), seen, 'a row gone: a change');
    });

    it('forgets the stamps of instances silent for a day, keeping the live ones', async () => {
      const a = instance(prefix);
      const b = instance(prefix);
      await a.stores.users.insert(user('Ada'));
      const raw = await account.storage(prefix).client(TENANCY_TABLE);
      await raw.upsertEntity({
        partitionKey: T,
        rowKey: `${STAMP_PREFIX}stopped-long-ago`,
        writtenAt: Date.now() - 25 * 3600 * 1000,
      });
      await b.stores.users.get(KEY);
      assert.equal(await b.stores.forgetStaleStamps(T), 1);
      const left = [];
      for await (const e of raw.listEntities({
        queryOptions: { filter: `PartitionKey eq '${T}'` },
      }))
        if (e.rowKey?.startsWith(STAMP_PREFIX)) left.push(e.rowKey);
      assert.equal(left.length, 1, 'the live instance’s stamp stays');
      assert.equal((await b.stores.users.get(KEY))?.value.displayName, 'Ada');
    });

    it('lets a partition nobody used for a while leave memory, and reads it again when asked', async () => {
      const a = instance(prefix, 60_000, 50);
      await a.stores.users.insert(user('Ada'));
      await a.stores.users.get(KEY);
      const reads = a.requests.reads;
      await sleep(120);
      await a.stores.routing.agents.list(T); // any use sweeps idle partitions
      const routingReads = a.requests.reads;
      assert.equal((await a.stores.users.get(KEY))?.value.displayName, 'Ada');
      assert.ok(a.requests.reads > routingReads, 'the tenancy rows were read again');
      assert.ok(routingReads > reads);
    });

    it('lets a step retried after a lost race read past the cache', async () => {
      const a = instance(prefix);
      const b = instance(prefix);
      const first = await b.stores.users.insert(user('Ada'));
      await a.stores.users.get(KEY);
      await b.stores.users.replace(user('Grace'), first.etag);
      assert.equal((await a.stores.users.get(KEY))?.value.displayName, 'Ada');
      const fresh = await readingFresh(() => a.stores.users.get(KEY));
      assert.equal(fresh?.value.displayName, 'Grace');
      const cached = await readingFresh(() => readingCached(() => a.stores.users.get(KEY)));
      assert.equal(cached?.value.displayName, 'Ada', 'work a retried step sets off reads cached');
    });
  });

  function agent(id: string) {
    const at = instantOf(1_795_000_000_000);
    return {
      tenantId: T,
      userId: asUserId(id),
      presence: 'Available' as const,
      engagement: null,
      chats: [],
      ronaUntil: null,
      lastTaskEndedAt: null,
      availableSince: at,
      changedAt: at,
    };
  }

  describe(`a refresh racing a reload of the same partition (${account.name})`, () => {
    /** Storage whose stamp queries can be held back, to order two checks as a loaded machine may. */
    class GatedStorage extends TableStorage {
      private held: { nth: number; release: Promise<void> } | null = null;
      private stampQueries = 0;
      /** Holds back the nth stamp query from now until `release` resolves. */
      hold(nth: number, release: Promise<void>) {
        this.stampQueries = 0;
        this.held = { nth, release };
      }
      override async client(logical: string): Promise<TableClientLike> {
        const client = await super.client(logical);
        const list = client.listEntities.bind(client);
        const gated = Object.create(client) as TableClientLike;
        gated.listEntities = ((options?: Parameters<TableClientLike['listEntities']>[0]) => {
          const filter = options?.queryOptions?.filter ?? '';
          const held = this.held;
          if (!filter.includes(STAMP_PREFIX) || !held || ++this.stampQueries !== held.nth)
            return list(options);
          const rows = list(options);
          return (async function* () {
            await held.release;
            yield* rows;
          })();
        }) as TableClientLike['listEntities'];
        return gated;
      }
    }

    it('says the rows changed when a concurrent reload brought another instance’s write in first', async () => {
      const prefix = uniquePrefix();
      const writer = instance(prefix).stores;
      const reader = new GatedStorage({
        account: account.account(),
        prefix,
        cacheMaxStalenessMs: 60_000,
      });
      const readerStores = createStores(reader);
      await writer.users.insert(user('Ada'));
      assert.equal((await readerStores.users.get(KEY))?.value.displayName, 'Ada');
      const other = { ...user('Grace'), id: asUserId('u2') };
      await writer.users.insert(other);
      // The second check's stamp query is answered only after the first check's reload.
      let release = () => {};
      reader.hold(2, new Promise<void>((r) => (release = r)));
      const first = reader.partitions.refresh(TENANCY_TABLE, T);
      const second = reader.partitions.refresh(TENANCY_TABLE, T);
      assert.equal(await first, true);
      release();
      assert.equal(
        await second,
        true,
        'the caller of the second refresh has not seen Grace yet: its view changed',
      );
      assert.equal(
        (await readerStores.users.get(userKey(T, asUserId('u2'))))?.value.displayName,
        'Grace',
      );
    });
  });

  describe(`a view taken before a step reads (${account.name})`, () => {
    it('has changed when a reload brought another instance’s write in after the step read', async () => {
      const prefix = uniquePrefix();
      const writer = instance(prefix).stores;
      const reader = instance(prefix).stores;
      await writer.users.insert(user('Ada'));
      const view = reader.view('tenancy', T);
      const read = await reader.users.get(KEY); // the step decides on this
      assert.equal(read?.value.displayName, 'Ada');
      await writer.users.replace(user('Ada Lovelace'), read?.etag ?? '');
      // Something else on the reader (a timer sweep, another request) reads the change in.
      assert.equal(await reader.refreshTenancy(T), true);
      // Checking the stamps now finds them as last read: only the view knows the step is behind.
      assert.equal(await reader.refreshTenancy(T), false);
      assert.equal(await view.changed(), true);
    });

    it('has not changed when nobody wrote since', async () => {
      const prefix = uniquePrefix();
      const writer = instance(prefix).stores;
      const reader = instance(prefix).stores;
      await writer.users.insert(user('Ada'));
      await reader.users.get(KEY);
      const view = reader.view('tenancy', T);
      await reader.users.get(KEY);
      assert.equal(await view.changed(), false);
    });

    it('counts as changed when the step read a partition this instance did not know yet', async () => {
      const prefix = uniquePrefix();
      await instance(prefix).stores.users.insert(user('Ada'));
      const reader = instance(prefix).stores;
      const view = reader.view('tenancy', T);
      await reader.users.get(KEY);
      assert.equal(await view.changed(), true);
    });
  });

  describe(`the partition cache with the change feed (${account.name})`, () => {
    /** An instance's stores, noting which of its reads asked the feed, and which the tenant's table (stamps or rows). */
    function noting(prefix: string, maxStalenessMs: number, quietCheckMs?: number) {
      const asked: ('table' | 'feed')[] = [];
      const storage = account.storage(prefix, {
        maxStalenessMs,
        ...(quietCheckMs !== undefined && { quietCheckMs }),
        onRequest: (method, url) => {
          if (method !== 'GET') return;
          asked.push(new URL(url).pathname.includes('Changes') ? 'feed' : 'table');
        },
      });
      return { stores: createStores(storage), asked };
    }

    it('reads nothing of a tenant nobody else announced: after the staleness bound only the feed', async () => {
      const prefix = uniquePrefix();
      const a = noting(prefix, 5);
      await a.stores.users.insert(user('Ada'));
      await a.stores.users.get(KEY);
      a.asked.length = 0;
      for (let i = 0; i < 3; i++) {
        await sleep(10); // past the 5 ms bound
        assert.equal((await a.stores.users.get(KEY))?.value.displayName, 'Ada');
      }
      assert.deepEqual(a.asked, ['feed', 'feed', 'feed']);
    });

    it('sees another instance’s write at the next read past the bound: announced, then checked', async () => {
      const prefix = uniquePrefix();
      const a = noting(prefix, 5);
      const b = noting(prefix, 5);
      await a.stores.users.insert(user('Ada'));
      assert.equal((await b.stores.users.get(KEY))?.value.displayName, 'Ada');
      await sleep(10);
      await b.stores.users.get(KEY);
      b.asked.length = 0;
      const row = await a.stores.users.get(KEY);
      assert.ok(row);
      await a.stores.users.replace(user('Ada Lovelace'), row.etag);
      await sleep(10);
      assert.equal((await b.stores.users.get(KEY))?.value.displayName, 'Ada Lovelace');
      assert.deepEqual(b.asked.slice(0, 2), ['feed', 'table'], 'the feed named the tenant');
    });

    it('still reads a quiet partition’s stamps every quietCheckMs', async () => {
      // Two instances, so no step depends on how fast this machine is: one whose stamps are
      // always within its quietCheckMs (10 s), one whose are always past it (1 ms).
      const prefix = uniquePrefix();
      const within = noting(prefix, 5, 10_000);
      const past = noting(prefix, 5, 1);
      await within.stores.users.insert(user('Ada'));
      for (const instance of [within, past]) {
        await instance.stores.users.get(KEY);
        instance.asked.length = 0;
      }
      await sleep(10); // past the 5 ms bound, and past 1 ms
      await within.stores.users.get(KEY);
      assert.deepEqual(within.asked.splice(0), ['feed']);
      await past.stores.users.get(KEY);
      assert.ok(past.asked.includes('table'), past.asked.join());
    });
  });
}
