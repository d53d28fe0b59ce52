import { createHmac } from 'node:crypto';
import { mayAdministerOu } from '../../domain/access.js';
import { isAdmin, isTenantAdmin, type Identity } from '../../domain/actor.js';
import type { TenantId } from '../../domain/ids.js';
import { entityOfSet } from '../../domain/reporting/feed-entities.js';
import {
  compareSortValues,
  inKeyOrder,
  parseFeedQuery,
  skipToken,
  sortValues,
  type FeedQuery,
} from '../../domain/reporting/feed-query.js';
import { feedPrivacy, type FeedReader } from '../../domain/reporting/feed-rows.js';
import {
  FeedQueryError,
  type FeedEntity,
  type FeedRow,
  type FeedValue,
} from '../../domain/reporting/feed-types.js';
import {
  allow,
  forbidden,
  invalid,
  notFound,
  refuse,
  type Decision,
} from '../../domain/refusal.js';
import { inactivityReason, type Tenant } from '../../domain/tenant.js';
import { tenantKey } from '../../store/table-tenant-store.js';
import type { AppDeps } from '../app-deps.js';
import { loadTree } from '../directory-admin.js';
import { resolveActor } from '../resolve-actor.js';
import { feedSource, type FeedScope, type FeedSource } from './feed-sources.js';

/** Who reads the feed: a signed-in person (Entra token), or a tenant's reporting key. */
export type FeedCaller =
  | { readonly kind: 'token'; readonly identity: Identity }
  | { readonly kind: 'key'; readonly tenantId: TenantId };

interface FeedAccess {
  readonly tenant: Tenant;
  readonly reader: FeedReader;
  readonly scope: FeedScope;
}

/** One page of an entity set, as the feed answers it. */
export interface FeedPage {
  readonly entity: FeedEntity;
  /** The rows with the selected properties (DateTimeOffsets as milliseconds). */
  readonly rows: readonly FeedRow[];
  /** Every row the filter matches, when `$count=true` asked for it. */
  readonly count: number | null;
  /** The query options of the next page's link; null on the last page. */
  readonly next: Readonly<Record<string, string>> | null;
  readonly select: readonly string[] | null;
}

const EVERYTHING: FeedScope = { services: null, users: null };

/**
 * Tenant admins read the whole tenant (a partner's admins too, with identifiers as the
 * tenant allows), OU admins their units' services and people; a reporting key reads as the
 * tenant's admins do. Others are refused.
 */
export async function accessOf(deps: AppDeps, caller: FeedCaller): Promise<Decision<FeedAccess>> {
  if (caller.kind === 'key') {
    const row = await deps.stores.tenants.get(tenantKey(caller.tenantId));
    if (!row) return refuse(notFound('The tenant'));
    const inactive = inactivityReason(row.value);
    if (inactive) return refuse({ code: 'tenant_inactive', message: inactive });
    return allow({ tenant: row.value, reader: 'tenant', scope: EVERYTHING });
  }
  const { identity } = caller;
  if (identity.kind !== 'user')
    return refuse(forbidden('The feed reads one tenant: sign in as its admin, or use its key.'));
  const access = await resolveActor(deps, identity, identity.tenantId);
  if (!access.ok) return access;
  const { actor, tenant } = access.value;
  if (!isAdmin(actor))
    return refuse(forbidden('Only admins, or a tenant’s reporting key, read the reporting feed.'));
  const reader: FeedReader = actor.kind === 'user' && actor.partner ? 'partner' : 'tenant';
  if (isTenantAdmin(actor)) return allow({ tenant: tenant.value, reader, scope: EVERYTHING });
  const tree = await loadTree(deps, identity.tenantId);
  const [services, users] = await Promise.all([
    deps.stores.services.list(identity.tenantId),
    deps.stores.users.list(identity.tenantId),
  ]);
  const within = (ouId: Parameters<typeof tree.isWithin>[0]) =>
    mayAdministerOu(actor, ouId, tree) === null;
  return allow({
    tenant: tenant.value,
    reader,
    scope: {
      services: new Set(services.filter((s) => within(s.value.ouId)).map((s) => s.value.id)),
      users: new Set(users.filter((u) => within(u.value.ouId)).map((u) => u.value.id)),
    },
  });
}

