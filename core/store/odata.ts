/** OData string literals escape a single quote by doubling it. */
function escapeOData(value: string): string {
  return value.replace(/'/g, "''");
}

/** A property equal to a string, as an OData filter clause. */
export function propertyEquals(property: string, value: string): string {
  return `${property} eq '${escapeOData(value)}'`;
}

/**
 * The rows of one partition whose key starts with a prefix (every row for none), but the
 * one keyed `except` if given.
 */
export function partitionFilter(partitionKey: string, rowKeyPrefix = '', except?: string): string {
  const partition = `PartitionKey eq '${escapeOData(partitionKey)}'`;
  return rowKeyPrefix ? `${partition} and ${rowKeyRange(rowKeyPrefix, except)}` : partition;
}

/** Row keys starting with a prefix, as a key range (the index serves it), but `except`. */
export function rowKeyRange(prefix: string, except?: string): string {
  const p = escapeOData(prefix);
  const but = except === undefined ? '' : ` and RowKey ne '${escapeOData(except)}'`;
  return `(RowKey ge '${p}' and RowKey lt '${p}\uffff'${but})`;
}
