import { strict as assert } from 'node:assert';
import {
  applySettingsPatch,
  DEFAULT_TENANT_SETTINGS,
  tenantSettings,
  tenantSettingsPatch,
} from './tenant-settings.js';

describe('tenant settings', () => {
  it('defaults: provisioning by everyone as Team Owner; modality limits 20/20/20/50', () => {
    assert.deepEqual(DEFAULT_TENANT_SETTINGS.provisioning, {
      policy: 'Everyone',
      defaultOuId: null,
      defaultOwnerRole: 'TeamOwner',
    });
    assert.deepEqual(DEFAULT_TENANT_SETTINGS.modalities, {
      maxOutbound: 20,
      maxIm: 20,
      maxExternalTask: 20,
      maxEmail: 50,
    });
    assert.ok(tenantSettings.safeParse(DEFAULT_TENANT_SETTINGS).success);
  });

  it('a tenant stored before the time zone existed reads UTC; a patch without it keeps it', () => {
    const { timeZone, ...before } = DEFAULT_TENANT_SETTINGS.general;
    assert.equal(timeZone, 'UTC');
    const stored = tenantSettings.parse({ ...DEFAULT_TENANT_SETTINGS, general: before });
    assert.equal(stored.general.timeZone, 'UTC');
    const zurich = applySettingsPatch(
      stored,
      tenantSettingsPatch.parse({ general: { timeZone: 'Europe/Zurich' } }),
    );
    const renamed = applySettingsPatch(
      zurich,
      tenantSettingsPatch.parse({ general: { companyName: 'Contoso Ltd' } }),
    );
    assert.equal(renamed.general.timeZone, 'Europe/Zurich');
  });

  it('website chat is off by default, also for tenants stored before it existed', () => {
    assert.deepEqual(DEFAULT_TENANT_SETTINGS.interact, {
      enabled: false,
      recoveryTimeoutSec: 20,
      authorization: 'None',
    });
    const { interact, ...before } = DEFAULT_TENANT_SETTINGS;
    assert.deepEqual(tenantSettings.parse(before).interact, interact);
    const on = applySettingsPatch(
      DEFAULT_TENANT_SETTINGS,
      tenantSettingsPatch.parse({ interact: { enabled: true } }),
    );
    assert.deepEqual(on.interact, { ...interact, enabled: true });
  });

  const valid: [string, unknown][] = [
    ['an E.164 phone', { contact: { phone: '+41445550100' } }],
    [
      'a GUID admin group',
      { general: { tenantAdminGroupId: '0d3e0000-0000-4000-8000-000000000001' } },
    ],
    ['an e-mail', { contact: { email: 'ops@contoso.com' } }],
    ['a SIP address', { contact: { sipAddress: 'sip:helpdesk@contoso.com' } }],
    ['IM limit 1 and 50', { modalities: { maxIm: 1, maxOutbound: 50 } }],
    ['e-mail limit 200', { modalities: { maxEmail: 200 } }],
    ['a policy', { provisioning: { policy: 'TenantAndOuAdmins' } }],
    ['clearing a field', { contact: { phone: null } }],
    ['a time zone', { general: { timeZone: 'Europe/Zurich' } }],
    ['UTC', { general: { timeZone: 'UTC' } }],
    ['website chat on, 5 and 60 s', { interact: { enabled: true, recoveryTimeoutSec: 5 } }],
    ['a chat recovery of 60 s', { interact: { recoveryTimeoutSec: 60 } }],
    ['chats verified by token', { interact: { authorization: 'VerifyTokenAndTenant' } }],
  ];
  for (const [name, patch] of valid)
    it(`accepts ${name}`, () => assert.ok(tenantSettingsPatch.safeParse(patch).success));

  const invalid: [string, unknown, string[]][] = [
    ['a phone without +', { contact: { phone: '0445550100' } }, ['contact.phone']],
    ['a phone of 16 digits', { contact: { phone: '+1234567890123456' } }, ['contact.phone']],
    [
      'a group id that is no GUID',
      { general: { partnerAdminGroupId: 'admins' } },
      ['general.partnerAdminGroupId'],
    ],
    ['a bad e-mail', { contact: { email: 'ops-at-contoso' } }, ['contact.email']],
    ['a time zone nobody has', { general: { timeZone: 'Mars/Base' } }, ['general.timeZone']],
    ['an empty time zone', { general: { timeZone: '' } }, ['general.timeZone']],
    ['IM limit 0', { modalities: { maxIm: 0 } }, ['modalities.maxIm']],
    ['IM limit 51', { modalities: { maxIm: 51 } }, ['modalities.maxIm']],
    [
      'external task limit 51',
      { modalities: { maxExternalTask: 51 } },
      ['modalities.maxExternalTask'],
    ],
    ['outbound limit 51', { modalities: { maxOutbound: 51 } }, ['modalities.maxOutbound']],
    ['e-mail limit 201', { modalities: { maxEmail: 201 } }, ['modalities.maxEmail']],
    ['a fractional limit', { modalities: { maxEmail: 2.5 } }, ['modalities.maxEmail']],
    ['an unknown policy', { provisioning: { policy: 'Anyone' } }, ['provisioning.policy']],
    [
      'an unknown owner role',
      { provisioning: { defaultOwnerRole: 'Boss' } },
      ['provisioning.defaultOwnerRole'],
    ],
    ['an unknown section', { extensions2: {} }, ['']],
    [
      'a chat recovery of 4 s',
      { interact: { recoveryTimeoutSec: 4 } },
      ['interact.recoveryTimeoutSec'],
    ],
    [
      'a chat recovery of 61 s',
      { interact: { recoveryTimeoutSec: 61 } },
      ['interact.recoveryTimeoutSec'],
    ],
    [
      'a chat recovery of 7.5 s',
      { interact: { recoveryTimeoutSec: 7.5 } },
      ['interact.recoveryTimeoutSec'],
    ],
    [
      'an unknown chat check',
      { interact: { authorization: 'Password' } },
      ['interact.authorization'],
    ],
    [
      'two bad fields at once',
      { contact: { phone: 'x', email: 'y' } },
      ['contact.email', 'contact.phone'],
    ],
  ];
  for (const [name, patch, fields] of invalid) {
    it(`refuses ${name}, naming ${fields.join(' and ') || 'the body'}`, () => {
      const result = tenantSettingsPatch.safeParse(patch);
      assert.ok(!result.success);
      assert.deepEqual(result.error.issues.map((i) => i.path.join('.')).sort(), fields);
    });
  }

  it('merges a patch field by field and leaves the rest alone', () => {
    const next = applySettingsPatch(DEFAULT_TENANT_SETTINGS, {
      modalities: { maxIm: 5 },
      general: { billingAddress: { city: 'Zurich' } },
    });
    assert.equal(next.modalities.maxIm, 5);
    assert.equal(next.modalities.maxEmail, 50);
    assert.equal(next.general.billingAddress.city, 'Zurich');
    assert.equal(next.general.billingAddress.zip, '');
    assert.deepEqual(next.provisioning, DEFAULT_TENANT_SETTINGS.provisioning);
  });
});
