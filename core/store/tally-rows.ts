import { z } from 'zod';
import { asServiceId, type ServiceId, type TenantId } from '../domain/ids.js';
import { instantOf, type Instant } from '../domain/instant.js';
import { addTallies, type QuarterCounts, type Tally } from '../domain/reporting/tally.js';
import { chunkedJson, joinedJson, jsonColumn } from './json-column.js';
import { partitionOwner, ROUTING_TABLE, routingPartition } from './routing-rows.js';
import { serviceShard, shardsOf } from '../domain/routing/task-id.js';
import { TableRepository, type EntityMapping, type TableKey } from './table-repository.js';
import type { TableStorage } from './table-storage.js';

/**
 * What a service's tasks (or, with no service, all the tenant's) of one quarter hour or
 * one UTC day add up to (see BucketTally).
 */
export interface TallyRecord {
  readonly tenantId: TenantId;
  /** The service, or null for the whole tenant. */
  readonly serviceId: ServiceId | null;
  readonly span: TallySpan;
  /** The quarter hour's or the day's first instant. */
  readonly start: Instant;
  readonly tally: Tally;
  /** A day's counts per quarter (by its number in the day). */
  readonly quarters?: Readonly<Record<string, QuarterCounts>>;
  /**
   * The routing shard whose steps it counts (a tenant of several shards folds each shard's
   * marks into tallies of that shard, in one transaction with them). Absent, 0.
   */
  readonly shard?: number;
}

export type TallySpan = 'quarter' | 'day';

const durations = z.object({
  count: z.number(),
  totalMs: z.number(),
  bins: z.record(z.string(), z.number()),
});
const tallySchema = z.object({
  offered: z.number(),
  accepted: z.number(),
  abandoned: z.number(),
  missed: z.number(),
  withdrawn: z.number(),
  wait: durations,
  handle: durations,
  acw: durations,
  people: z.record(
    z.string(),
    z.object({ accepted: z.number(), missed: z.number(), handle: durations }),
  ),
}) satisfies z.ZodType<Tally>;

const PREFIX = 'agg:';

const counts = z.object({ offered: z.number(), accepted: z.number(), abandoned: z.number() });
const row = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  serviceId: z.string(),
  start: z.number(),
  quarters: jsonColumn(z.record(z.string(), counts)).optional(),
});

/**
 * `agg:s:{service}:{start}` for a service's quarter, `agg:t:{start}` for the tenant's
 * (start in 13 digits); `agg:sd:` and `agg:td:` for days.
 */
const rowKeyOf = (serviceId: ServiceId | null, span: TallySpan, start: number) =>
  `${PREFIX}${serviceId === null ? 't' : 's'}${span === 'day' ? 'd' : ''}:${serviceId === null ? '' : `${serviceId}:`}${String(start).padStart(13, '0')}`;

export type TallyKey = Pick<TallyRecord, 'tenantId' | 'serviceId' | 'span' | 'start' | 'shard'>;

export const tallyKey = (r: TallyKey): TableKey => ({
  partitionKey: routingPartition(r.tenantId, r.shard ?? 0),
  rowKey: rowKeyOf(r.serviceId, r.span, r.start),
});

const tallyMapping: EntityMapping<TallyRecord> = {
  table: ROUTING_TABLE,
  rowPrefix: PREFIX,
  keyOf: tallyKey,
  toEntity: (r) => {
    const chunks = chunkedJson('tally', JSON.stringify(r.tally));
    return {
      serviceId: r.serviceId ?? '',
      start: r.start,
      ...chunks,
      ...(r.quarters && { quarters: JSON.stringify(r.quarters) }),
    };
  },
  fromEntity: (entity) => {
    const r = row.parse(entity);
    const json = joinedJson(entity, 'tally');
    const { tenantId, shard } = partitionOwner(r.partitionKey);
    return {
      tenantId,
      ...(shard > 0 && { shard }),
      serviceId: r.serviceId ? asServiceId(r.serviceId) : null,
      span: r.quarters ? 'day' : 'quarter',
      start: instantOf(r.start),
      tally: tallySchema.parse(JSON.parse(json)),
      ...(r.quarters && { quarters: r.quarters }),
    };
  },
};

