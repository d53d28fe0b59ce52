import { strict as assert } from 'node:assert';
import { licenseKind, LICENSES, type License, type LicenseKind } from './license.js';

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
