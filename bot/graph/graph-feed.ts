import {
  ClientAssertionCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
} from '@azure/identity';
import type { TokenCredential } from '@azure/core-auth';
import type { AppDeps } from '../../core/app/app-deps.js';
import { PresenceFeed, type PresenceFeedLog } from '../../core/app/presence-feed.js';
import type { TenantId } from '../../core/domain/ids.js';
import type { AppConfig } from '../config.js';
import { GraphClient } from './graph-client.js';
import { presenceGraph } from './presence-graph.js';
import { rosterGraph } from './roster-graph.js';
import { installGraph } from './install-graph.js';
import { groupGraph } from './group-graph.js';
import type { GroupGraph } from '../../core/app/admin-groups.js';
import { ChatReach, type ChatReachLog } from '../../core/app/chat-reach.js';

/** Where Graph posts changes and lifecycle events, below the app's public address. */
export const GRAPH_NOTIFICATIONS_PATH = '/api/graph/notifications';
export const GRAPH_LIFECYCLE_PATH = '/api/graph/lifecycle';

/** Entra's audience for a managed identity's token that stands in for an app's secret. */
const TOKEN_EXCHANGE_SCOPE = 'api://AzureADTokenExchange/.default';

/**
 * How the Graph app signs in to one customer tenant (client credentials at
 * ENTRA_AUTHORITY_HOST): with its secret, its certificate, or, with no secret anywhere, a
 * token of the managed identity the app trusts (a federated identity credential).
 */
export function graphCredentialFactory(
  config: AppConfig,
): ((tenantId: TenantId) => TokenCredential) | null {
  const clientId = config.GRAPH_CLIENT_ID;
  if (!clientId) return null;
  // The authority is the operator's setting, not something to look up.
  const options = { authorityHost: config.ENTRA_AUTHORITY_HOST, disableInstanceDiscovery: true };
  const secret = config.GRAPH_CLIENT_SECRET;
  const certificatePath = config.GRAPH_CLIENT_CERTIFICATE_PATH;
  const identityId = config.GRAPH_MANAGED_IDENTITY_CLIENT_ID;
  const identity = identityId ? new ManagedIdentityCredential({ clientId: identityId }) : null;
  const make = (tenantId: TenantId): TokenCredential => {
    if (secret) return new ClientSecretCredential(tenantId, clientId, secret, options);
    if (certificatePath)
      return new ClientCertificateCredential(tenantId, clientId, { certificatePath }, options);
    return new ClientAssertionCredential(
      tenantId,
      clientId,
      async () => {
        const token = await identity?.getToken(TOKEN_EXCHANGE_SCOPE);
        if (!token) throw new Error('The managed identity gave no token');
        return token.token;
      },
      options,
    );
  };
  const credentials = new Map<TenantId, TokenCredential>();
  return (tenantId) => {
    let credential = credentials.get(tenantId);
    if (!credential) {
      credential = make(tenantId);
      credentials.set(tenantId, credential);
    }
    return credential;
  };
}

/** What Microsoft Graph brings when it is configured. */
export interface GraphIntegration {
  /** Presence (notifications and polling) and the teams' rosters. */
  readonly presence: PresenceFeed;
  /** Installs the app for people the bot cannot write to yet (null without TEAMS_APP_ID). */
  readonly reach: ChatReach | null;
  /** The tenant's admin security groups and their people (tenant settings, General). */
  readonly groups: GroupGraph;
}

/** Teams' channel for proactive messages when no activity of the tenant told one yet. */
const TEAMS_SERVICE_URL = 'https://smba.trafficmanager.net/teams/';

/**
 * Microsoft Graph when GRAPH_CLIENT_ID and one of its credentials are set (null otherwise:
 * presence comes from the API alone, rosters from Teams' events, and cards reach only
 * people Teams introduced to the bot).
 */
export function graphIntegration(
  config: AppConfig,
  deps: AppDeps,
  log: PresenceFeedLog & ChatReachLog,
): GraphIntegration | null {
  const credential = graphCredentialFactory(config);
  if (!credential) return null;
  const baseUrl = config.GRAPH_BASE_URL.replace(/\/+$/, '');
  const client = new GraphClient({ baseUrl, credential });
  const base = config.PUBLIC_BASE_URL?.replace(/\/+$/, '');
  const urls = base
    ? {
        notifications: `${base}${GRAPH_NOTIFICATIONS_PATH}`,
        lifecycle: `${base}${GRAPH_LIFECYCLE_PATH}`,
      }
    : undefined;
  const teamsAppId = config.TEAMS_APP_ID;
  return {
    presence: new PresenceFeed({
      deps,
      graph: presenceGraph(client, urls),
      pollEveryMs: config.PRESENCE_POLL_SEC * 1000,
      urls,
      log,
      rosters: { graph: rosterGraph(client), everyMs: config.ROSTER_SYNC_SEC * 1000 },
    }),
    reach: teamsAppId
      ? new ChatReach({
          deps,
          log,
          graph: installGraph(client, {
            teamsAppId,
            baseUrl,
            teamsOf: async (tenantId) =>
              (await deps.stores.services.list(tenantId)).flatMap((s) =>
                s.value.teamGroupId ? [s.value.teamGroupId] : [],
              ),
          }),
          defaultServiceUrl: TEAMS_SERVICE_URL,
          botId: `28:${config.BOT_ID ?? ''}`,
        })
      : null,
    groups: groupGraph(client),
  };
}
