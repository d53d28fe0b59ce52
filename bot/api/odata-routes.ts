import { z } from 'zod';
import type { AppDeps } from '../../core/app/app-deps.js';
import {
  accessOf,
  readFeed,
  type FeedCaller,
  type FeedPage,
} from '../../core/app/reporting/odata-feed.js';
import {
  createReportingKey,
  reportingKeyStatus,
  revokeReportingKey,
  type KeyStatus,
} from '../../core/app/reporting/reporting-keys.js';
import { FEED_ENTITIES, metadataDocument } from '../../core/domain/reporting/feed-entities.js';
import type { FeedRow } from '../../core/domain/reporting/feed-types.js';
import { asTenantId } from '../../core/domain/ids.js';
import { defineRoute, type ApiReply, type Route } from '../http/route.js';
import { RefusalError, reply } from '../http/refusal-error.js';
import { tenantParams } from './api-schemas.js';

const ROOT = '/reporting/odata';
const ODATA_HEADERS = { 'OData-Version': '4.0' };

/** The system query options, documented; other parameters pass (the key is one). */
const feedQuery = z
  .object({
    $filter: z
      .string()
      .optional()
      .describe(
        'eq ne gt ge lt le, in, and or not, contains startswith endswith; dates as 2026-12-01T00:00:00Z',
      ),
    $select: z.string().optional().describe('Properties, comma-separated'),
    $orderby: z.string().optional().describe('Properties, each asc or desc'),
    $top: z.string().optional().describe('At most this many rows, over all pages'),
    $skip: z.string().optional().describe('Skip this many rows first'),
    $count: z.string().optional().describe('true: @odata.count, every row the filter matches'),
    $skiptoken: z.string().optional().describe('Where a page ended (from @odata.nextLink)'),
    $format: z.string().optional().describe('json (the only format)'),
    'api-key': z.string().optional().describe('The tenant’s reporting key'),
  })
  .catchall(z.string());

const setParams = z.object({ entitySet: z.string().max(100) });

const iso = (ms: number) => new Date(ms).toISOString();

/** A row in the feed's JSON: DateTimeOffsets as ISO 8601 text. */
function jsonRow(page: FeedPage, row: FeedRow): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row))
    out[name] =
      page.entity.properties[name]?.type === 'Edm.DateTimeOffset' && typeof value === 'number'
        ? iso(value)
        : value;
  return out;
}

function pageReply(page: FeedPage, origin: string): ApiReply {
  const base = `${origin}/api/v1${ROOT}`;
  const context = `${base}/$metadata#${page.entity.set}${page.select ? `(${page.select.join(',')})` : ''}`;
  return {
    status: 200,
    headers: ODATA_HEADERS,
    body: {
      '@odata.context': context,
      ...(page.count !== null && { '@odata.count': page.count }),
      value: page.rows.map((row) => jsonRow(page, row)),
      ...(page.next && {
        '@odata.nextLink': `${base}/${page.entity.set}?${new URLSearchParams(page.next).toString()}`,
      }),
    },
  };
}

const serviceDocument = (origin: string): ApiReply => ({
  status: 200,
  headers: ODATA_HEADERS,
  body: {
    '@odata.context': `${origin}/api/v1${ROOT}/$metadata`,
    value: FEED_ENTITIES.map((e) => ({ name: e.set, kind: 'EntitySet', url: e.set })),
  },
});

const keyView = (k: KeyStatus) => ({
  exists: k.exists,
  hint: k.hint,
  createdAt: k.createdAt === null ? null : iso(k.createdAt),
  createdBy: k.createdBy,
});

/** Checks the caller before answering what is the same for every tenant. */
async function checked(deps: AppDeps, caller: FeedCaller, answer: ApiReply) {
  const access = await accessOf(deps, caller);
  if (!access.ok) throw new RefusalError(access.refusal);
  return answer;
}

/**
 * The reporting feed for Power BI (OData v4, issue #21): the service document, `$metadata`,
 * and the entity sets, paged by `@odata.nextLink`; and the tenant admins' reporting key.
 */
