import { strict as assert } from 'node:assert';
import { z } from 'zod';
import { openApiDocument } from './openapi.js';
import { defineRoute, ok } from './route.js';
import { toRouterPath } from './server.js';

describe('openApiDocument', () => {
  const routes = [
    defineRoute({
      method: 'PATCH',
      path: '/tenants/{tenantId}/settings',
      summary: 'Change settings',
      auth: 'token',
      params: z.object({ tenantId: z.string() }),
      body: z.object({ maxIm: z.number().int().min(1).max(50) }),
      success: { status: 200, description: 'Saved' },
      handle: () => Promise.resolve(ok({})),
    }),
    defineRoute({
      method: 'GET',
      path: '/health',
      summary: 'Health',
      auth: 'public',
      success: { status: 200, description: 'ok' },
      handle: () => Promise.resolve(ok({})),
    }),
    defineRoute({
      method: 'POST',
      path: '/chats',
      summary: 'A public route with a limit of its own',
      auth: 'public',
      rateLimit: 'More than 20 lines a minute',
      success: { status: 201, description: 'ok' },
      handle: () => Promise.resolve(ok({})),
    }),
  ];
  const doc = openApiDocument(routes, '1.2.3');

  it('is OpenAPI 3.1 with every route under /api/v1, and Microsoft Graph’s webhooks', () => {
    assert.equal(doc.openapi, '3.1.0');
    assert.deepEqual(Object.keys(doc.paths).sort(), [
      '/api/graph/lifecycle',
      '/api/graph/notifications',
      '/api/v1/chats',
      '/api/v1/health',
      '/api/v1/tenants/{tenantId}/settings',
    ]);
  });

  it('describes the request limit (429 with Retry-After) on routes that need a token only', () => {
    const limited = doc.paths['/api/v1/tenants/{tenantId}/settings']?.patch as {
      responses: Record<string, { headers?: Record<string, unknown> }>;
    };
    assert.ok(limited.responses['429']?.headers?.['Retry-After']);
    const open = doc.paths['/api/v1/health']?.get as { responses: Record<string, unknown> };
    assert.equal(open.responses['429'], undefined);
  });

  it('describes a public route’s own rate limit where it has one', () => {
    const chats = doc.paths['/api/v1/chats']?.post as {
      responses: Record<string, { description?: string; headers?: Record<string, unknown> }>;
    };
    assert.equal(chats.responses['429']?.description, 'More than 20 lines a minute');
    assert.ok(chats.responses['429']?.headers?.['Retry-After']);
  });

  it('describes bodies with the very limits that validate them', () => {
    const op = doc.paths['/api/v1/tenants/{tenantId}/settings']?.patch as {
      requestBody: {
        content: {
          'application/json': {
            schema: { properties: { maxIm: { minimum: number; maximum: number } } };
          };
        };
      };
      parameters: { name: string; in: string }[];
      security: unknown[];
    };
    const maxIm = op.requestBody.content['application/json'].schema.properties.maxIm;
    assert.equal(maxIm.minimum, 1);
    assert.equal(maxIm.maximum, 50);
    assert.deepEqual(
      op.parameters.map((p) => [p.name, p.in]),
      [['tenantId', 'path']],
    );
    assert.deepEqual(op.security, [{ bearer: [] }]);
  });

  it('marks public routes as needing no token', () => {
    assert.deepEqual((doc.paths['/api/v1/health']?.get as { security: unknown[] }).security, []);
  });
});

describe('toRouterPath', () => {
  it('turns OpenAPI placeholders into router parameters and escapes literal colons', () => {
    assert.equal(
      toRouterPath('/tenants/{t}/services:provision'),
      '/api/v1/tenants/:t/services::provision',
    );
  });
});

describe('openApiDocument: task callbacks', () => {
  it('describes what a task’s callback address receives: headers, body schema and an example', async () => {
    const { TASK_OUTCOME_CALLBACK } = await import('../api/callback-doc.js');
    const route = defineRoute({
      method: 'POST',
      path: '/tasks',
      summary: 'New task',
      auth: 'token',
      success: { status: 201, description: 'Created' },
      callbacks: { taskOutcome: TASK_OUTCOME_CALLBACK },
      handle: () => Promise.resolve(ok({})),
    });
    const operation = openApiDocument([route], '1').paths['/api/v1/tasks']?.post as {
      callbacks: Record<string, Record<string, { post: Record<string, any> }>>;
    };
    const post = operation.callbacks.taskOutcome?.['{$request.body#/callbackUrl}']?.post;
    assert.ok(post, 'a callback at the address the body gave');
    const content = post.requestBody.content['application/json'];
    assert.deepEqual(content.schema.properties.type.enum, [
      'task.accepted',
      'task.completed',
      'task.canceled',
      'task.abandoned',
    ]);
    assert.equal(TASK_OUTCOME_CALLBACK.body.safeParse(content.example).success, true);
    assert.deepEqual(
      post.parameters.map((p: { name: string }) => p.name),
      ['x-callback-id', 'x-callback-event', 'x-callback-timestamp', 'x-callback-signature'],
    );
    assert.deepEqual(Object.keys(post.responses).sort(), ['2XX', '408', 'default']);
  });
});
