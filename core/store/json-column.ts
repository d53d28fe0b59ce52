import { z } from 'zod';

/** A property that holds a JSON document (nested settings), parsed with the domain's schema. */
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
