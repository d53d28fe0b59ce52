import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { asTenantId, asUserId, isValidId } from '../../core/domain/ids.js';
import type { Principal } from './principal.js';

/** App role that marks the system operator (an app-only token of the operator's tenant). */
export const SYSTEM_OPERATOR_ROLE = 'System.Operator';

export interface TokenVerifierOptions {
  /** Signing keys: Entra ID's JWKS in production, the local dev key set in dev mode. */
  readonly keys: JWTVerifyGetKey;
  /** Accepted `aud` values: the app's client id and its `api://` URI. */
  readonly audiences: readonly string[];
  /** The tenant whose app-only tokens with the System.Operator role act as system operator. */
  readonly operatorTenantId: string;
  /** Entra ID's sign-in host, whose v2 tokens name it in their issuer. */
  readonly authorityHost?: string;
  readonly clockToleranceSec?: number;
  /** Wall-clock milliseconds (tests move it). */
  readonly now?: () => number;
}

/** Tokens verified lately, answered without checking their signature again. */
const REMEMBERED_TOKENS = 5_000;

export type Verification =
  | { readonly ok: true; readonly principal: Principal }
  | { readonly ok: false; readonly reason: string };

export const ENTRA_AUTHORITY_HOST = 'https://login.microsoftonline.com';

/** Entra ID issues v2 tokens as `.../{tid}/v2.0` and v1 tokens as `sts.windows.net/{tid}/`. */
export function issuersFor(tenantId: string, authorityHost = ENTRA_AUTHORITY_HOST): string[] {
  return [
    `${authorityHost.replace(/\/+$/, '')}/${tenantId}/v2.0`,
    `https://sts.windows.net/${tenantId}/`,
  ];
}

/**
 * Validates a bearer token by signature, algorithm, audience, expiry, issuer (which must
 * name the token's own tenant) and the presence of `tid` and `oid`. One path for Entra ID
 * tokens and dev tokens alike: only the key set differs.
 */
export function createTokenVerifier(options: TokenVerifierOptions) {
  // A client sends the same token with every call until it expires: its signature is
  // checked once (an ECDSA or RSA verification per call is a good share of a request).
  const verified = new Map<string, { readonly principal: Verification; readonly exp: number }>();
  const tolerance = (options.clockToleranceSec ?? 60) * 1000;
  const now = options.now ?? Date.now;
  return async function verify(token: string): Promise<Verification> {
    const known = verified.get(token);
    if (known) {
      if (known.exp + tolerance > now()) return known.principal;
      verified.delete(token);
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, options.keys, {
        currentDate: new Date(now()),
        audience: [...options.audiences],
        algorithms: ['RS256', 'ES256'],
        clockTolerance: options.clockToleranceSec ?? 60,
        requiredClaims: ['exp', 'iss', 'tid', 'oid'],
      }));
    } catch (error) {
      if (error instanceof errors.JOSEError) return { ok: false, reason: error.code };
      throw error;
    }
    const result = principalOf(payload, options.operatorTenantId, options.authorityHost);
    if (result.ok && payload.exp !== undefined) {
      if (verified.size >= REMEMBERED_TOKENS) verified.delete(verified.keys().next().value ?? '');
      verified.set(token, { principal: result, exp: payload.exp * 1000 });
    }
    return result;
  };
}

function principalOf(
  payload: JWTPayload,
  operatorTenantId: string,
  authorityHost: string | undefined,
): Verification {
  const { tid, oid, roles, groups } = payload as JWTPayload & {
    tid?: unknown;
    oid?: unknown;
    roles?: unknown;
    groups?: unknown;
  };
  if (typeof tid !== 'string' || typeof oid !== 'string' || !isValidId(tid) || !isValidId(oid)) {
    return { ok: false, reason: 'ERR_BAD_SUBJECT' };
  }
  if (!issuersFor(tid, authorityHost).includes(payload.iss ?? ''))
    return { ok: false, reason: 'ERR_JWT_ISSUER' };
  if (Array.isArray(roles) && roles.includes(SYSTEM_OPERATOR_ROLE)) {
    return tid === operatorTenantId
      ? { ok: true, principal: { kind: 'system' } }
      : { ok: false, reason: 'ERR_NOT_OPERATOR' };
  }
  // Entra ID puts the caller's security groups in `groups`; the tenant's admin groups grant rights.
  const groupIds = Array.isArray(groups)
    ? groups.filter((g): g is string => typeof g === 'string')
    : [];
  return {
    ok: true,
    principal: { kind: 'user', tenantId: asTenantId(tid), userId: asUserId(oid), groups: groupIds },
  };
}

export type TokenVerifier = ReturnType<typeof createTokenVerifier>;
