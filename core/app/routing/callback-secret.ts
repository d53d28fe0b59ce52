import type { Identity } from '../../domain/actor.js';
import type { TenantId } from '../../domain/ids.js';
import type { AppDeps } from '../app-deps.js';
import { whenTenantAdmin } from '../resolve-actor.js';
import { CALLBACK_SECRET } from './callback-outbox.js';

/** The secret task callbacks are signed with, for the receivers that check them (tenant admins). */
export const callbackSecret = (deps: AppDeps, identity: Identity, tenantId: TenantId) =>
  whenTenantAdmin(deps, identity, tenantId, async () => ({
    secret: await deps.stores.secrets.get(tenantId, CALLBACK_SECRET),
  }));

/** A new secret in place of the old one: events sent from now on are signed with it. */
export const replaceCallbackSecret = (deps: AppDeps, identity: Identity, tenantId: TenantId) =>
  whenTenantAdmin(deps, identity, tenantId, async () => ({
    secret: await deps.stores.secrets.replace(tenantId, CALLBACK_SECRET),
  }));
