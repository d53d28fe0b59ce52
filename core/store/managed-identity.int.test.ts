import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import selfsigned from 'selfsigned';
import { DEMO } from '../app/demo-tenant.js';
import { startExternalAzurite, startServerProcess, type Spawned } from '../../test/processes.js';

/** A token as Entra ID issues it for Azure Storage (Azurite's basic OAuth reads, not verifies, it). */
function storageToken(): string {
  const now = Math.floor(Date.now() / 1000);
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return [
    part({ alg: 'RS256', typ: 'JWT' }),
    part({
      aud: 'https://storage.azure.com',
      iss: 'https://sts.windows.net/0d3e0000-0000-4000-8000-000000000001/',
      iat: now - 60,
      nbf: now - 60,
      exp: now + 3600,
      oid: 'managed-identity',
    }),
    'c2lnbmF0dXJl',
  ].join('.');
}

/**
 * App Service's managed identity endpoint, as documented (IDENTITY_ENDPOINT, with the
 * X-IDENTITY-HEADER secret, api-version 2019-08-01): what @azure/identity asks in Azure.
 */
async function appServiceIdentityEndpoint(secret: string) {
  const asked: URL[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.headers['x-identity-header'] !== secret) {
      res.writeHead(401).end();
      return;
    }
    asked.push(url);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        access_token: storageToken(),
        expires_on: String(Math.floor(Date.now() / 1000) + 3600),
        resource: url.searchParams.get('resource'),
        token_type: 'Bearer',
        client_id: url.searchParams.get('client_id'),
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/msi/token`,
    asked,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('table storage through a managed identity (TABLES_ACCOUNT_URL, no key)', function () {
  // About 6 s: Azurite over https with OAuth and an app process start in their own processes.
  this.timeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'svc-routing-msi-'));
  let azurite: Spawned | undefined;
  let app: (Spawned & { url: string }) | undefined;
  let identity: Awaited<ReturnType<typeof appServiceIdentityEndpoint>> | undefined;

  after(async () => {
    await app?.stop();
    await azurite?.stop();
    await identity?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('signs in with the App Service identity and keeps the demo tenant in an account that accepts only Entra tokens', async () => {
    const tls = await selfsigned.generate([{ name: 'commonName', value: '127.0.0.1' }], {
      notAfterDate: new Date(Date.now() + 24 * 3600 * 1000),
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
    });
    writeFileSync(join(dir, 'cert.pem'), tls.cert);
    writeFileSync(join(dir, 'key.pem'), tls.private);
    const external = await startExternalAzurite([
      '--oauth',
      'basic',
      '--cert',
      join(dir, 'cert.pem'),
      '--key',
      join(dir, 'key.pem'),
    ]);
    azurite = external;
    const { port } = external;
    identity = await appServiceIdentityEndpoint('identity-header-secret');
    app = await startServerProcess({
      TABLES_ACCOUNT_URL: `https://127.0.0.1:${port}/devstoreaccount1`,
      AZURE_CLIENT_ID: '11111111-2222-4333-8444-555555555555',
      IDENTITY_ENDPOINT: identity.url,
      IDENTITY_HEADER: 'identity-header-secret',
      NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem'),
      SEED: 'demo',
    });
    const health = (await (await fetch(`${app.url}/api/v1/health`)).json()) as { storage: string };
    assert.equal(health.storage, 'azure');
    const token = (await (
      await fetch(`${app.url}/api/v1/dev/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ system: true }),
      })
    ).json()) as { token: string };
    const tenant = await fetch(`${app.url}/api/v1/tenants/${DEMO.tenant.id}`, {
      headers: { authorization: `Bearer ${token.token}` },
    });
    assert.equal(tenant.status, 200, await tenant.clone().text());
    assert.equal(((await tenant.json()) as { name: string }).name, DEMO.tenant.name);
    assert.ok(identity.asked.length >= 1, 'the identity endpoint was asked');
    const ask = identity.asked[0];
    assert.match(ask?.searchParams.get('resource') ?? '', /^https:\/\/storage\.azure\.com/);
    assert.equal(ask?.searchParams.get('client_id'), '11111111-2222-4333-8444-555555555555');
  });
});
