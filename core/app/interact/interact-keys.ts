import { randomBytes } from 'node:crypto';
import type { Identity } from '../../domain/actor.js';
import type { TenantId } from '../../domain/ids.js';
import type { AppDeps } from '../app-deps.js';
import { whenTenantAdmin } from '../resolve-actor.js';

/**
 * The website chat's keys: the widget key, which a customer's page carries (public: it
 * names the tenant's chat, and a refreshed one stops the old one), and the token secret
 * the tenant's website signs customer tokens with when the tenant asks for them.
 */
export const INTERACT_KEYS = ['widgetKey', 'tokenSecret'] as const;
export type InteractKey = (typeof INTERACT_KEYS)[number];

const SECRET_NAMES: Readonly<Record<InteractKey, string>> = {
  widgetKey: 'interact-widget-key',
  tokenSecret: 'interact-token-secret',
};

/** A widget key names its tenant, so the widget finds the chat it opens. */
const newWidgetKey = (tenantId: TenantId) => () =>
  `wk~${tenantId}~${randomBytes(18).toString('base64url')}`;

const read = async (deps: AppDeps, tenantId: TenantId) => {
  const [widgetKey, tokenSecret] = await Promise.all([
    interactWidgetKey(deps, tenantId),
    interactTokenSecret(deps, tenantId),
  ]);
  return { widgetKey, tokenSecret };
};

/** The tenant's widget key now (made when first asked for): what a customer's page must carry. */
export const interactWidgetKey = (deps: AppDeps, tenantId: TenantId) =>
  deps.stores.secrets.get(tenantId, SECRET_NAMES.widgetKey, newWidgetKey(tenantId));

/** The secret the tenant's website signs customer tokens with. */
export const interactTokenSecret = (deps: AppDeps, tenantId: TenantId) =>
  deps.stores.secrets.get(tenantId, SECRET_NAMES.tokenSecret);

/** The tenant's website chat keys (tenant admins), made when first asked for. */
export const interactKeys = (deps: AppDeps, identity: Identity, tenantId: TenantId) =>
  whenTenantAdmin(deps, identity, tenantId, () => read(deps, tenantId));

/** A new key in place of the old one, which stops working at once (tenant admins). */
export const refreshInteractKey = (
  deps: AppDeps,
  identity: Identity,
  tenantId: TenantId,
  key: InteractKey,
) =>
  whenTenantAdmin(deps, identity, tenantId, async () => {
    const fresh = key === 'widgetKey' ? newWidgetKey(tenantId)() : undefined;
    await deps.stores.secrets.replace(tenantId, SECRET_NAMES[key], fresh);
    return read(deps, tenantId);
  });
