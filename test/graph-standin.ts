// A stand-in for Microsoft Graph and Entra ID's token endpoint, in the request and answer
// shapes Microsoft documents, over https with a certificate of its own (the app under test
// trusts it through NODE_EXTRA_CA_CERTS, as @azure/identity signs in over https only).
//   token:          POST /{tenant}/oauth2/v2.0/token (client credentials), and the OpenID
//                   configuration MSAL reads first
//   presence:       POST /v1.0/communications/getPresencesByUserId {ids} -> {value: [presence]}
//   subscriptions:  POST /v1.0/subscriptions (validation handshake on both URLs first, then
//                   201), PATCH and DELETE /v1.0/subscriptions/{id}
//   users:          GET /v1.0/users/{id or UPN}
//   teams:          GET /v1.0/teams/{groupId}/members (paged with @odata.nextLink), and
//                   /teams/{groupId}/installedApps?$expand=teamsApp&$filter=… (the app is in
//                   every team)
//   installations:  POST /v1.0/users/{id}/teamwork/installedApps (201, or 409 when there),
//                   GET …/installedApps?$expand=teamsApp&$filter=teamsApp/id eq '…' and
//                   …/installedApps/{id}/chat
//   groups:         GET /v1.0/groups/{id}?$select=… and /groups/{id}/transitiveMembers (people
//                   and nested groups, flattened, paged with @odata.nextLink)
//   managed identity: App Service's identity endpoint (IDENTITY_ENDPOINT, X-IDENTITY-HEADER),
//                   whose token the token endpoint takes as a client assertion; and client
//                   assertions signed with a certificate of the app (checked with jose)
//   notifications:  basic presence notifications (no presence in them, as since 2024) and
//                   lifecycle events posted to the subscriber
//   throttling:     429 with Retry-After for the next requests, on demand
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { decodeProtectedHeader, importX509, jwtVerify } from 'jose';
import selfsigned from 'selfsigned';
import { DEMO } from '../core/app/demo-tenant.js';

export interface StandInUser {
  readonly id: string;
  readonly upn: string;
  readonly displayName: string;
  availability: string;
  activity: string;
}

export interface StandInSubscription {
  readonly id: string;
  readonly tenantId: string;
  readonly resource: string;
  readonly userIds: readonly string[];
  readonly notificationUrl: string;
  readonly lifecycleNotificationUrl: string;
  readonly clientState: string;
  expirationDateTime: string;
}

export interface StandInTeamMember {
  readonly userId: string;
  readonly displayName: string;
  /** `owner`, `guest`, or none (a member). */
  readonly roles: readonly string[];
}

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  readonly tenantId: string | null;
}

export interface GraphStandIn {
  /** Use as ENTRA_AUTHORITY_HOST. */
  readonly authority: string;
  /** Use as GRAPH_BASE_URL. */
  readonly graph: string;
  /** Its certificate, for NODE_EXTRA_CA_CERTS. */
  readonly caFile: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly users: Map<string, StandInUser>;
  readonly subscriptions: Map<string, StandInSubscription>;
  readonly requests: SeenRequest[];
  /** Subscriptions are refused as Graph refuses app-only presence subscriptions (403). */
  refuseSubscriptions: boolean;
  /** Presence reads are refused (403), as in a tenant that did not consent. */
  refuseReads: boolean;
  /** Team rosters by the team's group id. */
  readonly teams: Map<string, StandInTeamMember[]>;
  /** Members per page of `/teams/{id}/members` and `/groups/{id}/transitiveMembers`. */
  membersPageSize: number;
  /** Security groups by id: their name and direct members (people's or groups' ids). */
  readonly groups: Map<string, { readonly displayName: string; readonly memberIds: string[] }>;
  /** The app in the tenant's catalog: its catalog id, and its manifest id as externalId. */
  readonly app: { readonly id: string; readonly externalId: string };
  /** Personal installations of the app by person: the installation's id and its chat. */
  readonly installed: Map<string, { readonly id: string; readonly chatId: string }>;
  /** Called when the app is installed for someone (as Teams then tells the bot). */
  onInstall: (userId: string, chatId: string) => void;
  /** Adds a certificate to the app registration (the public part, PEM). */
  trustClientCertificate(pem: string): void;
  /** For App Service's identity endpoint: IDENTITY_ENDPOINT and IDENTITY_HEADER. */
  readonly identity: { readonly endpoint: string; readonly header: string };
  /** The next n Graph requests get 429 with Retry-After (seconds). */
  throttleNext(n: number, retryAfterSec: number): void;
  /** Changes a person's presence and notifies every subscription that covers them. */
  setPresence(userId: string, availability: string, activity: string): Promise<void>;
  /** Changes a person's presence without telling anyone (a notification that got lost). */
  setPresenceSilently(userId: string, availability: string, activity: string): void;
  /** Posts a notification as Graph would, with the subscription's secret or another. */
  notify(subscriptionId: string, userId: string, clientState?: string): Promise<number>;
  /** Posts a lifecycle event (reauthorizationRequired, subscriptionRemoved, missed). */
  lifecycle(subscriptionId: string, event: string): Promise<number>;
  stop(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body?: unknown, headers = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body === undefined ? undefined : JSON.stringify(body));
};
const graphError = (res: ServerResponse, status: number, code: string, message: string) =>
  json(res, status, { error: { code, message, innerError: { 'request-id': randomUUID() } } });

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The ids of `/communications/presences?$filter=id in ('a','b')`. */
function idsOf(resource: string): string[] | null {
  const match = /^\/?communications\/presences\?\$filter=id in \((.*)\)$/.exec(resource);
  if (!match?.[1]) return null;
  return [...match[1].matchAll(/'((?:[^']|'')*)'/g)].map((m) => (m[1] ?? '').replace(/''/g, "'"));
}

