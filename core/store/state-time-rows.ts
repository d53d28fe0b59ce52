import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  asServiceId,
  asTenantId,
  asUserId,
  type ServiceId,
  type TenantId,
  type UserId,
} from '../domain/ids.js';
import { instantOf, type Instant } from '../domain/instant.js';
import type { DayTimes } from '../domain/reporting/time-in-state.js';
import type { PersonState } from '../domain/reporting/user-states.js';
import { chunkedJson, joinedJson, jsonColumn } from './json-column.js';
import { ROUTING_TABLE } from './routing-rows.js';
import { TableRepository, type EntityMapping, type TableKey } from './table-repository.js';
import type { TableStorage } from './table-storage.js';
import type { WriteOp } from './table-transaction.js';
import type { UserStateRecord } from './user-state-rows.js';
import { personStateSchema, userStateMapping } from './user-state-rows.js';

/** Where counting a person's time stands: their state since `at`, Active per service then. */
export interface StateTimeMark {
  readonly tenantId: TenantId;
  readonly userId: UserId;
  readonly at: Instant;
  readonly state: PersonState;
  readonly active: Readonly<Record<string, boolean>>;
}

/**
 * Some people's time Active and available in a service on a UTC day, by quarter: a day's
 * people are kept in a few rows (by a hash of their id), so a month of a service is a few
 * hundred rows to read, not one per person and day.
 */
export interface DayTimesRecord {
  readonly tenantId: TenantId;
  readonly serviceId: ServiceId;
  readonly day: Instant;
  readonly shard: number;
  readonly people: Readonly<Record<string, DayTimes>>;
}

/** How many rows a service's day spreads its people over. */
export const DAY_SHARDS = 8;

/** The row of a service's day that holds a person. */
export const shardOf = (userId: UserId): number =>
  createHash('sha256').update(userId).digest().readUInt8(0) % DAY_SHARDS;

const LAST = 'ulast:';
const lastRow = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  at: z.number(),
  state: jsonColumn(personStateSchema),
  active: jsonColumn(z.record(z.string(), z.boolean())),
});
export const stateTimeMarkKey = (tenantId: TenantId, userId: UserId): TableKey => ({
  partitionKey: tenantId,
  rowKey: `${LAST}${userId}`,
});
const lastMapping: EntityMapping<StateTimeMark> = {
  table: ROUTING_TABLE,
  rowPrefix: LAST,
  keyOf: (m) => stateTimeMarkKey(m.tenantId, m.userId),
  toEntity: (m) => ({
    at: m.at,
    state: JSON.stringify(m.state),
    active: JSON.stringify(m.active),
  }),
  fromEntity: (entity) => {
    const r = lastRow.parse(entity);
    return {
      tenantId: asTenantId(r.partitionKey),
      userId: asUserId(r.rowKey.slice(LAST.length)),
      at: instantOf(r.at),
      state: r.state,
      active: r.active,
    };
  },
};

const TIMES = 'utime:';
const peopleSchema = z.record(z.string(), z.record(z.string(), z.tuple([z.number(), z.number()])));
const timesRow = z.object({ partitionKey: z.string(), rowKey: z.string(), day: z.number() });
const dayPart = (day: number) => String(day).padStart(13, '0');
/** `utime:{service}:{day, 13 digits}:{shard}`: a service's days in order. */
export const dayTimesKey = (r: Omit<DayTimesRecord, 'people'>): TableKey => ({
  partitionKey: r.tenantId,
  rowKey: `${TIMES}${r.serviceId}:${dayPart(r.day)}:${r.shard}`,
});
const timesMapping: EntityMapping<DayTimesRecord> = {
  table: ROUTING_TABLE,
  rowPrefix: TIMES,
  keyOf: dayTimesKey,
  toEntity: (r) => ({ day: r.day, ...chunkedJson('people', JSON.stringify(r.people)) }),
  fromEntity: (entity) => {
    const r = timesRow.parse(entity);
    const [serviceId = '', , shard = '0'] = r.rowKey.slice(TIMES.length).split(':');
    return {
      tenantId: asTenantId(r.partitionKey),
      serviceId: asServiceId(serviceId),
      day: instantOf(r.day),
      shard: Number(shard),
      people: peopleSchema.parse(JSON.parse(joinedJson(entity, 'people'))),
    };
  },
};

/**
 * Counting people's time in states: a mark (`ufold:`) beside each kept change of a
 * person's routing state, written in its transaction; where counting stands per person
 * (`ulast:`); and what it counted (`utime:`), all in the tenant's routing partition, so a
 * change counted, its mark deleted and the person's standing moved commit together. Not
 * cached.
 */
export function createStateTimeStore(storage: TableStorage) {
  const marks = new TableRepository(storage, userStateMapping(ROUTING_TABLE, 'ufold:'));
  const last = new TableRepository(storage, lastMapping);
  const times = new TableRepository(storage, timesMapping);
  return {
    /** Marks a kept change for counting, in its transaction. */
    markOp: (record: UserStateRecord): WriteOp => marks.insertOp(record),
    /** Unmarks a change counted, in the transaction that counts it. */
    unmarkOp: (record: UserStateRecord): WriteOp => marks.deleteOp(marks.keyOf(record)),
    /** Changes not counted yet (everyone's, or one person's), by person and time. */
    pending: async (tenantId: TenantId, userId?: UserId) =>
      (await marks.list(tenantId, userId === undefined ? '' : `${userId}:`)).map((r) => r.value),
    standing: (tenantId: TenantId, userId: UserId) => last.get(stateTimeMarkKey(tenantId, userId)),
    /** Where counting stands for everyone. */
    standings: async (tenantId: TenantId) => (await last.list(tenantId)).map((r) => r.value),
    putStandingOp: (mark: StateTimeMark, etag: string | undefined): WriteOp =>
      etag ? last.replaceOp(mark, etag) : last.insertOp(mark),
    day: (key: Omit<DayTimesRecord, 'people'>) => times.get(dayTimesKey(key)),
    putDayOp: (record: DayTimesRecord, etag: string | undefined): WriteOp =>
      etag ? times.replaceOp(record, etag) : times.insertOp(record),
    /** A service's days from `from` up to `to` (first instants of UTC days). */
    days: async (tenantId: TenantId, serviceId: ServiceId, from: number, to: number) =>
      (
        await times.list(
          tenantId,
          '',
          `RowKey ge '${TIMES}${serviceId}:${dayPart(from)}:' and RowKey lt '${TIMES}${serviceId}:${dayPart(to)}:'`,
        )
      ).map((r) => r.value),
    /** Days that began before a time (for the retention purge). */
    daysBefore: async (tenantId: TenantId, cutoff: number) =>
      (await times.list(tenantId, '', `day lt ${cutoff}`)).map((r) => r.value),
    deleteDayOp: (record: DayTimesRecord): WriteOp => times.deleteOp(dayTimesKey(record)),
  };
}

export type StateTimeStore = ReturnType<typeof createStateTimeStore>;
