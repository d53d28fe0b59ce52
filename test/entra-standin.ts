import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';

/** Bot Framework's issuer of the tokens channels send to bots. */
const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';

/**
 * Stands in for Entra ID's key set and Bot Framework's OpenID metadata, in the shapes they
 * publish (`/common/discovery/v2.0/keys`; an OpenID configuration naming `jwks_uri`, keys
 * with `endorsements`), and signs tokens as they would. The app under test reaches it
 * through its configurable endpoints (ENTRA_AUTHORITY_HOST, BOT_OPENID_METADATA_URL).
 */
export interface EntraStandIn {
  /** Use as ENTRA_AUTHORITY_HOST. */
  readonly authority: string;
  /** Use as BOT_OPENID_METADATA_URL. */
  readonly botMetadataUrl: string;
  /** An access token for the API, as Entra ID signs it (v2). */
  userToken(claims: {
    tenantId: string;
    userId: string;
    audience: string;
    roles?: string[];
    groups?: string[];
    expiresInSec?: number;
  }): Promise<string>;
  /** A channel's token for the bot, as Bot Framework signs it. */
  channelToken(claims: { botId: string; serviceUrl: string }): Promise<string>;
  /** A well-formed token signed by a key nobody published. */
  foreignToken(claims: { tenantId: string; userId: string; audience: string }): Promise<string>;
  stop(): Promise<void>;
}

async function keyPair(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { privateKey, jwk, kid };
}

export async function startEntraStandIn(): Promise<EntraStandIn> {
  const entra = await keyPair('entra-key');
  const channel = await keyPair('channel-key');
  const stranger = await keyPair('entra-key');
  let base = '';
  const documents: Record<string, () => unknown> = {
    '/common/discovery/v2.0/keys': () => ({ keys: [entra.jwk] }),
    '/botframework/v1/.well-known/openidconfiguration': () => ({
      issuer: BOT_FRAMEWORK_ISSUER,
      authorization_endpoint: `${base}/botframework/v1/authorize`,
      jwks_uri: `${base}/botframework/v1/.well-known/keys`,
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
    }),
    '/botframework/v1/.well-known/keys': () => ({
      keys: [{ ...channel.jwk, endorsements: ['msteams'] }],
    }),
  };
  const server: Server = createServer((req, res) => {
    const document = documents[req.url ?? ''];
    res.writeHead(document ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(document ? document() : { error: 'not_found' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const sign = (key: Awaited<ReturnType<typeof keyPair>>, claims: Record<string, unknown>) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' });

  const userToken: EntraStandIn['userToken'] = (c) =>
    sign(entra, {
      tid: c.tenantId,
      oid: c.userId,
      ...(c.roles && { roles: c.roles }),
      ...(c.groups && { groups: c.groups }),
    })
      .setIssuer(`${base}/${c.tenantId}/v2.0`)
      .setAudience(c.audience)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + (c.expiresInSec ?? 3600))
      .sign(entra.privateKey);

  return {
    authority: base,
    botMetadataUrl: `${base}/botframework/v1/.well-known/openidconfiguration`,
    userToken,
    channelToken: (c) =>
      sign(channel, { serviceurl: c.serviceUrl })
        .setIssuer(BOT_FRAMEWORK_ISSUER)
        .setAudience(c.botId)
        .setIssuedAt()
        .setNotBefore('0s')
        .setExpirationTime('1h')
        .sign(channel.privateKey),
    foreignToken: (c) =>
      sign(stranger, { tid: c.tenantId, oid: c.userId })
        .setIssuer(`${base}/${c.tenantId}/v2.0`)
        .setAudience(c.audience)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(stranger.privateKey),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
