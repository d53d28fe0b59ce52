import type { TenantId, UserId } from '../../core/domain/ids.js';

/** Who is calling, as established from a verified token. */
export type Principal =
  | { readonly kind: 'system' }
  | { readonly kind: 'user'; readonly tenantId: TenantId; readonly userId: UserId };
