import type { z } from 'zod';
import type { Api } from '../api/api-client';
import { ApiProblem } from '../api/api-problem';

export interface RecordedCall {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
}

/** A value to answer with, a refusal to throw, or a function for answers that wait. */
type Answer = unknown;

/**
 * An Api for component tests: answers from a table keyed `METHOD path`, parsed by the same
 * schemas as real answers, and records every call. The real API is covered end to end.
 */
export function fakeApi(answers: Record<string, Answer>) {
  const calls: RecordedCall[] = [];
  const answer = async <T>(method: string, path: string, body: unknown, schema: z.ZodType<T>) => {
    calls.push({ method, path, body });
    const key = `${method} ${path}`;
    if (!(key in answers)) throw new ApiProblem(404, 'not_found', `No answer for ${key}`);
    const given = answers[key];
    const value = typeof given === 'function' ? await (given as () => Promise<unknown>)() : given;
    if (value instanceof ApiProblem) throw value;
    return schema.parse(value);
  };
  const api: Api = {
    get: (path, schema) => answer('GET', path, undefined, schema),
    send: (method, path, body, schema) => answer(method, path, body, schema),
    authorizedFetch: () => Promise.reject(new Error('no streams in component tests')),
  };
  return { api, calls };
}
