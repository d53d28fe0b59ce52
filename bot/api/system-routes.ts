import { z } from 'zod';
import { defineRoute, ok, type Route } from '../http/route.js';
import { openApiDocument } from '../http/openapi.js';

export interface SystemRouteDeps {
  readonly storageKind: 'azurite' | 'azure';
  readonly version: string;
  /** All routes, so the OpenAPI document describes exactly what is served. */
  readonly routes: () => readonly Route[];
}

/** Health and the self-description of the API. */
export function systemRoutes(deps: SystemRouteDeps): Route[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/health',
      summary: 'Liveness and which storage is in use',
      tags: ['system'],
      auth: 'public',
      success: {
        status: 200,
        description: 'Ready',
        schema: z.object({ status: z.literal('ok'), storage: z.enum(['azurite', 'azure']) }),
      },
      handle: () => Promise.resolve(ok({ status: 'ok', storage: deps.storageKind })),
    }),
    defineRoute({
      method: 'GET',
      path: '/openapi.json',
      summary: 'This OpenAPI 3.1 document',
      tags: ['system'],
      auth: 'public',
      success: { status: 200, description: 'The document' },
      handle: () => Promise.resolve(ok(openApiDocument(deps.routes(), deps.version))),
    }),
  ];
}
