import { createHash, timingSafeEqual } from 'node:crypto';
import type { Identity } from '../../domain/actor.js';
import { asTenantId, isValidId, type TenantId } from '../../domain/ids.js';
import { tenantKey } from '../../store/table-tenant-store.js';
import type { ReportingKey } from '../../store/reporting-rows.js';
import { randomSecret } from '../../store/tenant-secret-rows.js';
import type { AppDeps } from '../app-deps.js';
import { whenTenantAdmin } from '../resolve-actor.js';
import { retryOnConflict } from '../retry-on-conflict.js';

/**
 * A reporting key reads the tenant's OData feed the way Power BI's "Web API" credential
 * sends it (a query parameter). It is `rk~{tenant}~{secret}`: the tenant says where to
 * look, the secret's SHA-256 is all that is kept.
 */
const PREFIX = 'rk~';

const hashOf = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** What admins see of the key: never the key itself once it has been shown. */
export interface KeyStatus {
  readonly exists: boolean;
  readonly hint: string | null;
  readonly createdAt: number | null;
  readonly createdBy: string | null;
}

const statusOf = (key: ReportingKey | undefined): KeyStatus => ({
  exists: key !== undefined,
  hint: key?.hint ?? null,
  createdAt: key?.createdAt ?? null,
  createdBy: key?.createdBy ?? null,
});

/** Whether the tenant has a reporting key, and which (tenant admins). */
export const reportingKeyStatus = (deps: AppDeps, identity: Identity, tenantId: TenantId) =>
  whenTenantAdmin(deps, identity, tenantId, async () =>
    statusOf((await deps.stores.reporting.key(tenantId))?.value),
  );

/**
 * Makes a new key in place of the old one (which stops working at once) and returns it:
 * the only time anyone sees it (tenant admins).
 */
export const createReportingKey = (deps: AppDeps, identity: Identity, tenantId: TenantId) =>
  whenTenantAdmin(deps, identity, tenantId, async () => {
    const secret = randomSecret();
    const key = `${PREFIX}${tenantId}~${secret}`;
    const stored: ReportingKey = {
      tenantId,
      hash: hashOf(secret),
      hint: key.slice(-4),
      createdAt: deps.clock.now(),
      createdBy: identity.kind === 'user' ? identity.userId : null,
    };
    await deps.stores.reporting.putKey(stored);
    return { ...statusOf(stored), key };
  });

/** Revokes the key (tenant admins); revoking when there is none changes nothing. */
export const revokeReportingKey = (deps: AppDeps, identity: Identity, tenantId: TenantId) =>
  whenTenantAdmin(deps, identity, tenantId, async () => {
    await retryOnConflict(async () => {
      const key = await deps.stores.reporting.key(tenantId);
      if (key) await deps.stores.reporting.revokeKey(tenantId, key.etag);
    });
    return statusOf(undefined);
  });

/**
 * The tenant a reporting key opens, if it is the tenant's current key; every other answer
 * is the same "no", so a guess learns nothing.
 */
export async function verifyReportingKey(
  deps: AppDeps,
  key: string,
): Promise<TenantId | undefined> {
  if (!key.startsWith(PREFIX) || key.length > 300) return undefined;
  const [tenant = '', secret = ''] = key.slice(PREFIX.length).split('~');
  if (!isValidId(tenant) || !secret) return undefined;
  const tenantId = asTenantId(tenant);
  const [stored, row] = await Promise.all([
    deps.stores.reporting.key(tenantId),
    deps.stores.tenants.get(tenantKey(tenantId)),
  ]);
  // A suspended tenant's key still opens the door: the feed then says why it answers nothing.
  if (!stored || !row) return undefined;
  const given = Buffer.from(hashOf(secret), 'hex');
  const kept = Buffer.from(stored.value.hash, 'hex');
  return given.length === kept.length && timingSafeEqual(given, kept) ? tenantId : undefined;
}
