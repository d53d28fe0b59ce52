// Who owns a service: owners and admins change members' roles (unit tier, in-memory tables).
import { strict as assert } from 'node:assert';
import { PEOPLE } from '../../test/demo-people.js';
import { inMemoryDemo } from '../../test/demo-deps.js';
import type { Identity } from '../domain/actor.js';
import { asServiceId, asTenantId, asUserId, type UserId } from '../domain/ids.js';
import type { MemberRole } from '../domain/service.js';
import { membershipKey } from '../store/table-membership-store.js';
import type { AppDeps } from './app-deps.js';
import { DEMO } from './demo-tenant.js';
import { setMemberRole } from './membership-admin.js';

const T = asTenantId(DEMO.tenant.id);
const HELPDESK = asServiceId('svc-it-helpdesk'); // Megan (owner), Adele, Isaiah
const [ALEX, MEGAN, ADELE, ISAIAH, PATTI] = [
  PEOPLE.ALEX,
  PEOPLE.MEGAN,
  PEOPLE.ADELE,
  PEOPLE.ISAIAH,
  PEOPLE.PATTI,
].map(asUserId) as [UserId, UserId, UserId, UserId, UserId];
const as = (userId: UserId): Identity => ({ kind: 'user', tenantId: T, userId, groups: [] });

describe('member roles (unit)', () => {
  let deps: AppDeps;
  const role = async (userId: UserId) =>
    (await deps.stores.memberships.get(membershipKey(T, HELPDESK, userId)))?.value.role;
  const set = (by: UserId, userId: UserId, to: MemberRole) =>
    setMemberRole(deps, as(by), T, HELPDESK, userId, to);
  const refusal = async (by: UserId, userId: UserId, to: MemberRole) => {
    const result = await set(by, userId, to);
    assert.ok(!result.ok, `${by} making ${userId} ${to} was allowed`);
    return result.refusal;
  };

  beforeEach(async () => {
    deps = await inMemoryDemo();
  });

  it('an owner makes a member an owner, who may then manage; then steps back to member', async () => {
    assert.equal(await role(MEGAN), 'Owner');
    assert.ok((await set(MEGAN, ADELE, 'Owner')).ok);
    assert.equal(await role(ADELE), 'Owner');
    assert.ok((await set(ADELE, MEGAN, 'Member')).ok, 'the new owner manages');
    assert.equal(await role(MEGAN), 'Member');
  });

  it('a member changes nobody’s role, not even their own', async () => {
    assert.equal((await refusal(ISAIAH, ISAIAH, 'Owner')).code, 'forbidden');
    assert.equal((await refusal(ISAIAH, ADELE, 'OwnerLimited')).code, 'forbidden');
    assert.equal(await role(ISAIAH), 'Member');
  });

  it('an owner with limited rights makes limited owners, not full ones', async () => {
    assert.ok((await set(ALEX, ADELE, 'OwnerLimited')).ok, 'an admin may');
    const refused = await refusal(ADELE, ISAIAH, 'Owner');
    assert.equal(refused.code, 'forbidden');
    assert.match(
      refused.message,
      /Only full owners of this service and admins may make full owners/,
    );
    assert.ok((await set(ADELE, ISAIAH, 'OwnerLimited')).ok);
  });

  it('keeps the last owner an owner until someone else is one', async () => {
    const refused = await refusal(MEGAN, MEGAN, 'Member');
    assert.equal(refused.code, 'validation_failed');
    assert.match(refused.message, /last owner of IT Helpdesk: make someone else an owner first/);
    assert.equal(await role(MEGAN), 'Owner');
  });

  it('says so for someone who is no member', async () => {
    assert.equal((await refusal(ALEX, PATTI, 'Owner')).code, 'not_found');
  });
});
