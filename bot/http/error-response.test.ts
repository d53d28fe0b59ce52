import { strict as assert } from 'node:assert';
import { z } from 'zod';
import { ConflictError } from '../../core/store/conflict-error.js';
import { ApiError } from './api-error.js';
import { toErrorResponse } from './error-response.js';

const named = (name: string) => Object.assign(new Error('x'), { name });

describe('toErrorResponse', () => {
  const cases: [string, unknown, number, string][] = [
    [
      'an ApiError keeps its status and code',
      new ApiError(409, 'license_exhausted', 'none left'),
      409,
      'license_exhausted',
    ],
    ['a lost race is a retryable conflict', new ConflictError('stale', 'T'), 409, 'conflict'],
    ['malformed JSON', named('InvalidContentError'), 400, 'invalid_request'],
    ['an unknown route', named('ResourceNotFoundError'), 404, 'not_found'],
    ['a wrong method', named('MethodNotAllowedError'), 405, 'method_not_allowed'],
    ['a body too large', named('PayloadTooLargeError'), 413, 'payload_too_large'],
    ['a bug', new TypeError('x is undefined'), 500, 'internal'],
    ['a thrown non-error', 'boom', 500, 'internal'],
  ];
  for (const [name, error, status, code] of cases) {
    it(`${name} -> ${status} ${code}`, () => {
      const response = toErrorResponse(error);
      assert.equal(response.status, status);
      assert.equal(response.body.error.code, code);
      assert.ok(response.body.error.message.length > 0);
    });
  }

  it('lists every invalid field of a schema failure', () => {
    const result = z
      .object({ name: z.string(), limits: z.object({ im: z.number().max(50) }) })
      .safeParse({ limits: { im: 99 } });
    assert.ok(!result.success);
    const response = toErrorResponse(result.error);
    assert.equal(response.status, 400);
    assert.equal(response.body.error.code, 'validation_failed');
    const fields = (response.body.error.details as { field: string }[]).map((d) => d.field);
    assert.deepEqual(fields.sort(), ['limits.im', 'name']);
  });

  it('shows no internals of an unexpected error and marks it for logging', () => {
    const response = toErrorResponse(
      new Error('connection string AccountKey=secret at /srv/x.js:1'),
    );
    assert.equal(response.expected, false);
    assert.doesNotMatch(JSON.stringify(response.body), /secret|x\.js|stack/);
  });
});
