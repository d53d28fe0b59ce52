import { strict as assert } from 'node:assert';
import { resumeDevSession } from './session';

const KEY = 'service-routing.dev-session';
const noop = () => undefined;

describe('a dev session kept in the browser tab', () => {
  afterEach(() => sessionStorage.clear());

  it('comes back after a reload as it was saved', () => {
    sessionStorage.setItem(KEY, JSON.stringify({ tenantId: 't1', userId: 'u1', token: 'x.y.z' }));
    const session = resumeDevSession(noop);
    assert.deepEqual([session?.tenantId, session?.userId], ['t1', 'u1']);
  });

  for (const [what, raw] of [
    ['not JSON', '{"tenantId":'],
    ['without its token', JSON.stringify({ tenantId: 't1', userId: 'u1' })],
    ['of another shape', JSON.stringify(['t1', 'u1', 'x.y.z'])],
  ] as const)
    it(`is forgotten when what is stored is ${what}`, () => {
      sessionStorage.setItem(KEY, raw);
      assert.equal(resumeDevSession(noop), null);
      assert.equal(sessionStorage.getItem(KEY), null);
    });
});
