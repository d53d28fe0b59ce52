import { strict as assert } from 'node:assert';
import { Writable } from 'node:stream';
import { createLogger } from './logger.js';

describe('createLogger', () => {
  it('never writes tokens, passwords or connection strings', () => {
    let written = '';
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        written += chunk.toString();
        done();
      },
    });
    const log = createLogger('info', sink);
    log.info({ req: { headers: { authorization: 'Bearer eyJsecret' } } }, 'request');
    log.info(
      {
        config: { connectionString: 'AccountKey=topsecret', password: 'hunter2' },
        token: 'eyJtoken',
      },
      'config',
    );
    assert.doesNotMatch(written, /eyJsecret|topsecret|hunter2|eyJtoken/);
    assert.match(written, /\[redacted\]/);
  });
});
