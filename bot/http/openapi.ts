import { z } from 'zod';
import type { Route } from './route.js';

const errorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' });

function parametersOf(route: Route) {
  const path =
    route.params instanceof z.ZodObject
      ? Object.entries(route.params.shape as Record<string, z.ZodType>).map(([name, schema]) => ({
          name,
          in: 'path',
          required: true,
          schema: jsonSchema(schema, 'input'),
        }))
      : [];
  const query =
    route.query instanceof z.ZodObject
      ? Object.entries(route.query.shape as Record<string, z.ZodType>).map(([name, schema]) => ({
          name,
          in: 'query',
          required: !schema.safeParse(undefined).success,
          ...(schema.description && { description: schema.description }),
          schema: jsonSchema(schema, 'input'),
        }))
      : [];
  return [...path, ...query];
}

/** OpenAPI `callbacks`: the requests the app makes to an address the request gave. */
function callbacksOf(route: Route) {
  if (!route.callbacks) return undefined;
  return Object.fromEntries(
    Object.entries(route.callbacks).map(([name, call]) => [
      name,
      {
        [call.expression]: {
          post: {
            summary: call.summary,
            parameters: Object.entries(call.headers).map(([header, description]) => ({
              name: header,
              in: 'header',
              required: true,
              description,
              schema: { type: 'string' },
            })),
            requestBody: {
              required: true,
              content: {
                'application/json': {
                  schema: jsonSchema(call.body, 'output'),
                  example: call.example,
                },
              },
            },
            responses: Object.fromEntries(
              Object.entries(call.answers).map(([status, description]) => [
                status,
                { description },
              ]),
            ),
          },
        },
      },
    ]),
  );
}

function operationOf(route: Route) {
  const callbacks = callbacksOf(route);
  return {
    ...(callbacks && { callbacks }),
    summary: route.summary,
    tags: route.tags,
    security:
      route.auth === 'token'
        ? [{ bearer: [] }]
        : route.auth === 'reporting'
          ? [{ bearer: [] }, { reportingKey: [] }]
          : [],
    parameters: parametersOf(route),
    ...(route.body && {
      requestBody: {
        required: true,
        content: { 'application/json': { schema: jsonSchema(route.body, 'input') } },
      },
    }),
    responses: {
      [route.success.status]: {
        description: route.success.description,
        ...(route.success.schema && {
          content: { 'application/json': { schema: jsonSchema(route.success.schema, 'output') } },
        }),
      },
      ...((route.auth !== 'public' || route.rateLimit) && {
        429: {
          description:
            route.rateLimit ??
            'Too many requests from this person or tenant (rate_limited): try again after Retry-After seconds',
          headers: { 'Retry-After': { schema: { type: 'integer', minimum: 1 } } },
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      }),
      default: {
        description: 'An error in the API.md shape',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      },
    },
  };
}

/** Microsoft Graph's webhooks (answered when Microsoft Graph is configured: GRAPH_CLIENT_ID and a credential). */
function graphWebhook(summary: string) {
  return {
    post: {
      summary,
      tags: ['microsoft graph'],
      description:
        'Called by Microsoft Graph, not by clients. With `validationToken` it answers the subscription handshake; otherwise it takes notifications (`{"value": [...]}`), each checked against the secret (`clientState`) its subscription was made with.',
      parameters: [
        {
          name: 'validationToken',
          in: 'query',
          required: false,
          description: 'The handshake: echoed back as text/plain',
          schema: { type: 'string', maxLength: 4096 },
        },
      ],
      requestBody: {
        required: false,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['value'],
              properties: { value: { type: 'array', maxItems: 1000, items: { type: 'object' } } },
            },
          },
        },
      },
      responses: {
        '200': {
          description: 'The validation token, as sent',
          content: { 'text/plain': { schema: { type: 'string' } } },
        },
        '202': { description: 'Taken; handled after the answer' },
        default: {
          description: 'An error in the API.md shape',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
    },
  };
}

/** The OpenAPI 3.1 document, generated from the very schemas that validate requests. */
export function openApiDocument(routes: readonly Route[], version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    (paths[`/api/v1${route.path}`] ??= {})[route.method.toLowerCase()] = operationOf(route);
  }
  paths['/api/graph/notifications'] = graphWebhook('Microsoft Graph presence change notifications');
  paths['/api/graph/lifecycle'] = graphWebhook(
    'Microsoft Graph lifecycle events (reauthorizationRequired, subscriptionRemoved, missed)',
  );
  return {
    openapi: '3.1.0',
    info: { title: 'Service routing for Teams API', version },
    paths,
    components: {
      schemas: { Error: jsonSchema(errorBody, 'output') },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        reportingKey: {
          type: 'apiKey',
          in: 'query',
          name: 'api-key',
          description:
            'The tenant’s reporting key (Tenant settings, Reporting): Power BI’s Web API credential, with ApiKeyName "api-key"',
        },
      },
    },
  };
}
