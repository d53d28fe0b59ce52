import { strict as assert } from 'node:assert';
import type { License, ServiceLicense } from '../../../core/domain/license';
import type { Licenses } from '../api/schemas';
import {
  changesBody,
  holdsAfter,
  stage,
  stageServiceLicense,
  usedAfter,
  type StagedChange,
} from './staged-changes';

const LICENSES: Licenses = {
  state: 'Active',
  pools: [
    { license: 'ContactCenterUser', kind: 'user', total: 3, used: 1 },
    { license: 'AdvancedRouting', kind: 'service', total: 5, used: 1 },
    { license: 'ContactCenter', kind: 'service', total: 2, used: 0 },
  ],
  users: [
    { userId: 'u1', displayName: 'Adele', licenses: ['ContactCenterUser'] },
    { userId: 'u2', displayName: 'Isaiah', licenses: [] },
  ],
  services: [{ serviceId: 's1', name: 'Helpdesk', license: 'AdvancedRouting' }],
};

const give = (userId: string, license: License = 'ContactCenterUser'): StagedChange => ({
  op: 'assign',
  license,
  target: { kind: 'user', id: userId, name: userId },
});
const take = (userId: string, license: License = 'ContactCenterUser'): StagedChange => ({
  ...give(userId, license),
  op: 'remove',
});
const move = (license: ServiceLicense): StagedChange => ({
  op: 'assign',
  license,
  target: { kind: 'service', id: 's1', name: 'Helpdesk' },
});

describe('staged license changes', () => {
  it('ticking a box back cancels the staged change instead of staging its opposite', () => {
    assert.deepEqual(stage(stage([], give('u2')), take('u2')), []);
  });

  it('a service keeps one staged license: the last pick, and picking its own cancels it', () => {
    const helpdesk = LICENSES.services[0] as Licenses['services'][number];
    const twice = stageServiceLicense(
      stageServiceLicense([], helpdesk, 'EnterpriseRouting'),
      helpdesk,
      'ContactCenter',
    );
    assert.deepEqual(twice, [move('ContactCenter')]);
    assert.deepEqual(stageServiceLicense(twice, helpdesk, 'AdvancedRouting'), []);
  });

  it('previews holdings and pool use after saving, a service move freeing its old license', () => {
    const staged = [give('u2'), take('u1'), move('ContactCenter')];
    assert.equal(holdsAfter(LICENSES, staged, 'u2', 'ContactCenterUser'), true);
    assert.equal(holdsAfter(LICENSES, staged, 'u1', 'ContactCenterUser'), false);
    assert.equal(usedAfter(LICENSES, staged, 'ContactCenterUser'), 1);
    assert.equal(usedAfter(LICENSES, staged, 'AdvancedRouting'), 0);
    assert.equal(usedAfter(LICENSES, staged, 'ContactCenter'), 1);
  });

  it('sends users and services as the API names them', () => {
    assert.deepEqual(changesBody([give('u2'), move('ContactCenter')], false), {
      changes: [
        { op: 'assign', license: 'ContactCenterUser', userId: 'u2' },
        { op: 'assign', license: 'ContactCenter', serviceId: 's1' },
      ],
      confirmIrreversible: false,
    });
  });
});
