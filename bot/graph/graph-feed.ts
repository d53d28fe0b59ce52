import { ClientSecretCredential } from '@azure/identity';
import type { TokenCredential } from '@azure/core-auth';
import type { AppDeps } from '../../core/app/app-deps.js';
import { PresenceFeed, type PresenceFeedLog } from '../../core/app/presence-feed.js';
import type { TenantId } from '../../core/domain/ids.js';
import type { AppConfig } from '../config.js';
import { GraphClient } from './graph-client.js';
import { presenceGraph } from './presence-graph.js';

/** Where Graph posts changes and lifecycle events, below the app's public address. */
export const GRAPH_NOTIFICATIONS_PATH = '/api/graph/notifications';
export const GRAPH_LIFECYCLE_PATH = '/api/graph/lifecycle';

/**
 * The presence feed from Microsoft Graph when GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET are
 * set (null otherwise: presence comes from the API alone). The app signs in to each
 * customer tenant with its own credential (client credentials at ENTRA_AUTHORITY_HOST).
 */
export function graphPresenceFeed(
  config: AppConfig,
  deps: AppDeps,
  log: PresenceFeedLog,
): PresenceFeed | null {
  const { GRAPH_CLIENT_ID: clientId, GRAPH_CLIENT_SECRET: secret } = config;
  if (!clientId || !secret) return null;
  const credentials = new Map<TenantId, TokenCredential>();
  const client = new GraphClient({
    baseUrl: config.GRAPH_BASE_URL.replace(/\/+$/, ''),
    credential: (tenantId) => {
      let credential = credentials.get(tenantId);
      if (!credential) {
        credential = new ClientSecretCredential(tenantId, clientId, secret, {
          authorityHost: config.ENTRA_AUTHORITY_HOST,
          // The authority is the operator's setting, not something to look up.
          disableInstanceDiscovery: true,
        });
        credentials.set(tenantId, credential);
      }
      return credential;
    },
  });
  const base = config.PUBLIC_BASE_URL?.replace(/\/+$/, '');
  const urls = base
    ? {
        notifications: `${base}${GRAPH_NOTIFICATIONS_PATH}`,
        lifecycle: `${base}${GRAPH_LIFECYCLE_PATH}`,
      }
    : undefined;
  return new PresenceFeed({
    deps,
    graph: presenceGraph(client, urls),
    pollEveryMs: config.PRESENCE_POLL_SEC * 1000,
    urls,
    log,
  });
}
