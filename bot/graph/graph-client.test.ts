import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TokenCredential } from '@azure/core-auth';
import { GraphProblem } from '../../core/app/graph-problem.js';
import { asTenantId } from '../../core/domain/ids.js';
import { GraphClient } from './graph-client.js';

const T = asTenantId('0d3e0000-0000-4000-8000-000000000001');
const token: TokenCredential = {
  getToken: () =>
    Promise.resolve({ token: 'app-token', expiresOnTimestamp: Date.now() + 3600_000 }),
};
const failing = (message: string): TokenCredential => ({
  getToken: () => Promise.reject(new Error(message)),
});

describe('the Graph client: pages, and refusals in words', () => {
  let server: Server;
  let base: string;
  const seen: { url: string; auth: string | undefined }[] = [];
  let answer: (url: string) => { status: number; body?: unknown };

  before(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url ?? '', auth: req.headers.authorization });
      const { status, body } = answer(req.url ?? '');
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1.0`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => (seen.length = 0));

  const client = (credential = token) =>
    new GraphClient({
      baseUrl: base,
      credential: () => credential,
      sleep: () => Promise.resolve(),
    });

  it('reads every page of a collection, following Graph’s next links', async () => {
    answer = (url) =>
      url.includes('skiptoken=2')
        ? { status: 200, body: { value: [3] } }
        : {
            status: 200,
            body: { value: [1, 2], '@odata.nextLink': `${base}/things?$skiptoken=2` },
          };
    assert.deepEqual(await client().all(T, '/things', 'Thing.Read.All'), [1, 2, 3]);
    assert.deepEqual(
      seen.map((s) => s.url),
      ['/v1.0/things', '/v1.0/things?$skiptoken=2'],
    );
  });

  it('never sends the token to a next link outside Graph’s root', async () => {
    answer = () => ({
      status: 200,
      body: { value: [1], '@odata.nextLink': 'https://elsewhere.example/v1.0/things?page=2' },
    });
    await assert.rejects(client().all(T, '/things', 'Thing.Read.All'), (error: unknown) => {
      assert.ok(error instanceof GraphProblem);
      assert.match(error.words, /next page link outside Graph/);
      return true;
    });
    assert.equal(seen.length, 1);
  });

  it('names the permission a refusal means, for the tenant’s admin', async () => {
    answer = () => ({ status: 403, body: { error: { code: 'Forbidden', message: 'no' } } });
    await assert.rejects(
      client().request(T, 'GET', '/teams/x/members', 'TeamMember.Read.All'),
      (error: unknown) =>
        error instanceof GraphProblem &&
        error.status === 403 &&
        /^TeamMember\.Read\.All is not granted in this tenant \(Graph answered 403 Forbidden\)/.test(
          error.words,
        ),
    );
  });

  it('says why signing in failed: no consent, a wrong secret, an identity not trusted yet', async () => {
    for (const [message, words] of [
      ['AADSTS65001: The user or administrator has not consented', /not consented in this tenant/],
      ['AADSTS7000215: Invalid client secret provided.', /secret is wrong or expired/],
      [
        'AADSTS70021: No matching federated identity record found for presented assertion.',
        /does not trust this server's managed identity yet \(AADSTS70021\)/,
      ],
      ['socket hang up', /^Signing in to the tenant failed\.$/],
    ] as const)
      await assert.rejects(
        client(failing(message)).request(T, 'GET', '/users/x', 'User.Read.All'),
        (error: unknown) => error instanceof GraphProblem && words.test(error.words),
        message,
      );
    assert.equal(seen.length, 0, 'nothing sent without a token');
  });
});
