import { strict as assert } from 'node:assert';
import { pino } from 'pino';
import { Writable } from 'node:stream';
import { z } from 'zod';
import type { TokenVerifier } from '../auth/token-verifier.js';
import { defineRoute, ok, type Route } from './route.js';
import { runRoute } from './run-route.js';

function capturingLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { log: pino({ level: 'info' }, stream), lines };
}

const verify: TokenVerifier = (token) =>
  Promise.resolve(
    token === 'good'
      ? { ok: true, principal: { kind: 'system' } }
      : { ok: false, reason: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' },
  );

const echo: Route = defineRoute({
  method: 'PUT',
  path: '/things/{id}',
  summary: 'echo',
  auth: 'token',
  params: z.object({ id: z.string().regex(/^[a-z]+$/) }),
  body: z.object({ count: z.number().int().min(1) }).strict(),
  success: { status: 200, description: 'echo' },
  handle: ({ params, body, principal }) =>
    Promise.resolve(ok({ id: params.id, count: body.count, who: principal.kind })),
});

const request = (over: Partial<Parameters<typeof runRoute>[1]> = {}) => ({
  params: { id: 'abc' },
  body: { count: 2 },
  authorization: 'Bearer good',
  ...over,
});

describe('runRoute', () => {
  it('given a valid token and body, when run, then the handler answers', async () => {
    const { log } = capturingLogger();
    assert.deepEqual(await runRoute(echo, request(), { verify, log }), {
      status: 200,
      body: { id: 'abc', count: 2, who: 'system' },
    });
  });

  const unauthenticated: [string, string | undefined][] = [
    ['no Authorization header', undefined],
    ['another scheme', 'Basic dXNlcjpwdw=='],
    ['a bad token', 'Bearer forged'],
  ];
  for (const [name, authorization] of unauthenticated) {
    it(`answers 401 unauthenticated for ${name}`, async () => {
      const { log } = capturingLogger();
      const reply = await runRoute(echo, request({ authorization }), { verify, log });
      assert.equal(reply.status, 401);
      assert.equal((reply.body as { error: { code: string } }).error.code, 'unauthenticated');
    });
  }

  it('answers 400 validation_failed naming the path and body fields', async () => {
    const { log } = capturingLogger();
    const reply = await runRoute(
      echo,
      request({ params: { id: 'A1' }, body: { count: 0, extra: true } }),
      { verify, log },
    );
    assert.equal(reply.status, 400);
    const details = (reply.body as { error: { details: { field: string }[] } }).error.details;
    assert.deepEqual(details.map((d) => d.field).sort(), ['(body)', 'count', 'id']);
  });

  it('answers 500 without internals for a bug, and logs it with its stack', async () => {
    const { log, lines } = capturingLogger();
    const broken = defineRoute({
      method: 'GET',
      path: '/broken',
      summary: 'broken',
      auth: 'public',
      success: { status: 200, description: 'never' },
      handle: () => Promise.reject(new Error('secret internals')),
    });
    const reply = await runRoute(broken, request(), { verify, log });
    assert.equal(reply.status, 500);
    assert.doesNotMatch(JSON.stringify(reply.body), /secret internals/);
    assert.match(lines.join(''), /secret internals/);
    assert.match(lines.join(''), /"stack"/);
  });
});
