/** OData string literals escape a single quote by doubling it. */
function escapeOData(value: string): string {
  return value.replace(/'/g, "''");
}

/** A property equal to a string, as an OData filter clause. */
export function propertyEquals(property: string, value: string): string {
  return `${property} eq '${escapeOData(value)}'`;
}

/** The rows of one partition whose key starts with a prefix (every row for none). */
export function partitionFilter(partitionKey: string, rowKeyPrefix = ''): string {
  const partition = `PartitionKey eq '${escapeOData(partitionKey)}'`;
  return rowKeyPrefix ? `${partition} and ${rowKeyRange(rowKeyPrefix)}` : partition;
}

/** Row keys starting with a prefix, as a key range (the index serves it). */
export function rowKeyRange(prefix: string): string {
  const p = escapeOData(prefix);
  return `(RowKey ge '${p}' and RowKey lt '${p}\uffff')`;
}
