import { distributedAfter } from './routing/distribution.js';
import type { Identity } from '../domain/actor.js';
import { asOrgUnitId, type TenantId } from '../domain/ids.js';
import type { License, LicensePool } from '../domain/license.js';
import { OrgTree } from '../domain/org-tree.js';
import { allow, forbidden, invalid, notFound, refuse, type Decision } from '../domain/refusal.js';
import type { Tenant, TenantState } from '../domain/tenant.js';
import { newTenant, requestTenantDeletion, setContingency } from '../domain/tenant-lifecycle.js';
import {
  applySettingsPatch,
  OPERATOR_ONLY_FIELDS,
  type TenantSettings,
  type TenantSettingsPatch,
} from '../domain/tenant-settings.js';
import { tenantKey } from '../store/table-tenant-store.js';
import type { AppDeps } from './app-deps.js';
import { asTenantAdmin } from './resolve-actor.js';
import { retryOnConflict } from './retry-on-conflict.js';

const operatorOnly = (identity: Identity) =>
  identity.kind === 'system' ? null : forbidden('Only the system operator may do this.');

/** Creates a tenant or changes its name and state (the system operator's job). */
export function putTenant(
  deps: AppDeps,
  identity: Identity,
  input: { id: TenantId; name: string; state: TenantState; routingShards?: number | undefined },
) {
  return distributedAfter(
    deps,
    input.id,
    retryOnConflict(async (): Promise<Decision<{ tenant: Tenant; created: boolean }>> => {
      const denied = operatorOnly(identity);
      if (denied) return refuse(denied);
      const current = await deps.stores.tenants.get(tenantKey(input.id));
      const shards = input.routingShards;
      if (!current) {
        const tenant: Tenant = {
          ...newTenant(input.id, input.name, input.state, deps.clock.now()),
          ...(shards !== undefined && shards > 1 && { routingShards: shards }),
        };
        await deps.stores.tenantIndex.add(tenant.id);
        await deps.stores.tenants.insert(tenant);
        return allow({ tenant, created: true });
      }
      const held = current.value.routingShards ?? 1;
      if (shards !== undefined && shards !== held)
        return refuse(
          invalid([
            {
              field: 'routingShards',
              message: `is fixed when a tenant is created; this one has ${held}`,
            },
          ]),
        );
      const tenant: Tenant = { ...current.value, name: input.name, state: input.state };
      await deps.stores.tenants.replace(tenant, current.etag);
      return allow({ tenant, created: false });
    }),
  );
}

/** Sets pool totals; all pools of the request change together or none does. */
export function putContingency(
  deps: AppDeps,
  identity: Identity,
  tenantId: TenantId,
  totals: Partial<Record<License, number>>,
) {
  return retryOnConflict(async () => {
    const denied = operatorOnly(identity);
    if (denied) return refuse(denied);
    if (!(await deps.stores.tenants.get(tenantKey(tenantId))))
      return refuse(notFound('The tenant'));
    const rows = await deps.stores.licensePools.list(tenantId);
    const current = new Map(rows.map((r) => [r.value.license, r.value]));
    const decision = setContingency(tenantId, current, totals);
    if (!decision.ok) return decision;
    const etags = new Map(rows.map((r) => [r.value.license, r.etag]));
    const ops = decision.value.map((pool) => {
      const etag = etags.get(pool.license);
      return etag
        ? deps.stores.licensePools.replaceOp(pool, etag)
        : deps.stores.licensePools.insertOp(pool);
    });
    await deps.stores.commit(ops);
    return allow(decision.value);
  });
}

/** Marks the tenant for deletion after the typed confirmation; its services stop operating. */
export function deleteTenant(
  deps: AppDeps,
  identity: Identity,
  tenantId: TenantId,
  confirm: string,
) {
  return distributedAfter(
    deps,
    tenantId,
    retryOnConflict(async () => {
      const denied = operatorOnly(identity);
      if (denied) return refuse(denied);
      const current = await deps.stores.tenants.get(tenantKey(tenantId));
      if (!current) return refuse(notFound('The tenant'));
      const decision = requestTenantDeletion(current.value, confirm, deps.clock.now());
      if (decision.ok && decision.value !== current.value)
        await deps.stores.tenants.replace(decision.value, current.etag);
      return decision;
    }),
  );
}

