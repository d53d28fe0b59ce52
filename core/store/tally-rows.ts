import { z } from 'zod';
import { asServiceId, asTenantId, type ServiceId, type TenantId } from '../domain/ids.js';
import { instantOf, type Instant } from '../domain/instant.js';
import type { QuarterCounts, Tally } from '../domain/reporting/tally.js';
import { chunkedJson, joinedJson, jsonColumn } from './json-column.js';
import { ROUTING_TABLE } from './routing-rows.js';
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

export type TallyKey = Pick<TallyRecord, 'tenantId' | 'serviceId' | 'span' | 'start'>;

export const tallyKey = (r: TallyKey): TableKey => ({
  partitionKey: r.tenantId,
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
    return {
      tenantId: asTenantId(r.partitionKey),
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
export function createTallyStore(storage: TableStorage) {
  const repository = new TableRepository(storage, tallyMapping);
  const range = (serviceId: ServiceId | null, span: TallySpan, from: number, to: number) =>
    `RowKey ge '${rowKeyOf(serviceId, span, from)}' and RowKey lt '${rowKeyOf(serviceId, span, to)}'`;
  return {
    get: (key: TallyKey) => repository.get(tallyKey(key)),
    insertOp: (record: TallyRecord) => repository.insertOp(record),
    replaceOp: (record: TallyRecord, etag: string) => repository.replaceOp(record, etag),
    deleteOp: (key: TableKey) => repository.deleteOp(key),
    /**
     * A service's (or, with null, the tenant's) quarters (or days) from `from` up to `to`,
     * in order.
     */
    between: async (
      tenantId: TenantId,
      serviceId: ServiceId | null,
      from: number,
      to: number,
      span: TallySpan = 'quarter',
    ) =>
      (await repository.list(tenantId, '', range(serviceId, span, from, to))).map((r) => r.value),
    /** Every quarter that began before `before` (for the retention purge). */
    before: async (tenantId: TenantId, before: number) =>
      (await repository.list(tenantId, '', `start lt ${before}`)).map((r) => r.value),
  };
}

export type TallyStore = ReturnType<typeof createTallyStore>;