/**
 * One page of an entity set of the caller's tenant: filtered, ordered, paged by
 * `$skiptoken` (where the last page ended, so rows written meanwhile neither repeat nor
 * slip), at most `pageSize` rows. In key order a page starts in storage where the last
 * ended; any other order reads the set whole.
 */
export async function readFeed(
  deps: AppDeps,
  caller: FeedCaller,
  set: string,
  raw: Readonly<Record<string, string>>,
  pageSize: number,
): Promise<Decision<FeedPage>> {
  const entity = entityOfSet(set);
  if (!entity) return refuse(notFound(`The entity set ${set}`));
  let query: FeedQuery;
  try {
    query = parseFeedQuery(raw, entity);
  } catch (error) {
    if (error instanceof FeedQueryError)
      return refuse(invalid([{ field: error.option, message: error.message }]));
    throw error;
  }
  const access = await accessOf(deps, caller);
  if (!access.ok) return access;
  const { tenant, reader, scope } = access.value;
  const salt = await deps.stores.secrets.get(tenant.id, 'pseudonyms');
  const pseudonym = (value: string) =>
    createHmac('sha256', salt).update(value).digest('hex').slice(0, 16);
  const privacy = feedPrivacy(tenant.settings.dataPrivacy, reader, pseudonym);
  const source = feedSource(deps, set, tenant.id, privacy, scope);
  const limit = Math.min(pageSize, query.top ?? Infinity);
  const { rows, more } =
    source.keyOrdered && inKeyOrder(query, entity)
      ? await pageInKeyOrder(source, query, entity, limit)
      : await pageSorted(source, query, entity, limit);
  const last = rows.at(-1);
  const remaining = query.top === null ? null : query.top - rows.length;
  const next =
    more && last && (remaining === null || remaining > 0)
      ? nextOptions(query, remaining, sortValues(last, query, entity))
      : null;
  return allow({
    entity,
    rows: rows.map((row) => selected(row, query.select)),
    count: query.count ? await countOf(source, query) : null,
    next,
    select: query.select,
  });
}

const matches = (query: FeedQuery, row: FeedRow) => query.filter?.(row) ?? true;

async function pageInKeyOrder(
  source: FeedSource,
  query: FeedQuery,
  entity: FeedEntity,
  limit: number,
) {
  const after = query.after;
  const fromKey = after === null ? undefined : String(after.at(-1));
  const rows: FeedRow[] = [];
  let skipped = 0;
  for await (const row of source.rows(fromKey)) {
    if (after && compareSortValues(sortValues(row, query, entity), after, query) <= 0) continue;
    if (!matches(query, row)) continue;
    if (!after && skipped < query.skip) {
      skipped++;
      continue;
    }
    if (rows.length === limit) return { rows, more: true };
    rows.push(row);
  }
  return { rows, more: false };
}

async function pageSorted(source: FeedSource, query: FeedQuery, entity: FeedEntity, limit: number) {
  const all: { row: FeedRow; at: FeedValue[] }[] = [];
  for await (const row of source.rows())
    if (matches(query, row)) all.push({ row, at: sortValues(row, query, entity) });
  all.sort((a, b) => compareSortValues(a.at, b.at, query));
  const after = query.after;
  const start = after
    ? all.findIndex((x) => compareSortValues(x.at, after, query) > 0)
    : Math.min(query.skip, all.length);
  const from = start === -1 ? all.length : start;
  return {
    rows: all.slice(from, from + limit).map((x) => x.row),
    more: all.length > from + limit,
  };
}

async function countOf(source: FeedSource, query: FeedQuery): Promise<number> {
  let count = 0;
  for await (const row of source.rows()) if (matches(query, row)) count++;
  return count;
}

function nextOptions(
  query: FeedQuery,
  remaining: number | null,
  last: readonly FeedValue[],
): Record<string, string> {
  const options: Record<string, string> = {};
  for (const name of ['$filter', '$select', '$orderby', '$count', '$format'])
    if (query.raw[name] !== undefined) options[name] = query.raw[name];
  if (remaining !== null) options.$top = String(remaining);
  options.$skiptoken = skipToken(last);
  return options;
}

function selected(row: FeedRow, select: readonly string[] | null): FeedRow {
  if (select === null) return row;
  return Object.fromEntries(select.map((name) => [name, row[name] ?? null]));
}
