/** The OData primitive types the reporting feed's properties use. */
export type EdmType =
  | 'Edm.String'
  | 'Edm.Int64'
  | 'Edm.Boolean'
  | 'Edm.DateTimeOffset'
  /** A calendar day (UTC midnight, in milliseconds): `$filter`'s date() and its literals. */
  | 'Edm.Date';

export interface FeedProperty {
  readonly type: EdmType;
  readonly nullable: boolean;
}

/** One entity type of the feed, with the entity set that holds it. */
export interface FeedEntity {
  /** The entity type (`Task`). */
  readonly type: string;
  /** The entity set (`Tasks`), the name in URLs. */
  readonly set: string;
  /** The key property (a string, unique within the set). */
  readonly key: string;
  readonly properties: Readonly<Record<string, FeedProperty>>;
}

/** A property's value as the feed holds it; a DateTimeOffset is milliseconds since 1970. */
export type FeedValue = string | number | boolean | null;

export type FeedRow = Readonly<Record<string, FeedValue>>;

/** A query option that does not fit, said for the person who wrote it. */
export class FeedQueryError extends Error {
  override readonly name = 'FeedQueryError';
  constructor(
    /** The query option (`$filter`). */
    readonly option: string,
    message: string,
  ) {
    super(message);
  }
}

/** OData orders nulls before every value, ascending. */
export function compareValues(a: FeedValue, b: FeedValue): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : 1;
  return Number(a) - Number(b);
}
