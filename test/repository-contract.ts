import { strict as assert } from 'node:assert';
import { ConflictError } from '../core/store/conflict-error.js';
import type { TableKey, TableRepository } from '../core/store/table-repository.js';
import type { TableStorage } from '../core/store/table-storage.js';
import { uniquePrefix, type TestAccount } from './table-accounts.js';

export interface ContractSubject<T> {
  readonly name: string;
  readonly create: (storage: TableStorage) => TableRepository<T>;
  /** Builds a distinct value; `n` varies its key, `tenant` its partition. */
  readonly aValue: (n: number, tenant: string) => T;
  /** The same key with other data, as an update would write. */
  readonly changed: (value: T) => T;
  readonly keyOf: (value: T) => TableKey;
  /** False where the partition is the aggregate itself (one row per partition). */
  readonly manyPerPartition: boolean;
}

/**
 * The one contract every table repository keeps, run against Azurite (stores.int.test.ts)
 * and the in-memory tables (memory-tables.test.ts): round trip, insert-once, ETag-guarded
 * replace and delete, and partition (tenant) isolation; for a cached aggregate also when
 * it reads from the instance's partition cache.
 */
export function describeRepositoryContract<T>(
  subject: ContractSubject<T>,
  account: TestAccount,
): void {
  const storages: readonly (readonly [string, () => TableStorage])[] = [
    [`${account.name}, reading storage`, () => account.storage(uniquePrefix())],
    [
      `${account.name}, reading its partition cache`,
      () => account.storage(uniquePrefix(), { maxStalenessMs: 60_000 }),
    ],
  ];
  for (const [how, storage] of storages) describeContract(subject, how, storage);
}

function describeContract<T>(
  subject: ContractSubject<T>,
  how: string,
  storage: () => TableStorage,
): void {
  describe(`${subject.name} (repository contract, ${how})`, () => {
    let repo: TableRepository<T>;
    beforeEach(() => {
      repo = subject.create(storage());
    });

    it('returns undefined for a missing row', async () => {
      assert.equal(await repo.get(subject.keyOf(subject.aValue(1, 'tenant-a'))), undefined);
    });

    it('reads back exactly what it inserted, with an ETag', async () => {
      const value = subject.aValue(1, 'tenant-a');
      await repo.insert(value);
      const read = await repo.get(subject.keyOf(value));
      assert.deepEqual(read?.value, value);
      assert.ok(read?.etag);
    });

    it('refuses a second insert of the same key as a conflict', async () => {
      const value = subject.aValue(1, 'tenant-a');
      await repo.insert(value);
      await assert.rejects(repo.insert(subject.changed(value)), ConflictError);
      assert.deepEqual((await repo.get(subject.keyOf(value)))?.value, value);
    });

    it('replaces with the current ETag and refuses a stale one', async () => {
      const value = subject.aValue(1, 'tenant-a');
      const first = await repo.insert(value);
      const second = await repo.replace(subject.changed(value), first.etag);
      assert.notEqual(second.etag, first.etag);
      await assert.rejects(repo.replace(value, first.etag), ConflictError);
      assert.deepEqual((await repo.get(subject.keyOf(value)))?.value, subject.changed(value));
    });

    it('lets exactly one of two racing writers win', async () => {
      const value = subject.aValue(1, 'tenant-a');
      const { etag } = await repo.insert(value);
      const results = await Promise.allSettled([
        repo.replace(subject.changed(value), etag),
        repo.replace(subject.changed(value), etag),
      ]);
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      const lost = results.find((r) => r.status === 'rejected');
      assert.ok(lost?.status === 'rejected' && lost.reason instanceof ConflictError);
    });

    it('deletes only with the current ETag', async () => {
      const value = subject.aValue(1, 'tenant-a');
      const first = await repo.insert(value);
      const second = await repo.replace(subject.changed(value), first.etag);
      await assert.rejects(repo.delete(subject.keyOf(value), first.etag), ConflictError);
      await repo.delete(subject.keyOf(value), second.etag);
      assert.equal(await repo.get(subject.keyOf(value)), undefined);
    });

    if (subject.manyPerPartition) {
      it('lists one tenant partition and nothing of another tenant', async () => {
        await repo.insert(subject.aValue(1, 'tenant-a'));
        await repo.insert(subject.aValue(2, 'tenant-a'));
        await repo.insert(subject.aValue(3, 'tenant-b'));
        const listed = await repo.list('tenant-a');
        assert.deepEqual(
          listed.map((r) => subject.keyOf(r.value).rowKey).sort(),
          [subject.aValue(1, 'tenant-a'), subject.aValue(2, 'tenant-a')]
            .map((v) => subject.keyOf(v).rowKey)
            .sort(),
        );
      });
    }
  });
}
