import type { z } from 'zod';
import type { Principal } from '../auth/principal.js';
import type { FeedCaller } from '../../core/app/reporting/odata-feed.js';
import type { EventStream } from './event-stream.js';

export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';

export interface ApiReply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** A success that goes on as server-sent events (the request was checked like any other). */
  readonly stream?: EventStream;
}

export interface RequestContext<P, B, Q = unknown> {
  readonly params: P;
  readonly body: B;
  /** The query string's parameters, parsed by the route's `query` schema. */
  readonly query: Q;
}

interface RouteSpec<P, B, Q> {
  readonly method: HttpMethod;
  /** Path below `/api/v1`, with `{name}` placeholders as in OpenAPI. */
  readonly path: string;
  readonly summary: string;
  readonly tags?: readonly string[];
  readonly params?: z.ZodType<P>;
  readonly body?: z.ZodType<B>;
  /** Query parameters (all optional in OpenAPI unless the schema requires them). */
  readonly query?: z.ZodType<Q>;
  /** The success answer, for the OpenAPI document. */
  readonly success: {
    readonly status: number;
    readonly description: string;
    readonly schema?: z.ZodType;
  };
  /**
   * A public route's own rate limit, in words for OpenAPI's 429 (routes with a token share
   * the request limiter's, described for all).
   */
  readonly rateLimit?: string;
  /** Requests the app makes later to an address the request gave (OpenAPI `callbacks`). */
  readonly callbacks?: Readonly<Record<string, OutgoingCall>>;
}

/** One request the app sends to a caller's address, as OpenAPI describes it. */
export interface OutgoingCall {
  /** Where, as an OpenAPI runtime expression (`{$request.body#/callbackUrl}`). */
  readonly expression: string;
  readonly summary: string;
  readonly body: z.ZodType;
  readonly example: unknown;
  readonly headers: Readonly<Record<string, string>>;
  /** What the receiver answers, and what each answer means. */
  readonly answers: Readonly<Record<string, string>>;
}

export interface PublicRoute<P = unknown, B = unknown, Q = unknown> extends RouteSpec<P, B, Q> {
  readonly auth: 'public';
  handle(ctx: RequestContext<P, B, Q>): Promise<ApiReply>;
}

export interface TokenRoute<P = unknown, B = unknown, Q = unknown> extends RouteSpec<P, B, Q> {
  readonly auth: 'token';
  handle(ctx: RequestContext<P, B, Q> & { readonly principal: Principal }): Promise<ApiReply>;
}

/**
 * The reporting feed: an Entra token, or the tenant's reporting key as the `api-key` query
 * parameter (how Power BI's "Web API" credential sends a key).
 */
export interface ReportingRoute<P = unknown, B = unknown, Q = unknown> extends RouteSpec<P, B, Q> {
  readonly auth: 'reporting';
  handle(
    ctx: RequestContext<P, B, Q> & {
      readonly caller: FeedCaller;
      /** Where this server is reached (`https://host`), for links in answers. */
      readonly origin: string;
    },
  ): Promise<ApiReply>;
}

/** One API operation: its schemas validate requests and describe it in OpenAPI. */
export type Route<P = unknown, B = unknown, Q = unknown> =
  PublicRoute<P, B, Q> | TokenRoute<P, B, Q> | ReportingRoute<P, B, Q>;

/** Declares a route with its parameter, body and query types inferred from its schemas. */
export function defineRoute<P = Record<string, never>, B = undefined, Q = undefined>(
  route: Route<P, B, Q>,
): Route {
  return route;
}

export const ok = (body: unknown, status = 200): ApiReply => ({ status, body });
