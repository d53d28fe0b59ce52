import { parseFilter, type Predicate } from './feed-filter.js';
import {
  compareValues,
  FeedQueryError,
  type FeedEntity,
  type FeedRow,
  type FeedValue,
} from './feed-types.js';

export interface OrderBy {
  readonly property: string;
  readonly descending: boolean;
}

/** A feed request's system query options, checked against its entity set. */
export interface FeedQuery {
  readonly filter: Predicate | null;
  /** The properties to return (all when null). */
  readonly select: readonly string[] | null;
  /** The order asked for; the key always breaks ties last. */
  readonly orderBy: readonly OrderBy[];
  readonly top: number | null;
  readonly skip: number;
  readonly count: boolean;
  /** Where the previous page ended (its last row's sort values), from `$skiptoken`. */
  readonly after: readonly FeedValue[] | null;
  /** The options as given, for the next page's link. */
  readonly raw: Readonly<Record<string, string>>;
}

const UNSUPPORTED = ['$expand', '$search', '$apply', '$compute', '$levels', '$index'];
const KNOWN = [
  '$filter',
  '$select',
  '$orderby',
  '$top',
  '$skip',
  '$count',
  '$skiptoken',
  '$format',
];
const MAX_ORDER = 10;

function wholeNumber(option: string, text: string): number {
  if (!/^\d{1,9}$/.test(text))
    throw new FeedQueryError(option, `${option} takes a whole number from 0, not "${text}".`);
  return Number(text);
}

function propertyList(option: string, text: string, entity: FeedEntity): string[] {
  const names = text.split(',').map((s) => s.trim());
  for (const name of names)
    if (!entity.properties[name])
      throw new FeedQueryError(option, `${entity.set} have no property "${name}".`);
  return names;
}

function orderByOf(text: string, entity: FeedEntity): OrderBy[] {
  const items = text.split(',').map((s) => s.trim().split(/\s+/));
  if (items.length > MAX_ORDER)
    throw new FeedQueryError('$orderby', `$orderby takes at most ${MAX_ORDER} properties.`);
  return items.map(([property = '', direction = 'asc', ...rest]) => {
    if (!entity.properties[property])
      throw new FeedQueryError('$orderby', `${entity.set} have no property "${property}".`);
    if ((direction !== 'asc' && direction !== 'desc') || rest.length)
      throw new FeedQueryError('$orderby', `Order ${property} by asc or desc.`);
    return { property, descending: direction === 'desc' };
  });
}

function formatOf(text: string): void {
  if (!/^(json|application\/json(;.*)?)$/i.test(text))
    throw new FeedQueryError('$format', 'The feed answers in JSON only ($format=json).');
}

/**
 * Reads a request's query string for an entity set. Options the feed does not offer are
 * refused, each with what to send instead; parameters without a `$` are not OData's and are
 * left alone (the reporting key travels as one).
 */
export function parseFeedQuery(
  raw: Readonly<Record<string, string>>,
  entity: FeedEntity,
): FeedQuery {
  for (const name of Object.keys(raw)) {
    if (UNSUPPORTED.includes(name))
      throw new FeedQueryError(name, `The feed does not offer ${name}.`);
    if (name.startsWith('$') && !KNOWN.includes(name))
      throw new FeedQueryError(name, `${name} is not an OData query option the feed knows.`);
  }
  if (raw.$format !== undefined) formatOf(raw.$format);
  const count = raw.$count ?? 'false';
  if (count !== 'true' && count !== 'false')
    throw new FeedQueryError('$count', '$count takes true or false.');
  const orderBy = raw.$orderby ? orderByOf(raw.$orderby, entity) : [];
  const select =
    raw.$select && raw.$select !== '*' ? propertyList('$select', raw.$select, entity) : null;
  return {
    filter: raw.$filter === undefined ? null : parseFilter(raw.$filter, entity),
    select,
    orderBy,
    top: raw.$top === undefined ? null : wholeNumber('$top', raw.$top),
    skip: raw.$skip === undefined ? 0 : wholeNumber('$skip', raw.$skip),
    count: count === 'true',
    after: raw.$skiptoken === undefined ? null : tokenValues(raw.$skiptoken, orderBy.length + 1),
    raw,
  };
}

/** A row's place in the query's order: the ordered properties, then the key. */
export const sortValues = (row: FeedRow, query: FeedQuery, entity: FeedEntity): FeedValue[] => [
  ...query.orderBy.map((o) => row[o.property] ?? null),
  row[entity.key] ?? null,
];

/** Compares two rows' sort values in the query's order (the key ascending last). */
export function compareSortValues(
  a: readonly FeedValue[],
  b: readonly FeedValue[],
  query: FeedQuery,
): number {
  for (let i = 0; i < a.length; i++) {
    const c = compareValues(a[i] ?? null, b[i] ?? null);
    if (c !== 0) return query.orderBy[i]?.descending ? -c : c;
  }
  return 0;
}

/** Whether the query reads in key order, so a page can start at a key in storage. */
export const inKeyOrder = (query: FeedQuery, entity: FeedEntity): boolean =>
  query.orderBy.every((o, i) => i === 0 && o.property === entity.key && !o.descending);

/** `$skiptoken`: where a page ended, as its last row's sort values (base64url JSON). */
export const skipToken = (values: readonly FeedValue[]): string =>
  Buffer.from(JSON.stringify(values)).toString('base64url');

function tokenValues(token: string, length: number): FeedValue[] {
  const refused = new FeedQueryError(
    '$skiptoken',
    'The $skiptoken is not one this query gave out; follow @odata.nextLink as it is.',
  );
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw refused;
  }
  if (
    !Array.isArray(values) ||
    values.length !== length ||
    !values.every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v))
  )
    throw refused;
  return values as FeedValue[];
}
