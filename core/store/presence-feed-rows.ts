import { z } from 'zod';
import { asTenantId, asUserId, type TenantId } from '../domain/ids.js';
import { instantOf } from '../domain/instant.js';
import type { PresenceFeedState } from '../domain/presence-feed.js';
import { jsonColumn } from './json-column.js';
import { ROUTING_TABLE } from './routing-rows.js';
import { TableRepository, type EntityMapping, type TableKey } from './table-repository.js';
import type { TableStorage } from './table-storage.js';

/** One row per tenant, not kept in memory: notifications read it on every instance. */
export const presenceFeedKey = (tenantId: TenantId): TableKey => ({
  partitionKey: tenantId,
  rowKey: 'feed:presence',
});

const subscriptions = z.array(
  z.object({ id: z.string(), userIds: z.array(z.string()), expiresAt: z.number() }),
);

const feedRow = z.object({
  partitionKey: z.string(),
  clientState: z.string(),
  subscriptions: jsonColumn(subscriptions),
  lastUpdateAt: z.number().nullish(),
  lastPollAt: z.number().nullish(),
  pollAsked: z.number().nullish(),
  problem: z.string().nullish(),
  readProblem: z.string().nullish(),
  retrySubscribeAt: z.number().nullish(),
  lastRosterAt: z.number().nullish(),
  rosterProblem: z.string().nullish(),
});

const orNull = (v: number | null | undefined) => (v == null ? null : instantOf(v));

const feedMapping: EntityMapping<PresenceFeedState> = {
  table: ROUTING_TABLE,
  rowPrefix: 'feed:',
  keyOf: (f) => presenceFeedKey(f.tenantId),
  toEntity: (f) => ({
    clientState: f.clientState,
    subscriptions: JSON.stringify(f.subscriptions),
    lastUpdateAt: f.lastUpdateAt,
    lastPollAt: f.lastPollAt,
    pollAsked: f.pollAsked ?? 0,
    problem: f.problem,
    readProblem: f.readProblem,
    retrySubscribeAt: f.retrySubscribeAt,
    lastRosterAt: f.lastRosterAt,
    rosterProblem: f.rosterProblem,
  }),
  fromEntity: (entity) => {
    const r = feedRow.parse(entity);
    return {
      tenantId: asTenantId(r.partitionKey),
      clientState: r.clientState,
      subscriptions: r.subscriptions.map((s) => ({
        id: s.id,
        userIds: s.userIds.map(asUserId),
        expiresAt: instantOf(s.expiresAt),
      })),
      lastUpdateAt: orNull(r.lastUpdateAt),
      lastPollAt: orNull(r.lastPollAt),
      pollAsked: r.pollAsked ?? 0,
      problem: r.problem ?? null,
      readProblem: r.readProblem ?? null,
      retrySubscribeAt: orNull(r.retrySubscribeAt),
      lastRosterAt: orNull(r.lastRosterAt),
      rosterProblem: r.rosterProblem ?? null,
    };
  },
};

export const createPresenceFeedStore = (storage: TableStorage) =>
  new TableRepository(storage, feedMapping);

export type PresenceFeedStore = ReturnType<typeof createPresenceFeedStore>;
