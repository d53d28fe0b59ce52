import { strict as assert } from 'node:assert';
import { loggedUrl } from './logged-url.js';

describe('URLs in the request log', () => {
  it('keeps no reporting key', () => {
    assert.equal(
      loggedUrl('/api/v1/reporting/odata/Tasks?$top=5&api-key=rk~t~secret&x=1'),
      '/api/v1/reporting/odata/Tasks?$top=5&api-key=[redacted]&x=1',
    );
    assert.equal(loggedUrl('/x?API-KEY=abc'), '/x?API-KEY=[redacted]');
    assert.equal(loggedUrl('/api/v1/health'), '/api/v1/health');
  });
});
