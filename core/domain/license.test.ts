import { strict as assert } from 'node:assert';
import {
  aLicense,
  licenseKind,
  LICENSES,
  licenseWords,
  type License,
  type LicenseKind,
} from './license.js';

describe('licenseKind', () => {
  const cases: Record<License, LicenseKind> = {
    AdvancedRouting: 'service',
    EnterpriseRouting: 'service',
    ContactCenter: 'service',
    ContactCenterUser: 'user',
    Interact: 'user',
    AttendantConsole: 'user',
    Assistant: 'user',
    Companion: 'user',
    InstantMessaging: 'modality',
    ExternalTask: 'modality',
    Email: 'modality',
    VirtualUser: 'virtualUser',
  };
  it('knows every license of API.md', () => {
    assert.deepEqual([...LICENSES].sort(), Object.keys(cases).sort());
  });
  for (const [license, kind] of Object.entries(cases)) {
    it(`${license} is a ${kind} license`, () =>
      assert.equal(licenseKind(license as License), kind));
  }
});

describe('licenseWords', () => {
  it('names every license in words of its own, apart from its id', () => {
    const words = LICENSES.map(licenseWords);
    assert.equal(new Set(words).size, LICENSES.length);
    assert.equal(licenseWords('ContactCenterUser'), 'Contact Center user');
    assert.equal(licenseWords('ContactCenter'), 'Contact Center');
    assert.equal(licenseWords('InstantMessaging'), 'Instant Messaging');
  });

  it('puts the article a sentence needs before a license', () => {
    assert.equal(aLicense('AdvancedRouting'), 'an Advanced Routing');
    assert.equal(aLicense('EnterpriseRouting'), 'an Enterprise Routing');
    assert.equal(aLicense('ContactCenter'), 'a Contact Center');
  });
});
