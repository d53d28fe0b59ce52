import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWTVerifyGetKey } from 'jose';
import { issuersFor, SYSTEM_OPERATOR_ROLE } from './token-verifier.js';

/** The audience of dev tokens; the verifier accepts it only in dev mode. */
export const DEV_AUDIENCE = 'api://localhost/service-routing';
/** The pretend operator tenant whose tokens are system tokens in dev mode. */
export const DEV_OPERATOR_TENANT = '00000000-0000-0000-0000-00000000000f';

export type DevTokenRequest =
  | { readonly system: true }
  | {
      readonly tenantId: string;
      readonly userId: string;
      readonly groups?: readonly string[] | undefined;
    };

export interface DevTokenIssuer {
  readonly keys: JWTVerifyGetKey;
  mint(request: DevTokenRequest): Promise<string>;
}

/**
 * Signs tokens shaped like Entra ID's with a key pair made at start-up (never stored),
 * so dev mode exercises the same verifier as production.
 */
export async function createDevTokenIssuer(lifetimeSec = 12 * 3600): Promise<DevTokenIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const kid = 'dev-key';
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  return {
    keys: createLocalJWKSet({ keys: [jwk] }),
    mint: (request) => {
      const claims =
        'system' in request
          ? {
              tid: DEV_OPERATOR_TENANT,
              oid: 'system-operator',
              roles: [SYSTEM_OPERATOR_ROLE],
              idtyp: 'app',
            }
          : {
              tid: request.tenantId,
              oid: request.userId,
              ...(request.groups && { groups: [...request.groups] }),
            };
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid })
        .setIssuer(issuersFor(claims.tid)[0] ?? '')
        .setAudience(DEV_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${lifetimeSec}s`)
        .sign(privateKey);
    },
  };
}
