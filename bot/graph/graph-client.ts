import type { TokenCredential } from '@azure/core-auth';
import { setTimeout as sleep } from 'node:timers/promises';
import { GraphProblem } from '../../core/app/graph-problem.js';
import type { TenantId } from '../../core/domain/ids.js';

export interface GraphClientOptions {
  /** Graph's root, version included (`https://graph.microsoft.com/v1.0`). */
  readonly baseUrl: string;
  /** Signs in to a customer's tenant as the app (client credentials). */
  readonly credential: (tenantId: TenantId) => TokenCredential;
  /** Attempts of one request when Graph throttles (429) or is busy (503, 504). */
  readonly attempts?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const RETRIED = new Set([429, 503, 504]);

/** How long Graph asks to wait (Retry-After in seconds), or a growing backoff without it. */
function waitMs(response: Response, attempt: number): number {
  const header = Number(response.headers.get('retry-after'));
  if (Number.isFinite(header) && header >= 0) return Math.min(header, 120) * 1000;
  return Math.min(30_000, 1000 * 2 ** (attempt - 1));
}

/** Graph's error body: `{ "error": { "code", "message" } }`. */
async function graphError(response: Response): Promise<{ code: string; message: string }> {
  try {
    const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
    return {
      code: typeof body.error?.code === 'string' ? body.error.code : '',
      message: typeof body.error?.message === 'string' ? body.error.message : '',
    };
  } catch {
    return { code: '', message: '' };
  }
}

/** What a refusal means for an admin, naming the permission the call needs. */
function inWords(status: number, code: string, needs: string): string {
  if (status === 401 || status === 403)
    return `${needs} is not granted in this tenant (Graph answered ${status}${code ? ` ${code}` : ''}): an admin of the tenant must consent to the app's permissions.`;
  if (status === 429)
    return 'Microsoft Graph is throttling the app in this tenant; it will try again.';
  if (status === 404) return 'Microsoft Graph does not know it.';
  return `Microsoft Graph answered ${status}${code ? ` (${code})` : ''}.`;
}

/** Why signing in to the tenant failed, from Entra's answer (its AADSTS code says most). */
function signInWords(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = /AADSTS\d+/.exec(message)?.[0];
  if (code === 'AADSTS700016' || code === 'AADSTS65001')
    return `The app is not consented in this tenant (${code}): an admin of the tenant must consent to it.`;
  if (code === 'AADSTS70021' || code === 'AADSTS700213' || code === 'AADSTS700211')
    return `The app does not trust this server's managed identity yet (${code}): add its federated identity credential (README, Deploying to Azure).`;
  if (code === 'AADSTS7000215' || code === 'AADSTS7000222')
    return `The app's secret is wrong or expired (${code}): set GRAPH_CLIENT_SECRET (or the certificate or managed identity in use).`;
  return `Signing in to the tenant failed${code ? ` (${code})` : ''}.`;
}

/**
 * Microsoft Graph over HTTP for one app: an app-only token per tenant (from @azure/identity,
 * cached and refreshed by it), JSON in and out, throttling (429) and busy answers retried
 * after Retry-After, and refusals turned into GraphProblem with words for an admin.
 */
export class GraphClient {
  private readonly scope: string;

  constructor(private readonly options: GraphClientOptions) {
    this.scope = `${new URL(options.baseUrl).origin}/.default`;
  }

  /**
   * Every item of a collection, page by page (`@odata.nextLink`). A next link is followed
   * only below the configured Graph root: the token is never sent anywhere else.
   */
  async all(tenantId: TenantId, path: string, needs: string): Promise<unknown[]> {
    const items: unknown[] = [];
    for (let next: string | undefined = path; next;) {
      const page: { value?: unknown; '@odata.nextLink'?: unknown } | undefined = await this.request(
        tenantId,
        'GET',
        next,
        needs,
      );
      if (!Array.isArray(page?.value))
        throw new GraphProblem(0, 'Microsoft Graph answered without a list.');
      items.push(...(page.value as unknown[]));
      const link: unknown = page['@odata.nextLink'];
      if (link === undefined || link === null) break;
      if (typeof link !== 'string' || !link.startsWith(`${this.options.baseUrl}/`))
        throw new GraphProblem(0, 'Microsoft Graph sent a next page link outside Graph.');
      next = link.slice(this.options.baseUrl.length);
    }
    return items;
  }

  /** One request; `needs` names the permission a refusal means (for the words). */
  async request<T>(
    tenantId: TenantId,
    method: string,
    path: string,
    needs: string,
    body?: unknown,
  ): Promise<T | undefined> {
    let token: string;
    try {
      const got = await this.options.credential(tenantId).getToken(this.scope);
      if (!got) throw new Error('no token');
      token = got.token;
    } catch (error) {
      throw new GraphProblem(401, signInWords(error));
    }
    const attempts = this.options.attempts ?? 4;
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await fetch(`${this.options.baseUrl}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body !== undefined && { 'content-type': 'application/json' }),
          },
          ...(body !== undefined && { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(30_000),
        });
      } catch {
        throw new GraphProblem(0, 'Microsoft Graph could not be reached.');
      }
      if (RETRIED.has(response.status) && attempt < attempts) {
        await response.body?.cancel();
        await (this.options.sleep ?? sleep)(waitMs(response, attempt));
        continue;
      }
      if (response.status === 204) return undefined;
      if (!response.ok) {
        const { code } = await graphError(response);
        throw new GraphProblem(response.status, inWords(response.status, code, needs));
      }
      const text = await response.text();
      return text ? (JSON.parse(text) as T) : undefined;
    }
  }
}
