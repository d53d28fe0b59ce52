import { strict as assert } from 'node:assert';
import { devModeRefusal } from './dev-mode-guard.js';

describe('dev mode answers this machine only', () => {
  const cases: [string, string | undefined, Record<string, string>, boolean][] = [
    ['IPv4 loopback', '127.0.0.1', {}, true],
    ['IPv6 loopback', '::1', {}, true],
    ['IPv4 loopback mapped into IPv6', '::ffff:127.0.0.1', {}, true],
    ['another machine', '10.0.0.7', {}, false],
    ['a mapped address of another machine', '::ffff:10.0.0.7', {}, false],
    ['an unknown address', undefined, {}, false],
    ['a tunnel forwarding to loopback', '127.0.0.1', { 'x-forwarded-for': '203.0.113.9' }, false],
    ['a proxy (RFC 7239)', '127.0.0.1', { forwarded: 'for=203.0.113.9' }, false],
    ['a forwarded host', '::1', { 'x-forwarded-host': 'abc.devtunnels.ms' }, false],
  ];
  for (const [name, remoteAddress, headers, passes] of cases) {
    it(`${passes ? 'passes' : 'refuses'}: ${name}`, () => {
      const refusal = devModeRefusal({ remoteAddress, headers });
      if (passes) assert.equal(refusal, null);
      else assert.match(refusal ?? '', /dev mode/);
    });
  }
});