export function odataRoutes(deps: AppDeps, pageSize: number): Route[] {
  const feed = (set: string, raw: Record<string, string | undefined>, caller: FeedCaller) =>
    readFeed(
      deps,
      caller,
      set,
      Object.fromEntries(
        Object.entries(raw).filter((e): e is [string, string] => e[1] !== undefined),
      ),
      pageSize,
    );
  return [
    defineRoute({
      method: 'GET',
      path: ROOT,
      summary: 'The reporting feed’s OData v4 service document: its entity sets',
      tags: ['reporting'],
      auth: 'reporting',
      query: feedQuery,
      success: {
        status: 200,
        description: '{"@odata.context", "value": [{"name", "kind", "url"}]}',
      },
      handle: async ({ caller, origin }) => checked(deps, caller, serviceDocument(origin)),
    }),
    defineRoute({
      method: 'GET',
      path: `${ROOT}/$metadata`,
      summary: 'The reporting feed’s OData v4 metadata (CSDL XML): entity types and sets',
      tags: ['reporting'],
      auth: 'reporting',
      query: feedQuery,
      success: { status: 200, description: 'application/xml: an edmx:Edmx document, OData 4.0' },
      handle: async ({ caller }) =>
        checked(deps, caller, {
          status: 200,
          headers: { ...ODATA_HEADERS, 'Content-Type': 'application/xml' },
          body: metadataDocument(),
        }),
    }),
    defineRoute({
      method: 'GET',
      path: `${ROOT}/{entitySet}`,
      summary: `An entity set of the reporting feed (${FEED_ENTITIES.map((e) => e.set).join(', ')}), one page`,
      tags: ['reporting'],
      auth: 'reporting',
      params: setParams,
      query: feedQuery,
      success: {
        status: 200,
        description:
          '{"@odata.context", "@odata.count" (with $count=true), "value": [rows], "@odata.nextLink" (while more rows follow)}; pseudonymous customer ids without "share PII", identifiers masked with * for a partner’s admins unless the tenant allows them',
      },
      handle: async ({ params, query, caller, origin }) => {
        // The root with its trailing slash, as Power BI may be given it.
        if (params.entitySet === '') return checked(deps, caller, serviceDocument(origin));
        const page = await feed(params.entitySet, query, caller);
        if (!page.ok) throw new RefusalError(page.refusal);
        return pageReply(page.value, origin);
      },
    }),
    defineRoute({
      method: 'GET',
      path: `${ROOT}/{entitySet}/$count`,
      summary: 'How many rows of an entity set the filter matches, as plain text',
      tags: ['reporting'],
      auth: 'reporting',
      params: setParams,
      query: feedQuery,
      success: { status: 200, description: 'text/plain: a number' },
      handle: async ({ params, query, caller }) => {
        const page = await feed(params.entitySet, { ...query, $top: '0', $count: 'true' }, caller);
        if (!page.ok) throw new RefusalError(page.refusal);
        return {
          status: 200,
          headers: { ...ODATA_HEADERS, 'Content-Type': 'text/plain' },
          body: String(page.value.count),
        };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/tenants/{tenantId}/reporting-key',
      summary: 'Whether the tenant has a reporting key, and which (never the key)',
      tags: ['reporting'],
      auth: 'token',
      params: tenantParams,
      success: {
        status: 200,
        description: '{"exists", "hint" (its last 4 characters), "createdAt", "createdBy"}',
      },
      handle: async ({ params, principal }) =>
        reply(await reportingKeyStatus(deps, principal, asTenantId(params.tenantId)), keyView),
    }),
    defineRoute({
      method: 'POST',
      path: '/tenants/{tenantId}/reporting-key',
      summary:
        'Makes a new reporting key in place of the old one (which stops working), shown this once (tenant admins)',
      tags: ['reporting'],
      auth: 'token',
      params: tenantParams,
      success: { status: 201, description: '{"key", "exists", "hint", "createdAt", "createdBy"}' },
      handle: async ({ params, principal }) =>
        reply(
          await createReportingKey(deps, principal, asTenantId(params.tenantId)),
          (k) => ({ key: k.key, ...keyView(k) }),
          201,
        ),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/tenants/{tenantId}/reporting-key',
      summary: 'Revokes the reporting key: the feed refuses it from now on (tenant admins)',
      tags: ['reporting'],
      auth: 'token',
      params: tenantParams,
      success: { status: 200, description: '{"exists": false, …}' },
      handle: async ({ params, principal }) =>
        reply(await revokeReportingKey(deps, principal, asTenantId(params.tenantId)), keyView),
    }),
  ];
}
