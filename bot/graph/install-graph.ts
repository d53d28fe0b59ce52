import { z } from 'zod';
import type { AppInstallGraph } from '../../core/app/chat-reach.js';
import { GraphProblem } from '../../core/app/graph-problem.js';
import type { TenantId } from '../../core/domain/ids.js';
import type { GraphClient } from './graph-client.js';

const installation = z
  .object({
    id: z.string(),
    teamsApp: z.object({ id: z.string(), externalId: z.string().nullish() }).loose().nullish(),
  })
  .loose();
const catalogApp = z.object({ id: z.string() }).loose();
const chat = z.object({ id: z.string() }).loose();

/** An OData string literal: a quote doubles. */
const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

/**
 * Installing the app for people through Microsoft Graph, as it documents proactive
 * installation: the app's catalog id is found where the app is installed already (the
 * tenant's provisioned teams: TeamsAppInstallation.ReadSelfForTeam.All), or else in the
 * tenant's app catalog (AppCatalog.Read.All); then it is installed in the person's
 * personal scope (TeamsAppInstallation.ReadWriteSelfForUser.All).
 */
export function installGraph(
  client: GraphClient,
  options: {
    /** The app's id in its manifest (TEAMS_APP_ID). */
    readonly teamsAppId: string;
    /** Graph's root, for the catalog reference of an installation. */
    readonly baseUrl: string;
    /** The Microsoft 365 group ids of the tenant's provisioned teams. */
    readonly teamsOf: (tenantId: TenantId) => Promise<readonly string[]>;
  },
): AppInstallGraph {
  const catalogIds = new Map<TenantId, string>();
  const ours = `teamsApp/externalId eq ${literal(options.teamsAppId)}`;

  async function catalogId(tenantId: TenantId): Promise<string> {
    const known = catalogIds.get(tenantId);
    if (known) return known;
    let found: string | undefined;
    for (const groupId of await options.teamsOf(tenantId)) {
      const apps = await client
        .all(
          tenantId,
          `/teams/${encodeURIComponent(groupId)}/installedApps?$expand=teamsApp&$filter=${ours}`,
          'TeamsAppInstallation.ReadSelfForTeam.All',
        )
        .catch((error: unknown) => {
          // A team gone or not answering: another team or the catalog may tell.
          if (error instanceof GraphProblem && error.status === 404) return [];
          throw error;
        });
      found = apps.map((a) => installation.safeParse(a).data?.teamsApp?.id).find(Boolean);
      if (found) break;
    }
    if (!found) {
      // Apps of the organization's catalog carry the manifest id as externalId; store apps as id.
      const id = literal(options.teamsAppId);
      const apps = await client.all(
        tenantId,
        `/appCatalogs/teamsApps?$filter=externalId eq ${id} or id eq ${id}`,
        'AppCatalog.Read.All',
      );
      found = apps.map((a) => catalogApp.safeParse(a).data?.id).find(Boolean);
    }
    if (!found)
      throw new GraphProblem(
        404,
        `The app (${options.teamsAppId}) is not in this tenant's Teams app catalog.`,
      );
    catalogIds.set(tenantId, found);
    return found;
  }

  return {
    async install(tenantId, userId) {
      const appId = await catalogId(tenantId);
      try {
        await client.request(
          tenantId,
          'POST',
          `/users/${encodeURIComponent(userId)}/teamwork/installedApps`,
          'TeamsAppInstallation.ReadWriteSelfForUser.All',
          { 'teamsApp@odata.bind': `${options.baseUrl}/appCatalogs/teamsApps/${appId}` },
        );
        return 'installed';
      } catch (error) {
        if (error instanceof GraphProblem && error.status === 409) return 'already';
        throw error;
      }
    },
    async chatOf(tenantId, userId) {
      const appId = await catalogId(tenantId);
      const user = `/users/${encodeURIComponent(userId)}/teamwork/installedApps`;
      const [found] = (
        await client.all(
          tenantId,
          `${user}?$expand=teamsApp&$filter=teamsApp/id eq ${literal(appId)}`,
          'TeamsAppInstallation.ReadWriteSelfForUser.All',
        )
      ).flatMap((a) => {
        const parsed = installation.safeParse(a);
        return parsed.success ? [parsed.data.id] : [];
      });
      if (!found) return null;
      const got = chat.safeParse(
        await client.request(
          tenantId,
          'GET',
          `${user}/${encodeURIComponent(found)}/chat`,
          'TeamsAppInstallation.ReadWriteSelfForUser.All',
        ),
      );
      return got.success ? got.data.id : null;
    },
  };
}
