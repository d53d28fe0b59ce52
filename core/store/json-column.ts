import { z } from 'zod';

/** A property that holds a JSON document (nested settings), parsed with the domain's schema. */
/**
 * Equal values that many rows hold (a tenant's id, a service's routing settings, an empty
 * list), kept in memory once instead of once per row: a waiting task costs what is its
 * own. Bounded: past `max` entries it starts afresh (copies made before stay valid).
 */
class Shared<T> {
  private readonly values = new Map<string, T>();
  constructor(private readonly max: number) {}
  get(key: string, make: () => T): T {
    let value = this.values.get(key);
    if (value === undefined) {
      if (this.values.size >= this.max) this.values.clear();
      value = make();
      this.values.set(key, value);
    }
    return value;
  }
}

const strings = new Shared<string>(20_000);

/** One copy of a string many rows repeat (ids of tenants and services, states, kinds). */
export const sharedString = (value: string): string => strings.get(value, () => value);

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * A JSON column whose equal texts parse to one shared, frozen value: for a column most
 * rows repeat, like the routing settings a service's tasks keep.
 */
export function sharedJsonColumn<T extends z.ZodType>(schema: T) {
  const parsed = new Shared<z.infer<T>>(1000);
  return z.string().transform((json, ctx): z.infer<T> => {
    try {
      return parsed.get(json, () => deepFreeze(schema.parse(JSON.parse(json))));
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `stored JSON does not fit: ${String(error)}` });
      return z.NEVER;
    }
  });
}

export function jsonColumn<T extends z.ZodType>(schema: T) {
  return z.string().transform((json, ctx): z.infer<T> => {
    try {
      return schema.parse(JSON.parse(json));
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `stored JSON does not fit: ${String(error)}` });
      return z.NEVER;
    }
  });
}

/** Every tenant's directory, licenses and services share one table, one partition per tenant, so
 * changes that must hold together (a pool and the holder of a license) commit in one transaction. */
export const TENANCY_TABLE = 'Tenancy';

/** A string property holds at most 64 KiB (32 K UTF-16 units): a larger JSON spans several. */
const CHUNK = 30_000;
const CHUNK_COLUMNS = 30;

/** A JSON text as the columns `{name}0`, `{name}1`, … of at most {@link CHUNK} characters. */
export function chunkedJson(name: string, json: string): Record<string, string> {
  const chunks: Record<string, string> = {};
  for (let i = 0; i * CHUNK < json.length || i === 0; i++) {
    if (i >= CHUNK_COLUMNS) throw new RangeError(`${name} outgrew its row`);
    chunks[`${name}${i}`] = json.slice(i * CHUNK, (i + 1) * CHUNK);
  }
  return chunks;
}

/** The JSON text spread over `{name}0`, `{name}1`, … of an entity. */
export function joinedJson(entity: Readonly<Record<string, unknown>>, name: string): string {
  let json = '';
  for (
    let i = 0, chunk = entity[`${name}0`];
    typeof chunk === 'string';
    chunk = entity[`${name}${++i}`]
  )
    json += chunk;
  return json;
}
