import type { Logger } from 'pino';
import { ZodError } from 'zod';
import type { TokenVerifier } from '../auth/token-verifier.js';
import type { Principal } from '../auth/principal.js';
import { ApiError } from './api-error.js';
import { toErrorResponse } from './error-response.js';
import type { RequestLimiter } from './request-limiter.js';
import type { ApiReply, Route } from './route.js';
import type { FeedCaller } from '../../core/app/reporting/odata-feed.js';
import { asUserId, type TenantId } from '../../core/domain/ids.js';

export interface RawRequest {
  readonly params: Readonly<Record<string, string | undefined>>;
  /** The query string's parameters (absent: none). */
  readonly query?: Readonly<Record<string, string | undefined>>;
  readonly body: unknown;
  readonly authorization: string | undefined;
  /** Where this server is reached (`https://host`), for links in answers. */
  readonly origin?: string;
  /** The `api-key` header: a reporting key, for clients that cannot add it to each URL. */
  readonly apiKey?: string;
}

export interface RouteDeps {
  readonly verify: TokenVerifier;
  readonly log: Logger;
  readonly limiter?: RequestLimiter;
  /** The tenant a reporting key opens (none: the key is not one). */
  readonly verifyReportingKey?: (key: string) => Promise<TenantId | undefined>;
  /** `WWW-Authenticate` on the feed's 401, so Power BI finds where to sign in. */
  readonly bearerChallenge?: string;
}

/**
 * The HTTP-independent heart of every API call: authenticate, parse, handle, and turn
 * whatever goes wrong into the API.md error shape. Unexpected errors are logged here.
 */
export async function runRoute(
  route: Route,
  request: RawRequest,
  deps: RouteDeps,
): Promise<ApiReply> {
  try {
    if (route.auth === 'reporting') {
      const caller = await feedCaller(request, deps);
      limit(deps, caller.kind === 'token' ? caller.identity : keyPrincipal(caller.tenantId));
      const { params, body, query } = parseRequest(route, request);
      return await route.handle({ params, body, query, caller, origin: request.origin ?? '' });
    }
    const principal =
      route.auth === 'token' ? await authenticate(request.authorization, deps.verify) : undefined;
    if (principal) limit(deps, principal);
    const { params, body, query } = parseRequest(route, request);
    if (route.auth === 'public') return await route.handle({ params, body, query });
    return await route.handle({ params, body, query, principal: principal as Principal });
  } catch (error) {
    const response = toErrorResponse(error);
    if (!response.expected)
      deps.log.error({ err: error, route: `${route.method} ${route.path}` }, 'request failed');
    return {
      status: response.status,
      body: response.body,
      ...(response.headers && { headers: response.headers }),
    };
  }
}

function limit(deps: RouteDeps, principal: Principal): void {
  const decision = deps.limiter?.(principal);
  if (decision && !decision.ok)
    throw ApiError.tooManyRequests(decision.retryAfterSec, decision.scope);
}

/** A reporting key's requests count as one caller of its tenant. */
const keyPrincipal = (tenantId: TenantId): Principal => ({
  kind: 'user',
  tenantId,
  userId: asUserId('reporting-key'),
  groups: [],
});

/** The feed's caller: an Entra token if one is sent, else the tenant's reporting key. */
async function feedCaller(request: RawRequest, deps: RouteDeps): Promise<FeedCaller> {
  const challenge = deps.bearerChallenge ? { 'WWW-Authenticate': deps.bearerChallenge } : undefined;
  if (request.authorization !== undefined) {
    try {
      return { kind: 'token', identity: await authenticate(request.authorization, deps.verify) };
    } catch (error) {
      if (error instanceof ApiError && challenge)
        throw new ApiError(error.status, error.code, error.message, undefined, challenge);
      throw error;
    }
  }
  const key = request.query?.['api-key'] ?? request.apiKey;
  const tenantId = key && (await deps.verifyReportingKey?.(key));
  if (tenantId) return { kind: 'key', tenantId };
  throw new ApiError(
    401,
    'unauthenticated',
    key
      ? 'The reporting key was not accepted: it was revoked or replaced, or it is mistyped. A tenant admin makes a new one in Tenant settings.'
      : 'Send an Entra token (Authorization: Bearer) or the tenant’s reporting key (api-key in the query).',
    undefined,
    challenge,
  );
}

/** Parses path, query and body together, so one answer lists every bad field. */
function parseRequest(
  route: Route,
  request: RawRequest,
): { params: unknown; body: unknown; query: unknown } {
  const params = route.params
    ? route.params.safeParse(request.params)
    : { success: true as const, data: {} };
  const query = route.query
    ? route.query.safeParse(request.query ?? {})
    : { success: true as const, data: undefined };
  const body = route.body
    ? route.body.safeParse(request.body ?? {})
    : { success: true as const, data: undefined };
  if (params.success && query.success && body.success)
    return { params: params.data, body: body.data, query: query.data };
  const issues = [
    ...(params.error?.issues ?? []),
    ...(query.error?.issues ?? []),
    ...(body.error?.issues ?? []),
  ];
  throw new ZodError(issues);
}

async function authenticate(header: string | undefined, verify: TokenVerifier): Promise<Principal> {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!match?.[1])
    throw new ApiError(401, 'unauthenticated', 'Sign in: send an Authorization: Bearer token.');
  const result = await verify(match[1]);
  if (!result.ok)
    throw new ApiError(401, 'unauthenticated', `The token was not accepted (${result.reason}).`);
  return result.principal;
}
