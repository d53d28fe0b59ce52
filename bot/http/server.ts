import {
  CHAT_PAGE_CSP,
  CHAT_PAGE_HTML,
  CHAT_PAGE_JS,
  WIDGET_JS,
} from '../interact/widget-assets.js';
import restify, { type Next, type Request, type Response, type Server } from 'restify';
import { z } from 'zod';
import type { GraphNotification } from '../../core/app/presence-feed.js';
import { asTenantId, asUserId, ID_PATTERN, type TenantId } from '../../core/domain/ids.js';
import type { Logger } from 'pino';
import type { TokenVerifier } from '../auth/token-verifier.js';
import { ApiError } from './api-error.js';
import { toErrorResponse } from './error-response.js';
import type { Route } from './route.js';
import { runRoute } from './run-route.js';
import { pipeEventStream } from './event-stream.js';
import { devModeRefusal } from './dev-mode-guard.js';
import { loggedUrl } from './logged-url.js';
import type { RequestLimiter } from './request-limiter.js';

/** What the bot endpoint answers: a status, and a body in the API's error shape on failure. */
export interface BotReply {
  readonly status: number;
  readonly body?: unknown;
}

export interface BotEndpoint {
  /** Hands one Bot Framework request to botbuilder's CloudAdapter. */
  process(req: Request): Promise<BotReply>;
}

/** What Microsoft Graph's webhooks hand over (the presence feed takes them). */
export interface GraphWebhooks {
  readonly notificationsPath: string;
  readonly lifecyclePath: string;
  notified(items: readonly GraphNotification[]): Promise<unknown>;
  lifecycle(items: readonly GraphNotification[]): Promise<unknown>;
}

const graphPost = z.object({
  value: z
    .array(
      z
        .object({
          subscriptionId: z.string().max(200),
          clientState: z.string().max(255).nullish(),
          // Graph's ids are GUIDs; anything else is not Graph's and never reaches core.
          tenantId: z.string().regex(ID_PATTERN).transform(asTenantId),
          resourceData: z
            .object({ id: z.string().regex(ID_PATTERN).transform(asUserId).optional() })
            .loose()
            .nullish(),
          lifecycleEvent: z.string().max(100).optional(),
        })
        .loose(),
    )
    .max(1000),
});

export interface HttpServerDeps {
  readonly routes: readonly Route[];
  readonly verify: TokenVerifier;
  readonly log: Logger;
  readonly bot: BotEndpoint;
  readonly tabDir: string;
  /** Aborted when the app stops: open event streams end so the server can close. */
  readonly shutdown: AbortSignal;
  /** Dev mode: only this machine is answered, never a request a proxy or tunnel forwarded. */
  readonly devMode: boolean;
  /** Requests a caller may make; asked after the token is verified. */
  readonly limiter?: RequestLimiter;
  /** Microsoft Graph's change notifications and lifecycle events (when Graph is configured). */
  readonly graph?: GraphWebhooks | undefined;
  /** The tenant a reporting key opens (the reporting feed's other way in). */
  readonly verifyReportingKey?: (key: string) => Promise<TenantId | undefined>;
  /** `WWW-Authenticate` on the reporting feed's 401 (where Power BI signs in). */
  readonly bearerChallenge?: string;
  /** Where clients reach this server (PUBLIC_BASE_URL); else the request's own host. */
  readonly publicBaseUrl?: string | undefined;
  /** Told of every answered request, by route (not by URL: ids stay out of metrics). */
  readonly onRequest?: (method: string, route: string, status: number, ms: number) => void;
}

/** `{tenantId}` -> `:tenantId`; a literal colon (`services:provision`) is escaped for the router. */
export function toRouterPath(path: string): string {
  return `/api/v1${path.replace(/:/g, '::').replace(/\{(\w+)\}/g, ':$1')}`;
}

function hasBody(req: Request): boolean {
  return (
    Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined
  );
}

/** The query string's parameters, the first of each name (a repeated one is not a list here). */
function queryOf(req: Request): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [name, value] of new URL(req.url ?? '/', 'http://local').searchParams)
    if (!(name in query)) query[name] = value;
  return query;
}

/** Where the client reached this server: PUBLIC_BASE_URL, else the request's host. */
function originOf(req: Request, publicBaseUrl: string | undefined): string {
  if (publicBaseUrl) return publicBaseUrl.replace(/\/+$/, '');
  const proto = req.isSecure() ? 'https' : 'http';
  return `${proto}://${req.headers.host ?? 'localhost'}`;
}

function mount(server: Server, route: Route, deps: HttpServerDeps): void {
  const method =
    route.method === 'DELETE'
      ? 'del'
      : (route.method.toLowerCase() as 'get' | 'put' | 'post' | 'patch');
  server[method](toRouterPath(route.path), async (req: Request, res: Response) => {
    if (hasBody(req) && req.getContentType() !== 'application/json') {
      const reply = toErrorResponse(
        new ApiError(415, 'unsupported_media_type', 'Send JSON (Content-Type: application/json).'),
      );
      res.send(reply.status, reply.body);
      return;
    }
    const reply = await runRoute(
      route,
      {
        params: req.params as Record<string, string>,
        query: queryOf(req),
        body: req.body,
        authorization: req.headers.authorization,
        origin: originOf(req, deps.publicBaseUrl),
        ...(typeof req.headers['api-key'] === 'string' && { apiKey: req.headers['api-key'] }),
      },
      deps,
    );
    if (reply.stream) await pipeEventStream(req, res, reply.stream, deps);
    else res.send(reply.status, reply.body, reply.headers);
  });
}

