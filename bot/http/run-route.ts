import type { Logger } from 'pino';
import { ZodError } from 'zod';
import type { TokenVerifier } from '../auth/token-verifier.js';
import type { Principal } from '../auth/principal.js';
import { ApiError } from './api-error.js';
import { toErrorResponse } from './error-response.js';
import type { RequestLimiter } from './request-limiter.js';
import type { ApiReply, Route } from './route.js';

export interface RawRequest {
  readonly params: Readonly<Record<string, string | undefined>>;
  /** The query string's parameters (absent: none). */
  readonly query?: Readonly<Record<string, string | undefined>>;
  readonly body: unknown;
  readonly authorization: string | undefined;
}

export interface RouteDeps {
  readonly verify: TokenVerifier;
  readonly log: Logger;
  readonly limiter?: RequestLimiter;
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
    const principal =
      route.auth === 'token' ? await authenticate(request.authorization, deps.verify) : undefined;
    if (principal && deps.limiter) {
      const limit = deps.limiter(principal);
      if (!limit.ok) throw ApiError.tooManyRequests(limit.retryAfterSec, limit.scope);
    }
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
