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

  const devModeCases: [string, NodeJS.ProcessEnv, boolean][] = [
    ['loopback, no Entra app', { HOST: '127.0.0.1' }, true],
    ['localhost, no Entra app', { HOST: 'localhost' }, true],
    ['all interfaces', { HOST: '0.0.0.0' }, false],
    ['Entra app configured', { HOST: '127.0.0.1', AAD_APP_CLIENT_ID: 'c1' }, false],
  ];
  for (const [name, env, devMode] of devModeCases) {
    it(`dev mode is ${devMode ? 'on' : 'off'}: ${name}`, () =>
      assert.equal(loadConfig(env).devMode, devMode));
  }

  it('refuses the manual clock outside dev mode', () => {
    assert.throws(() => loadConfig({ HOST: '0.0.0.0', CLOCK: 'manual' }), /CLOCK=manual/);
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
});