export async function startGraphStandIn(options: {
  readonly dir: string;
  readonly users: readonly Omit<StandInUser, 'availability' | 'activity'>[];
  /** The app's id in its manifest (TEAMS_APP_ID). */
  readonly teamsAppId?: string;
}): Promise<GraphStandIn> {
  const tls = await selfsigned.generate([{ name: 'commonName', value: '127.0.0.1' }], {
    notAfterDate: new Date(Date.now() + 24 * 3600 * 1000),
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  const caFile = join(options.dir, 'graph-standin.pem');
  writeFileSync(caFile, tls.cert);
  const clientId = randomUUID();
  const clientSecret = `secret-${randomUUID()}`;
  const tokens = new Map<string, string>(); // token -> tenant
  const users = new Map<string, StandInUser>(
    options.users.map((u) => [u.id, { ...u, availability: 'Available', activity: 'Available' }]),
  );
  const subscriptions = new Map<string, StandInSubscription>();
  const requests: SeenRequest[] = [];
  const teams = new Map<string, StandInTeamMember[]>();
  const groups: GraphStandIn['groups'] = new Map();
  const installed = new Map<string, { id: string; chatId: string }>();
  const app = { id: randomUUID(), externalId: options.teamsAppId ?? randomUUID() };
  const identityHeader = randomUUID();
  /** Tokens of the managed identity, good as client assertions. */
  const assertions = new Set<string>();
  /** Certificates the app registration holds (their public keys check client assertions). */
  const clientCertificates: string[] = [];
  /** A client assertion the app signed with one of its certificates, for this endpoint. */
  const signedWithClientCertificate = async (jwt: string, audience: string) => {
    for (const pem of clientCertificates) {
      try {
        const { alg } = decodeProtectedHeader(jwt);
        const { payload } = await jwtVerify(jwt, await importX509(pem, alg ?? 'RS256'), {
          audience,
          issuer: clientId,
          subject: clientId,
          // Entra allows some clock skew; MSAL rounds its nbf to the nearest second, so an
          // assertion can be up to half a second "from the future" (the test failed 1 in 3).
          clockTolerance: '5 min',
        });
        if (payload.jti) return true;
      } catch {
        // not this certificate
      }
    }
    return false;
  };
  let throttle = { left: 0, retryAfterSec: 1 };
  let base = '';

  const post = async (url: string, body: unknown): Promise<number> => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    await response.body?.cancel();
    return response.status;
  };

  /** Graph's handshake: POST {url}?validationToken=…, expecting the token back as text. */
  const validate = async (url: string): Promise<boolean> => {
    const token = `Validation: ${randomUUID()} & more`;
    const response = await fetch(`${url}?validationToken=${encodeURIComponent(token)}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    return (
      response.status === 200 &&
      (response.headers.get('content-type') ?? '').startsWith('text/plain') &&
      text === token
    );
  };

  const subscriptionView = (s: StandInSubscription) => ({
    '@odata.context': `${base}/v1.0/$metadata#subscriptions/$entity`,
    id: s.id,
    resource: s.resource,
    changeType: 'updated',
    clientState: s.clientState,
    notificationUrl: s.notificationUrl,
    lifecycleNotificationUrl: s.lifecycleNotificationUrl,
    // Graph answers with seven decimals.
    expirationDateTime: s.expirationDateTime.replace(/\.(\d{3})Z$/, '.$10000Z'),
    applicationId: clientId,
  });

  const notification = (s: StandInSubscription, userId: string, clientState: string) => ({
    value: [
      {
        subscriptionId: s.id,
        clientState,
        changeType: 'updated',
        resource: s.resource.replace(/^\//, ''),
        subscriptionExpirationDateTime: s.expirationDateTime,
        resourceData: {
          '@odata.type': '#Microsoft.Graph.presence',
          '@odata.id': `users/${userId}/presence`,
          id: userId,
        },
        tenantId: s.tenantId,
      },
    ],
  });

  async function graph(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    body: unknown,
    query: URLSearchParams,
  ) {
    const auth = req.headers.authorization ?? '';
    const tenantId = tokens.get(auth.replace(/^Bearer /, '')) ?? null;
    const search = query.toString() ? `?${decodeURIComponent(query.toString())}` : '';
    requests.push({ method: req.method ?? '', path: `${path}${search}`, body, tenantId });
    if (!tenantId)
      return graphError(res, 401, 'InvalidAuthenticationToken', 'Access token is empty.');
    if (throttle.left > 0) {
      throttle = { ...throttle, left: throttle.left - 1 };
      res.writeHead(429, {
        'content-type': 'application/json',
        'retry-after': String(throttle.retryAfterSec),
      });
      return res.end(
        JSON.stringify({ error: { code: 'TooManyRequests', message: 'Too many requests.' } }),
      );
    }
    if (req.method === 'POST' && path === '/communications/getPresencesByUserId') {
      if (standIn.refuseReads)
        return graphError(
          res,
          403,
          'Forbidden',
          'Insufficient privileges to complete the operation.',
        );
      const ids = (body as { ids?: unknown }).ids;
      if (!Array.isArray(ids) || ids.length === 0 || ids.length > 650)
        return graphError(res, 400, 'BadRequest', 'ids must hold 1 to 650 ids.');
      return json(res, 200, {
        value: ids.flatMap((id) => {
          const u = users.get(String(id));
          return u
            ? [
                {
                  '@odata.type': '#microsoft.graph.presence',
                  id: u.id,
                  availability: u.availability,
                  activity: u.activity,
                  statusMessage: null,
                },
              ]
            : [];
        }),
      });
    }
    if (req.method === 'POST' && path === '/subscriptions') {
      const s = body as Record<string, unknown>;
      if (standIn.refuseSubscriptions)
        return graphError(
          res,
          403,
          'ExtensionError',
          'Operation: Create; Exception: [Status Code: Forbidden; Reason: The request is not authorized for this user or application.]',
        );
      const userIds = typeof s.resource === 'string' ? idsOf(s.resource) : null;
      if (
        s.changeType !== 'updated' ||
        !userIds ||
        userIds.length > 650 ||
        typeof s.notificationUrl !== 'string' ||
        typeof s.lifecycleNotificationUrl !== 'string' ||
        typeof s.expirationDateTime !== 'string' ||
        typeof s.clientState !== 'string' ||
        s.clientState.length > 128
      )
        return graphError(res, 400, 'ValidationError', 'The subscription request is not valid.');
      for (const url of [s.notificationUrl, s.lifecycleNotificationUrl])
        if (!(await validate(url)))
          return graphError(
            res,
            400,
            'ValidationError',
            `Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.`,
          );
      const made: StandInSubscription = {
        id: randomUUID(),
        tenantId,
        resource: s.resource as string,
        userIds,
        notificationUrl: s.notificationUrl,
        lifecycleNotificationUrl: s.lifecycleNotificationUrl,
        clientState: s.clientState,
        expirationDateTime: new Date(Date.parse(s.expirationDateTime)).toISOString(),
      };
      subscriptions.set(made.id, made);
      return json(res, 201, subscriptionView(made));
    }
    const sub = /^\/subscriptions\/([^/]+)$/.exec(path);
    if (sub) {
      const found = subscriptions.get(decodeURIComponent(sub[1] ?? ''));
      if (!found || found.tenantId !== tenantId)
        return graphError(res, 404, 'ResourceNotFound', 'The object was not found.');
      if (req.method === 'DELETE') {
        subscriptions.delete(found.id);
        return json(res, 204);
      }
      if (req.method === 'PATCH') {
        const at = (body as { expirationDateTime?: unknown }).expirationDateTime;
        if (typeof at !== 'string') return graphError(res, 400, 'BadRequest', 'expirationDateTime');
        found.expirationDateTime = new Date(Date.parse(at)).toISOString();
        return json(res, 200, subscriptionView(found));
      }
    }
    const members = /^\/teams\/([^/]+)\/members$/.exec(path);
    if (req.method === 'GET' && members) {
      const groupId = decodeURIComponent(members[1] ?? '');
      const roster = teams.get(groupId);
      if (!roster)
        return graphError(res, 404, 'NotFound', `No team found with Group Id ${groupId}`);
      const skip = Number(query.get('$skiptoken') ?? '0');
      const page = roster.slice(skip, skip + standIn.membersPageSize);
      const next = skip + page.length < roster.length ? skip + page.length : null;
      return json(res, 200, {
        '@odata.context': `${base}/v1.0/$metadata#teams('${groupId}')/members`,
        '@odata.count': page.length,
        ...(next !== null && {
          '@odata.nextLink': `${base}/v1.0/teams/${groupId}/members?$skiptoken=${next}`,
        }),
        value: page.map((m) => ({
          '@odata.type': '#microsoft.graph.aadUserConversationMember',
          id: Buffer.from(`${groupId}/${m.userId}`).toString('base64'),
          roles: m.roles,
          displayName: m.displayName,
          visibleHistoryStartDateTime: '0001-01-01T00:00:00Z',
          userId: m.userId,
          email: users.get(m.userId)?.upn ?? null,
          tenantId,
        })),
      });
    }
    const group = /^\/groups\/([^/]+)(\/transitiveMembers)?$/.exec(path);
    if (req.method === 'GET' && group) {
      const groupId = decodeURIComponent(group[1] ?? '');
      const found = groups.get(groupId);
      if (!found)
        return graphError(
          res,
          404,
          'Request_ResourceNotFound',
          `Resource '${groupId}' does not exist or one of its queried reference-property objects are not present.`,
        );
      if (!group[2])
        return json(res, 200, {
          '@odata.context': `${base}/v1.0/$metadata#groups(id,displayName)/$entity`,
          id: groupId,
          displayName: found.displayName,
        });
      // Nested groups' members too, each once; the nested groups themselves are listed.
      const seen = new Set<string>();
      const walk = (ids: readonly string[]) => {
        for (const id of ids) {
          if (seen.has(id)) continue;
          seen.add(id);
          walk(groups.get(id)?.memberIds ?? []);
        }
      };
      walk(found.memberIds);
      const all = [...seen].map((id) => {
        const user = users.get(id);
        return user
          ? {
              '@odata.type': '#microsoft.graph.user',
              id,
              displayName: user.displayName,
              userPrincipalName: user.upn,
            }
          : {
              '@odata.type': '#microsoft.graph.group',
              id,
              displayName: groups.get(id)?.displayName,
            };
      });
      const skip = Number(query.get('$skiptoken') ?? '0');
      const page = all.slice(skip, skip + standIn.membersPageSize);
      const next = skip + page.length < all.length ? skip + page.length : null;
      return json(res, 200, {
        '@odata.context': `${base}/v1.0/$metadata#directoryObjects(id,displayName,userPrincipalName)`,
        ...(next !== null && {
          '@odata.nextLink': `${base}/v1.0/groups/${groupId}/transitiveMembers?$select=id,displayName,userPrincipalName&$skiptoken=${next}`,
        }),
        value: page,
      });
    }
    const teamApps = /^\/teams\/([^/]+)\/installedApps$/.exec(path);
    if (req.method === 'GET' && teamApps) {
      if (!teams.has(decodeURIComponent(teamApps[1] ?? '')))
        return graphError(res, 404, 'NotFound', 'No team found');
      const wanted = /^teamsApp\/externalId eq '(.*)'$/.exec(query.get('$filter') ?? '')?.[1];
      const ours = wanted === undefined || wanted === app.externalId;
      return json(res, 200, {
        value: ours
          ? [
              {
                id: randomUUID(),
                teamsApp: {
                  id: app.id,
                  externalId: app.externalId,
                  displayName: 'Service Routing',
                  distributionMethod: 'organization',
                },
              },
            ]
          : [],
      });
    }
    const userApps = /^\/users\/([^/]+)\/teamwork\/installedApps(?:\/([^/]+)\/chat)?$/.exec(path);
    if (userApps) {
      const userId = decodeURIComponent(userApps[1] ?? '');
      if (!users.has(userId))
        return graphError(res, 404, 'NotFound', `User ${userId} was not found.`);
      const mine = installed.get(userId);
      if (req.method === 'POST' && !userApps[2]) {
        const bind = (body as Record<string, unknown>)['teamsApp@odata.bind'];
        if (bind !== `${base}/v1.0/appCatalogs/teamsApps/${app.id}`)
          return graphError(res, 404, 'NotFound', 'The app was not found in the catalog.');
        if (mine) return graphError(res, 409, 'Conflict', 'App is already installed.');
        const made = { id: randomUUID(), chatId: `19:${userId}_${app.id}@unq.gbl.spaces` };
        installed.set(userId, made);
        json(res, 201);
        standIn.onInstall(userId, made.chatId);
        return;
      }
      if (req.method === 'GET' && userApps[2])
        return mine && decodeURIComponent(userApps[2]) === mine.id
          ? json(res, 200, { id: mine.chatId, chatType: 'oneOnOne' })
          : graphError(res, 404, 'NotFound', 'Installation not found.');
      if (req.method === 'GET') {
        const wanted = /^teamsApp\/id eq '(.*)'$/.exec(query.get('$filter') ?? '')?.[1];
        return json(res, 200, {
          value:
            mine && (wanted === undefined || wanted === app.id)
              ? [{ id: mine.id, teamsApp: { id: app.id, externalId: app.externalId } }]
              : [],
        });
      }
    }
    const user = /^\/users\/([^/?]+)/.exec(path);
    if (req.method === 'GET' && user) {
      const key = decodeURIComponent(user[1] ?? '').toLowerCase();
      const found = [...users.values()].find((u) => u.id === key || u.upn.toLowerCase() === key);
      if (!found)
        return graphError(
          res,
          404,
          'Request_ResourceNotFound',
          `Resource '${key}' does not exist.`,
        );
      return json(res, 200, {
        id: found.id,
        displayName: found.displayName,
        userPrincipalName: found.upn,
      });
    }
    return graphError(res, 400, 'BadRequest', `Unsupported request ${req.method} ${path}`);
  }

  const server = createServer({ key: tls.private, cert: tls.cert }, (req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'https://127.0.0.1');
      const text = await readBody(req);
      const openid = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(url.pathname);
      if (req.method === 'GET' && openid) {
        const tenant = openid[1] ?? '';
        return json(res, 200, {
          token_endpoint: `${base}/${tenant}/oauth2/v2.0/token`,
          authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/authorize`,
          end_session_endpoint: `${base}/${tenant}/oauth2/v2.0/logout`,
          issuer: `${base}/${tenant}/v2.0`,
          jwks_uri: `${base}/${tenant}/discovery/v2.0/keys`,
          response_types_supported: ['code', 'id_token', 'token'],
          scopes_supported: ['openid'],
        });
      }
      if (req.method === 'GET' && url.pathname === '/msi/token') {
        // App Service's identity endpoint (api-version 2019-08-01).
        if (req.headers['x-identity-header'] !== identityHeader) return json(res, 401, {});
        const access = `mi-${randomUUID()}`;
        assertions.add(access);
        return json(res, 200, {
          access_token: access,
          expires_on: String(Math.floor(Date.now() / 1000) + 3600),
          resource: url.searchParams.get('resource'),
          token_type: 'Bearer',
          client_id: url.searchParams.get('client_id'),
        });
      }
      const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(url.pathname);
      if (req.method === 'POST' && token) {
        const form = new URLSearchParams(text);
        const assertion = form.get('client_assertion');
        const jwtBearer =
          form.get('client_assertion_type') ===
            'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' && assertion !== null;
        const signedIn =
          form.get('client_secret') === clientSecret ||
          (jwtBearer &&
            (assertions.has(assertion) ||
              (await signedWithClientCertificate(assertion, `${base}${url.pathname}`))));
        if (
          form.get('grant_type') !== 'client_credentials' ||
          form.get('client_id') !== clientId ||
          !signedIn
        )
          return json(res, 401, {
            error: 'invalid_client',
            error_description: 'AADSTS7000215: Invalid client secret provided.',
            error_codes: [7000215],
          });
        const access = `token-${randomUUID()}`;
        tokens.set(access, token[1] ?? '');
        return json(res, 200, {
          token_type: 'Bearer',
          expires_in: 3599,
          ext_expires_in: 3599,
          access_token: access,
        });
      }
      if (url.pathname.startsWith('/v1.0/'))
        return graph(
          req,
          res,
          url.pathname.slice('/v1.0'.length),
          text ? (JSON.parse(text) as unknown) : undefined,
          url.searchParams,
        );
      return json(res, 404, { error: { code: 'NotFound', message: url.pathname } });
    })().catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const standIn: GraphStandIn = {
    authority: base,
    graph: `${base}/v1.0`,
    caFile,
    clientId,
    clientSecret,
    users,
    subscriptions,
    requests,
    refuseSubscriptions: false,
    refuseReads: false,
    teams,
    membersPageSize: 2,
    groups,
    app,
    installed,
    onInstall: () => undefined,
    trustClientCertificate: (pem) => void clientCertificates.push(pem),
    identity: { endpoint: `${base}/msi/token`, header: identityHeader },
    throttleNext: (n, retryAfterSec) => {
      throttle = { left: n, retryAfterSec };
    },
    setPresenceSilently(userId, availability, activity) {
      const user = users.get(userId);
      if (!user) throw new Error(`no stand-in user ${userId}`);
      user.availability = availability;
      user.activity = activity;
    },
    async setPresence(userId, availability, activity) {
      standIn.setPresenceSilently(userId, availability, activity);
      for (const s of subscriptions.values())
        if (s.userIds.includes(userId))
          await post(s.notificationUrl, notification(s, userId, s.clientState));
    },
    async notify(subscriptionId, userId, clientState) {
      const s = subscriptions.get(subscriptionId);
      if (!s) throw new Error(`no subscription ${subscriptionId}`);
      return post(s.notificationUrl, notification(s, userId, clientState ?? s.clientState));
    },
    async lifecycle(subscriptionId, event) {
      const s = subscriptions.get(subscriptionId);
      if (!s) throw new Error(`no subscription ${subscriptionId}`);
      if (event === 'subscriptionRemoved') subscriptions.delete(subscriptionId);
      return post(s.lifecycleNotificationUrl, {
        value: [
          {
            subscriptionId: s.id,
            subscriptionExpirationDateTime: s.expirationDateTime,
            tenantId: s.tenantId,
            clientState: s.clientState,
            lifecycleEvent: event,
          },
        ],
      });
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return standIn;
}

/** The stand-in with the demo tenant's people (signing in as firstname@contoso.example). */
export const startDemoGraphStandIn = (dir: string, teamsAppId?: string) =>
  startGraphStandIn({
    dir,
    ...(teamsAppId && { teamsAppId }),
    users: DEMO.users.map((u) => ({
      id: u.id,
      displayName: u.displayName,
      upn: `${u.displayName.split(' ')[0]?.toLowerCase()}@contoso.example`,
    })),
  });

/**
 * The app's settings for Microsoft Graph through the stand-in (the credential apart): its
 * endpoints, and its certificate trusted (as @azure/identity signs in over https only).
 */
export const graphEnv = (graph: GraphStandIn) => ({
  GRAPH_CLIENT_ID: graph.clientId,
  GRAPH_BASE_URL: graph.graph,
  ENTRA_AUTHORITY_HOST: graph.authority,
  NODE_EXTRA_CA_CERTS: graph.caFile,
});