export async function getTenantSettings(
  deps: AppDeps,
  identity: Identity,
  tenantId: TenantId,
): Promise<Decision<TenantSettings>> {
  const access = await asTenantAdmin(deps, identity, tenantId);
  return access.ok ? allow(access.value.tenant.value.settings) : access;
}

function changedOperatorFields(identity: Identity, patch: TenantSettingsPatch): string[] {
  if (identity.kind === 'system') return [];
  return OPERATOR_ONLY_FIELDS.filter((path) => {
    const [section, field] = path.split('.') as [keyof TenantSettingsPatch, string];
    return (patch[section] as Record<string, unknown> | undefined)?.[field] !== undefined;
  });
}

/** Saves a settings patch whole or not at all; a default OU must exist in the tenant. */
export function patchTenantSettings(
  deps: AppDeps,
  identity: Identity,
  tenantId: TenantId,
  patch: TenantSettingsPatch,
) {
  return retryOnConflict(async (): Promise<Decision<TenantSettings>> => {
    const access = await asTenantAdmin(deps, identity, tenantId);
    if (!access.ok) return access;
    const reserved = changedOperatorFields(identity, patch);
    if (reserved.length)
      return refuse(forbidden(`Only the system operator may change ${reserved.join(', ')}.`));
    const defaultOuId = patch.provisioning?.defaultOuId;
    if (defaultOuId) {
      const tree = new OrgTree((await deps.stores.orgUnits.list(tenantId)).map((r) => r.value));
      if (!tree.has(asOrgUnitId(defaultOuId)))
        return refuse(
          invalid([
            { field: 'provisioning.defaultOuId', message: `no OU ${defaultOuId} in this tenant` },
          ]),
        );
    }
    const { tenant } = access.value;
    const settings = applySettingsPatch(tenant.value.settings, patch);
    await deps.stores.tenants.replace({ ...tenant.value, settings }, tenant.etag);
    return allow(settings);
  });
}

/** Whether a tenant is set up here at all (the bot answers people of other tenants with how to start). */
export async function isKnownTenant(deps: AppDeps, tenantId: TenantId): Promise<boolean> {
  return (await deps.stores.tenants.get(tenantKey(tenantId))) !== undefined;
}

/** One page of the operator's tenant list: each tenant with its license pools. */
export interface TenantPage {
  readonly tenants: readonly { readonly tenant: Tenant; readonly pools: readonly LicensePool[] }[];
  /** Where the next page starts (the last id of this page); null on the last page. */
  readonly next: TenantId | null;
}

/**
 * The operator's tenant list, by id, `top` at a time after `after` (the index lists every
 * tenant in one small partition; only the page's own tenants and pools are read).
 */
export async function listTenants(
  deps: AppDeps,
  identity: Identity,
  page: { readonly top: number; readonly after: TenantId | null },
): Promise<Decision<TenantPage>> {
  const denied = operatorOnly(identity);
  if (denied) return refuse(denied);
  const ids = (await deps.stores.tenantIndex.ids())
    .filter((id) => page.after === null || id > page.after)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const chosen = ids.slice(0, page.top);
  const rows = await Promise.all(
    chosen.map(async (id) => {
      const tenant = await deps.stores.tenants.get(tenantKey(id));
      if (!tenant) return null;
      const pools = (await deps.stores.licensePools.list(id)).map((r) => r.value);
      return { tenant: tenant.value, pools };
    }),
  );
  return allow({
    tenants: rows.filter((r) => r !== null),
    next: ids.length > page.top ? (chosen[chosen.length - 1] ?? null) : null,
  });
}
