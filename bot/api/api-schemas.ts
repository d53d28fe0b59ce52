import { z } from 'zod';
import { ID_PATTERN } from '../../core/domain/ids.js';
import { TENANT_STATES } from '../../core/domain/tenant.js';

/** An id as it may appear in a URL or body (see ID_PATTERN for why). */
export const id = z
  .string()
  .regex(
    ID_PATTERN,
    'must be 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit',
  );

export const tenantParams = z.object({ tenantId: id });

export const tenantState = z.enum(TENANT_STATES);

export const tenantView = z.object({
  tenantId: z.string(),
  name: z.string(),
  state: tenantState,
  createdAt: z.string(),
});