/**
 * A Microsoft Graph webhook: the validation handshake (echo `validationToken` as plain
 * text), then notifications, answered 202 at once and handled after (Graph wants an answer
 * within seconds, and retries what it does not get). A body that is not Graph's shape is
 * refused in the API's error shape.
 */
function mountGraphWebhook(
  server: Server,
  path: string,
  handle: (items: readonly GraphNotification[]) => Promise<unknown>,
  deps: HttpServerDeps,
): void {
  server.post(path, (req: Request, res: Response, next: Next) => {
    const token = new URL(req.url ?? '/', 'http://local').searchParams.get('validationToken');
    if (token !== null) {
      if (token.length > 4096) {
        const reply = toErrorResponse(
          new ApiError(400, 'invalid_request', 'validationToken is too long.'),
        );
        res.send(reply.status, reply.body);
        return next();
      }
      // Whatever the token holds goes back as text only (a reflected value, never markup).
      res.writeHead(200, {
        'content-type': 'text/plain; charset=utf-8',
        'x-content-type-options': 'nosniff',
      });
      res.end(token);
      return next();
    }
    const parsed = graphPost.safeParse(req.body);
    if (!parsed.success) {
      const reply = toErrorResponse(
        new ApiError(
          400,
          'invalid_request',
          'Send Microsoft Graph notifications ({"value": [...]}).',
        ),
      );
      res.send(reply.status, reply.body);
      return next();
    }
    res.send(202);
    void handle(parsed.data.value).catch((err: unknown) =>
      deps.log.error({ err }, 'Graph notifications failed'),
    );
    return next();
  });
}

/** One restify server: the bot endpoint, the API and the built tab. */
export function createHttpServer(deps: HttpServerDeps): Server {
  const server = restify.createServer({
    name: 'service-routing',
    handleUncaughtExceptions: false,
    // The router (find-my-way) turns a path segment over 100 characters into "no such route":
    // let every id reach the schemas, so one rule answers for all of them.
    maxParamLength: 1024,
    // The reporting feed's $metadata is XML (OData's CSDL), sent as the text it is.
    formatters: {
      'application/xml': (_req: Request, res: Response, body: unknown) => {
        const text = String(body);
        res.setHeader('Content-Length', Buffer.byteLength(text));
        return text;
      },
    },
  });
  if (deps.devMode)
    server.pre((req: Request, res: Response, next: Next) => {
      const refused = devModeRefusal({
        remoteAddress: req.socket.remoteAddress,
        headers: req.headers,
      });
      if (!refused) return next();
      const reply = toErrorResponse(ApiError.forbidden(refused));
      res.send(reply.status, reply.body);
      return next(false);
    });
  server.use(restify.plugins.bodyReader({ maxBodySize: 1024 * 1024 }));
  server.use(restify.plugins.jsonBodyParser({ mapParams: false }));

  server.post('/api/messages', async (req: Request, res: Response) => {
    const reply = await deps.bot.process(req);
    if (reply.body === undefined) res.send(reply.status);
    else res.send(reply.status, reply.body);
  });
  if (deps.graph) {
    const { graph } = deps;
    mountGraphWebhook(server, graph.notificationsPath, (items) => graph.notified(items), deps);
    mountGraphWebhook(server, graph.lifecyclePath, (items) => graph.lifecycle(items), deps);
  }
  for (const route of deps.routes) mount(server, route, deps);

  // The website chat's page, its script and the loader websites embed (see widget-assets.ts).
  const asset =
    (body: string, type: string, headers: Record<string, string> = {}) =>
    (_req: Request, res: Response, next: Next) => {
      res.writeHead(200, {
        'content-type': `${type}; charset=utf-8`,
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
        ...headers,
      });
      res.end(body);
      next(false);
    };
  server.get(
    '/interact/chat',
    asset(CHAT_PAGE_HTML, 'text/html', { 'content-security-policy': CHAT_PAGE_CSP }),
  );
  server.get('/interact/chat.js', asset(CHAT_PAGE_JS, 'text/javascript'));
  server.get('/interact/widget.js', asset(WIDGET_JS, 'text/javascript'));

  const serveTab = restify.plugins.serveStaticFiles(deps.tabDir);
  server.get('/tab/*', serveTab);
  server.get('/tab', (_req: Request, res: Response, next: Next) =>
    res.redirect(301, '/tab/', next),
  );
  server.get('/', (_req: Request, res: Response, next: Next) => res.redirect(302, '/tab/', next));

  // Errors raised by restify itself (bad JSON, unknown route) get the same shape as ours.
  server.on(
    'restifyError',
    (_req: Request, _res: Response, err: Error & { toJSON?: () => unknown }, next: () => void) => {
      const reply = toErrorResponse(err);
      if (!reply.expected) deps.log.error({ err }, 'request failed');
      err.toJSON = () => reply.body;
      next();
    },
  );
  server.on('after', (req: Request, res: Response) => {
    const route = req.getRoute() as { path?: unknown } | null;
    deps.onRequest?.(
      req.method ?? '',
      typeof route?.path === 'string' ? route.path : 'unmatched',
      res.statusCode,
      Date.now() - req.time(),
    );
    const level = req.url === '/api/v1/health' ? 'debug' : 'info';
    deps.log[level](
      {
        method: req.method,
        url: loggedUrl(req.url),
        status: res.statusCode,
        ms: Date.now() - req.time(),
      },
      'request',
    );
  });
  return server;
}