/**
 * Reporting's tallies, a row per quarter hour per service and per tenant, in the tenant's
 * routing partition, so counting a step and unmarking it commit together. Not cached.
 */
/**
 * Tallies of one key read from several shards, as one: their counts added (a tenant's
 * tallies, and a service's, lie in the shards whose steps they count).
 */
function merged(records: readonly TallyRecord[]): TallyRecord[] {
  const byKey = new Map<string, TallyRecord>();
  for (const { shard: _shard, ...record } of records) {
    const key = rowKeyOf(record.serviceId, record.span, record.start);
    const held = byKey.get(key);
    if (!held) {
      byKey.set(key, record);
      continue;
    }
    const quarters: Record<string, QuarterCounts> = { ...held.quarters };
    for (const [index, q] of Object.entries(record.quarters ?? {})) {
      const was = quarters[index] ?? { offered: 0, accepted: 0, abandoned: 0 };
      quarters[index] = {
        offered: was.offered + q.offered,
        accepted: was.accepted + q.accepted,
        abandoned: was.abandoned + q.abandoned,
      };
    }
    byKey.set(key, {
      ...held,
      tally: addTallies(held.tally, record.tally),
      ...(held.quarters && { quarters }),
    });
  }
  return [...byKey.values()].sort((a, b) => a.start - b.start);
}

/**
 * `shards(tenantId)`: the shards whose tallies a read gathers (see tallies' `shard`): a
 * service's in its own shard and shard 0 (after-call work's end, a person's step), the
 * tenant's in every shard.
 */
export function createTallyStore(
  storage: TableStorage,
  shards: (tenantId: TenantId) => Promise<number> = () => Promise.resolve(1),
) {
  const repository = new TableRepository(storage, tallyMapping);
  const range = (serviceId: ServiceId | null, span: TallySpan, from: number, to: number) =>
    `RowKey ge '${rowKeyOf(serviceId, span, from)}' and RowKey lt '${rowKeyOf(serviceId, span, to)}'`;
  const partitions = async (tenantId: TenantId, serviceId: ServiceId | null) => {
    const count = await shards(tenantId);
    const of =
      count <= 1 ? [0] : serviceId === null ? shardsOf(count) : [0, serviceShard(serviceId, count)];
    return of.map((shard) => routingPartition(tenantId, shard));
  };
  const read = async (partitionKeys: readonly string[], filter: string) =>
    (await Promise.all(partitionKeys.map((p) => repository.list(p, '', filter)))).flatMap((rows) =>
      rows.map((r) => r.value),
    );
  return {
    get: (key: TallyKey) => repository.get(tallyKey(key)),
    insertOp: (record: TallyRecord) => repository.insertOp(record),
    replaceOp: (record: TallyRecord, etag: string) => repository.replaceOp(record, etag),
    deleteOp: (key: TableKey) => repository.deleteOp(key),
    /**
     * A service's (or, with null, the tenant's) quarters (or days) from `from` up to `to`,
     * in order (gathered from every shard that counts them).
     */
    between: async (
      tenantId: TenantId,
      serviceId: ServiceId | null,
      from: number,
      to: number,
      span: TallySpan = 'quarter',
    ) => {
      const records = await read(
        await partitions(tenantId, serviceId),
        range(serviceId, span, from, to),
      );
      return records.length && (await shards(tenantId)) > 1 ? merged(records) : records;
    },
    /** Every quarter that began before `before`, in every shard, as kept (for the retention purge). */
    before: async (tenantId: TenantId, before: number) =>
      read(await partitions(tenantId, null), `start lt ${before}`),
  };
}

export type TallyStore = ReturnType<typeof createTallyStore>;
