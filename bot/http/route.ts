import type { z } from 'zod';
import type { Principal } from '../auth/principal.js';
import type { EventStream } from './event-stream.js';

export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';

export interface ApiReply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** A success that goes on as server-sent events (the request was checked like any other). */
  readonly stream?: EventStream;
}

export interface RequestContext<P, B> {
  readonly params: P;
  readonly body: B;
}

interface RouteSpec<P, B> {
  readonly method: HttpMethod;
  /** Path below `/api/v1`, with `{name}` placeholders as in OpenAPI. */
  readonly path: string;
  readonly summary: string;
  readonly tags?: readonly string[];
  readonly params?: z.ZodType<P>;
  readonly body?: z.ZodType<B>;
  /** The success answer, for the OpenAPI document. */
  readonly success: {
    readonly status: number;
    readonly description: string;
    readonly schema?: z.ZodType;
  };
}

export interface PublicRoute<P = unknown, B = unknown> extends RouteSpec<P, B> {
  readonly auth: 'public';
  handle(ctx: RequestContext<P, B>): Promise<ApiReply>;
}

export interface TokenRoute<P = unknown, B = unknown> extends RouteSpec<P, B> {
  readonly auth: 'token';
  handle(ctx: RequestContext<P, B> & { readonly principal: Principal }): Promise<ApiReply>;
}

/** One API operation: its schemas validate requests and describe it in OpenAPI. */
export type Route<P = unknown, B = unknown> = PublicRoute<P, B> | TokenRoute<P, B>;

/** Declares a route with its parameter and body types inferred from its schemas. */
export function defineRoute<P = Record<string, never>, B = undefined>(route: Route<P, B>): Route {
  return route;
}

export const ok = (body: unknown, status = 200): ApiReply => ({ status, body });
