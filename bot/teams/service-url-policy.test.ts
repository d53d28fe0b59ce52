import { strict as assert } from 'node:assert';
import { DEFAULT_SERVICE_URL_HOSTS } from '../config.js';
import { serviceUrlRefusal, type ServiceUrlPolicy } from './service-url-policy.js';

const production: ServiceUrlPolicy = {
  hosts: DEFAULT_SERVICE_URL_HOSTS,
  allowLoopbackHttp: false,
  authenticated: true,
};
const dev: ServiceUrlPolicy = { ...production, allowLoopbackHttp: true, authenticated: false };

describe('serviceUrl policy: where the bot may send cards', () => {
  const cases: [string, ServiceUrlPolicy, string, boolean][] = [
    ['Teams, public cloud', production, 'https://smba.trafficmanager.net/amer/', true],
    ['Teams, GCC', production, 'https://smba.infra.gcc.teams.microsoft.com/', true],
    ['Bot Framework', production, 'https://directline.botframework.com/', true],
    ['plain http to Teams', production, 'http://smba.trafficmanager.net/amer/', false],
    ['a lookalike domain', production, 'https://smba.trafficmanager.net.evil.test/', false],
    ['a suffix without its dot', production, 'https://evilbotframework.com/', false],
    ['another https host', production, 'https://attacker.example/', false],
    ['file:', production, 'file:///etc/passwd', false],
    ['javascript:', production, 'javascript:alert(1)', false],
    ['credentials in the URL', production, 'https://u:p@smba.trafficmanager.net/', false],
    ['not a URL', production, 'smba.trafficmanager.net', false],
    ['loopback http outside dev mode', production, 'http://127.0.0.1:56150/', false],
    ['loopback http in dev mode (Agents Playground)', dev, 'http://localhost:56150/', true],
    ['IPv6 loopback in dev mode', dev, 'http://[::1]:56150/', true],
    ['another machine over http in dev mode', dev, 'http://10.0.0.7/', false],
    [
      'a channel host from an unauthenticated activity',
      dev,
      'https://smba.trafficmanager.net/amer/',
      false,
    ],
  ];
  for (const [name, policy, url, accepted] of cases) {
    it(`${accepted ? 'accepts' : 'refuses'} ${name}`, () => {
      const refusal = serviceUrlRefusal(url, policy);
      if (accepted) assert.equal(refusal, null);
      else assert.ok(refusal, 'says why');
    });
  }
});
