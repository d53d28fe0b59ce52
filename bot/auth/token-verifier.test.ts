import { strict as assert } from 'node:assert';
import { generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import {
  createDevTokenIssuer,
  DEV_AUDIENCE,
  DEV_OPERATOR_TENANT,
  type DevTokenIssuer,
} from './dev-token-issuer.js';
import { createTokenVerifier, issuersFor, type TokenVerifier } from './token-verifier.js';

describe('token verifier', () => {
  let issuer: DevTokenIssuer;
  let verify: TokenVerifier;
  before(async () => {
    issuer = await createDevTokenIssuer();
    verify = createTokenVerifier({
      keys: issuer.keys,
      audiences: [DEV_AUDIENCE],
      operatorTenantId: DEV_OPERATOR_TENANT,
    });
  });

  /** A well-formed token with the dev key's id, signed by a key the verifier never saw. */
  async function forged(claims: JWTPayload) {
    const { privateKey } = await generateKeyPair('ES256');
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: 'dev-key' })
      .sign(privateKey);
  }

  it('accepts a user token and names its tenant and user', async () => {
    const result = await verify(await issuer.mint({ tenantId: 'tenant-1', userId: 'user-1' }));
    assert.deepEqual(result, {
      ok: true,
      principal: { kind: 'user', tenantId: 'tenant-1', userId: 'user-1', groups: [] },
    });
  });

  it('accepts a system token from the operator tenant', async () => {
    assert.deepEqual(await verify(await issuer.mint({ system: true })), {
      ok: true,
      principal: { kind: 'system' },
    });
  });

  it('refuses a token signed by another key', async () => {
    const iss = issuersFor('tenant-1')[0];
    const token = await forged({
      tid: 'tenant-1',
      oid: 'u',
      iss,
      aud: DEV_AUDIENCE,
      exp: Math.floor(Date.now() / 1000) + 600,
    });
    assert.equal((await verify(token)).ok, false);
  });

  it('refuses garbage and unsigned tokens', async () => {
    assert.equal((await verify('not.a.jwt')).ok, false);
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const body = Buffer.from(JSON.stringify({ tid: 't', oid: 'u' })).toString('base64url');
    assert.equal((await verify(`${header}.${body}.`)).ok, false);
  });

  describe('with the right key but wrong claims', () => {
    let strictVerify: TokenVerifier;
    let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
    before(async () => {
      const pair = await generateKeyPair('ES256');
      privateKey = pair.privateKey;
      strictVerify = createTokenVerifier({
        keys: () => Promise.resolve(pair.publicKey),
        audiences: ['api://app'],
        operatorTenantId: 'op',
      });
    });
    const good = (): JWTPayload => ({
      tid: 'tenant-1',
      oid: 'user-1',
      iss: issuersFor('tenant-1')[0],
      aud: 'api://app',
      exp: Math.floor(Date.now() / 1000) + 600,
    });
    const sign = (claims: JWTPayload) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'ES256' }).sign(privateKey);

    it('accepts the good token (control)', async () => {
      assert.equal((await strictVerify(await sign(good()))).ok, true);
    });
    it('accepts the v1 issuer form of the same tenant', async () => {
      assert.equal(
        (await strictVerify(await sign({ ...good(), iss: issuersFor('tenant-1')[1] }))).ok,
        true,
      );
    });
    it('takes a person of the operator tenant assigned System.Operator (a Teams SSO token) as the operator', async () => {
      const operatorPerson = {
        ...good(),
        tid: 'op',
        iss: issuersFor('op')[0],
        scp: 'access_as_user',
        roles: ['System.Operator'],
      };
      assert.deepEqual(await strictVerify(await sign(operatorPerson)), {
        ok: true,
        principal: { kind: 'system' },
      });
      const { roles: _roles, ...plainPerson } = operatorPerson;
      assert.equal(
        ((await strictVerify(await sign(plainPerson))) as { principal: { kind: string } }).principal
          .kind,
        'user',
        'without the role, a person of the operator tenant is a user like any',
      );
    });
    const bad: [string, (c: JWTPayload) => JWTPayload][] = [
      ['another audience', (c) => ({ ...c, aud: 'api://other' })],
      ['expired', (c) => ({ ...c, exp: Math.floor(Date.now() / 1000) - 3600 })],
      ['no expiry', ({ exp: _exp, ...c }) => c],
      ['issuer of another tenant', (c) => ({ ...c, iss: issuersFor('tenant-2')[0] })],
      ['a foreign issuer', (c) => ({ ...c, iss: 'https://evil.example/tenant-1/v2.0' })],
      ['no tenant', ({ tid: _tid, ...c }) => c],
      ['no user', ({ oid: _oid, ...c }) => c],
      ['an id unfit for storage keys', (c) => ({ ...c, oid: 'a/b' })],
      ['System.Operator from a customer tenant', (c) => ({ ...c, roles: ['System.Operator'] })],
    ];
    for (const [name, change] of bad) {
      it(`refuses ${name}`, async () => {
        assert.equal((await strictVerify(await sign(change(good())))).ok, false);
      });
    }
  });

  it('checks a token’s signature once, and still refuses it once it expires', async () => {
    const shortLived = await createDevTokenIssuer(60);
    let keyLookups = 0;
    let now = Date.now();
    const counting = createTokenVerifier({
      keys: (header, token) => (keyLookups++, shortLived.keys(header, token)),
      audiences: [DEV_AUDIENCE],
      operatorTenantId: DEV_OPERATOR_TENANT,
      clockToleranceSec: 0,
      now: () => now,
    });
    const token = await shortLived.mint({ tenantId: 'tenant-1', userId: 'user-1' });
    assert.equal((await counting(token)).ok, true);
    assert.equal((await counting(token)).ok, true);
    assert.equal(keyLookups, 1, 'the second call was answered from memory');
    now += 61_000;
    assert.deepEqual(await counting(token), { ok: false, reason: 'ERR_JWT_EXPIRED' });
  });
});
