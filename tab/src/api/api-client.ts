import type { z } from 'zod';
import { ApiProblem } from './api-problem';

export type TokenSource = () => Promise<string>;

/** The API as the tab uses it: JSON in and out, a Bearer token on every call. */
export interface Api {
  get<T>(path: string, schema: z.ZodType<T>): Promise<T>;
  send<T>(
    method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    body: unknown,
    schema: z.ZodType<T>,
  ): Promise<T>;
  /** The same request with the token, for streams (`/me/events`). */
  authorizedFetch(input: string | URL, init?: RequestInit): Promise<Response>;
}

const errorBody = (body: unknown) =>
  (body as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;

async function parseReply<T>(response: Response, schema: z.ZodType<T>): Promise<T> {
  const text = await response.text();
  const body: unknown = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const error = errorBody(body);
    throw new ApiProblem(
      response.status,
      error?.code ?? 'http_error',
      error?.message ?? `The service answered ${response.status}.`,
      error?.details,
    );
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    throw new ApiProblem(
      502,
      'unexpected_reply',
      `The service sent an answer this page does not understand (${parsed.error.issues[0]?.path.join('.') ?? 'body'}).`,
    );
  return parsed.data;
}

/** Talks to `/api/v1` of the server that serves the tab. */
export function createApi(token: TokenSource, base = '/api/v1'): Api {
  const authorizedFetch = async (input: string | URL, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${await token()}`);
    return fetch(input, { ...init, headers });
  };
  const call = async <T>(method: string, path: string, body: unknown, schema: z.ZodType<T>) => {
    let response: Response;
    try {
      response = await authorizedFetch(`${base}${path}`, {
        method,
        ...(body !== undefined && {
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }),
      });
    } catch (error) {
      throw new ApiProblem(
        0,
        'unreachable',
        `The service could not be reached (${String(error)}).`,
      );
    }
    return parseReply(response, schema);
  };
  return {
    get: (path, schema) => call('GET', path, undefined, schema),
    send: (method, path, body, schema) => call(method, path, body, schema),
    authorizedFetch,
  };
}
