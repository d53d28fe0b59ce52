import { strict as assert } from 'node:assert';
import { hashOf, viewFromHash, type View } from './view';

describe('the page in the URL hash', () => {
  it('reads back every page it writes, a setting to focus included', () => {
    const views: View[] = [
      { kind: 'myServices' },
      { kind: 'services' },
      { kind: 'overview' },
      { kind: 'directory' },
      { kind: 'licenses' },
      { kind: 'tenant' },
      { kind: 'service', serviceId: 'svc/with space' },
      { kind: 'serviceDashboard', serviceId: 'svc-1' },
      { kind: 'serviceSettings', serviceId: 'svc-1' },
      { kind: 'serviceSettings', serviceId: 'svc-1', field: 'distribution.acw.enabled' },
      { kind: 'tenants' },
      { kind: 'operatorTenant', tenantId: '0d3e0000-0000-4000-8000-000000000001' },
    ];
    for (const view of views) assert.deepEqual(viewFromHash(hashOf(view)), view, hashOf(view));
  });

  it('opens My services for an address it does not know', () => {
    assert.deepEqual(viewFromHash('#/nowhere'), { kind: 'myServices' });
    assert.deepEqual(viewFromHash(''), { kind: 'myServices' });
  });
});
