import { strict as assert } from 'node:assert';
import { loadConfig } from './config.js';

describe('loadConfig', () => {
  it('defaults to the API.md values and dev mode on loopback', () => {
    const config = loadConfig({});
    assert.equal(config.PORT, 3978);
    assert.equal(config.HOST, '127.0.0.1');
    assert.equal(config.DATA_DIR, '.data');
    assert.equal(config.SEED, 'demo');
    assert.equal(config.CLOCK, 'system');
    assert.equal(config.TABLES_CONNECTION_STRING, undefined);
    assert.equal(config.devMode, true);
  });

  const registered = {
    AAD_APP_CLIENT_ID: 'c1',
    BOT_ID: 'b1',
    BOT_PASSWORD: 'secret',
    BOT_TENANT_ID: 't1',
  };
  const devModeCases: [string, NodeJS.ProcessEnv, boolean][] = [
    ['loopback, no Entra app', { HOST: '127.0.0.1' }, true],
    ['localhost, no Entra app', { HOST: 'localhost' }, true],
    ['all interfaces', { HOST: '0.0.0.0', ...registered }, false],
    ['Entra app configured', { HOST: '127.0.0.1', ...registered }, false],
  ];
  for (const [name, env, devMode] of devModeCases) {
    it(`dev mode is ${devMode ? 'on' : 'off'}: ${name}`, () =>
      assert.equal(loadConfig(env).devMode, devMode));
  }

  it('refuses the manual clock outside dev mode', () => {
    assert.throws(
      () => loadConfig({ HOST: '0.0.0.0', CLOCK: 'manual', ...registered }),
      /CLOCK=manual/,
    );
  });

  const gapCases: [string, NodeJS.ProcessEnv, RegExp][] = [
    ['all interfaces without any registration', { HOST: '0.0.0.0' }, /AAD_APP_CLIENT_ID.*BOT_ID/],
    ['an Entra app without a bot', { AAD_APP_CLIENT_ID: 'c1' }, /needs BOT_ID/],
    [
      'a single-tenant bot without its tenant',
      { ...registered, BOT_TENANT_ID: '' },
      /BOT_TENANT_ID/,
    ],
    ['a bot without its secret', { ...registered, BOT_PASSWORD: '' }, /BOT_PASSWORD/],
    [
      'a managed-identity bot without its tenant',
      { ...registered, BOT_TYPE: 'UserAssignedMSI', BOT_PASSWORD: '', BOT_TENANT_ID: '' },
      /BOT_TENANT_ID/,
    ],
  ];
  for (const [name, env, missing] of gapCases) {
    it(`refuses to start outside dev mode: ${name}`, () => {
      assert.throws(() => loadConfig(env), missing);
    });
  }

  it('reaches storage by managed identity (https endpoint) or by connection string, not both', () => {
    const url = 'https://svcrt.table.core.windows.net/';
    assert.equal(loadConfig({ TABLES_ACCOUNT_URL: url }).TABLES_ACCOUNT_URL, url);
    assert.throws(
      () => loadConfig({ TABLES_ACCOUNT_URL: 'http://svcrt.table.core.windows.net/' }),
      /TABLES_ACCOUNT_URL/,
    );
    assert.throws(
      () =>
        loadConfig({
          TABLES_ACCOUNT_URL: url,
          TABLES_CONNECTION_STRING: 'UseDevelopmentStorage=true',
        }),
      /not both/,
    );
  });

  it('starts a managed-identity bot without a secret', () => {
    const config = loadConfig({ ...registered, BOT_TYPE: 'UserAssignedMSI', BOT_PASSWORD: '' });
    assert.equal(config.devMode, false);
    assert.equal(config.BOT_TYPE, 'UserAssignedMSI');
  });

  it('bot type defaults to single tenant (Azure creates no new multi-tenant bots)', () => {
    assert.equal(loadConfig({}).BOT_TYPE, 'SingleTenant');
  });

  it('reads the channel hosts a serviceUrl may name, and refuses a malformed one', () => {
    assert.deepEqual(
      loadConfig({ BOT_SERVICE_URL_HOSTS: 'smba.trafficmanager.net, *.Example.com' })
        .BOT_SERVICE_URL_HOSTS,
      ['smba.trafficmanager.net', '*.example.com'],
    );
    assert.throws(
      () => loadConfig({ BOT_SERVICE_URL_HOSTS: 'https://evil.test/' }),
      /BOT_SERVICE_URL_HOSTS/,
    );
  });

  it('names every bad variable', () => {
    assert.throws(
      () => loadConfig({ PORT: 'eighty', SEED: 'all', TABLE_PREFIX: '1x' }),
      (error: Error) => {
        assert.match(error.message, /PORT/);
        assert.match(error.message, /SEED/);
        assert.match(error.message, /TABLE_PREFIX/);
        return true;
      },
    );
  });

  it('treats empty variables as unset (env files leave them empty)', () => {
    assert.equal(loadConfig({ TABLES_CONNECTION_STRING: '', AAD_APP_CLIENT_ID: '' }).devMode, true);
  });

  it('takes Microsoft Graph only with both its id and secret, and https endpoints (http on loopback only)', () => {
    const graph = { GRAPH_CLIENT_ID: 'g1', GRAPH_CLIENT_SECRET: 's1' };
    const config = loadConfig(graph);
    assert.equal(config.GRAPH_BASE_URL, 'https://graph.microsoft.com/v1.0');
    assert.equal(config.PRESENCE_POLL_SEC, 60);
    assert.equal(config.PUBLIC_BASE_URL, undefined);
    assert.equal(config.ROSTER_SYNC_SEC, 900);
    assert.throws(() => loadConfig({ GRAPH_CLIENT_ID: 'g1' }), /together/);
    assert.throws(() => loadConfig({ GRAPH_CLIENT_SECRET: 's1' }), /together/);
    assert.throws(() => loadConfig({ GRAPH_MANAGED_IDENTITY_CLIENT_ID: 'm1' }), /together/);
    // One credential, not two.
    assert.throws(
      () => loadConfig({ ...graph, GRAPH_CLIENT_CERTIFICATE_PATH: '/etc/graph.pem' }),
      /one of GRAPH_CLIENT_SECRET, GRAPH_CLIENT_CERTIFICATE_PATH or GRAPH_MANAGED_IDENTITY_CLIENT_ID/,
    );
    for (const secretless of [
      { GRAPH_CLIENT_CERTIFICATE_PATH: '/etc/graph.pem' },
      { GRAPH_MANAGED_IDENTITY_CLIENT_ID: 'm1' },
    ])
      assert.equal(loadConfig({ GRAPH_CLIENT_ID: 'g1', ...secretless }).GRAPH_CLIENT_ID, 'g1');
    assert.throws(() => loadConfig({ ROSTER_SYNC_SEC: '10' }), /ROSTER_SYNC_SEC/);
    for (const name of ['GRAPH_BASE_URL', 'PUBLIC_BASE_URL', 'ENTRA_AUTHORITY_HOST']) {
      assert.throws(
        () => loadConfig({ ...graph, [name]: 'http://graph.example.com/v1.0' }),
        new RegExp(`${name}: https, or http on a loopback address only`),
      );
      assert.equal(
        loadConfig({ ...graph, [name]: 'http://127.0.0.1:4000/v1.0' })[name as 'GRAPH_BASE_URL'],
        'http://127.0.0.1:4000/v1.0',
      );
    }
    assert.throws(() => loadConfig({ PRESENCE_POLL_SEC: '1' }), /PRESENCE_POLL_SEC/);
  });
});
