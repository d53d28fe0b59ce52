import { z } from 'zod';
import { defineRoute, ok, type Route } from '../http/route.js';
import { openApiDocument } from '../http/openapi.js';

export interface SystemRouteDeps {
  readonly storageKind: 'azurite' | 'azure';
  readonly version: string;
  /** Tells the tab to offer "sign in as" (no Entra app, loopback only). */
  readonly devMode: boolean;
  /** `manual`: time moves only when told, so the tab must not count seconds by itself. */
  readonly clock: 'system' | 'manual';
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
        schema: z.object({
          status: z.literal('ok'),
          storage: z.enum(['azurite', 'azure']),
          devMode: z.boolean(),
          clock: z.enum(['system', 'manual']),
        }),
      },
      handle: () =>
        Promise.resolve(
          ok({
            status: 'ok',
            storage: deps.storageKind,
            devMode: deps.devMode,
            clock: deps.clock,
          }),
        ),
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
