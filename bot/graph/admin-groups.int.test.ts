import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO } from '../../core/app/demo-tenant.js';
import { api } from '../../e2e/support/app-under-test.js';
import { PEOPLE } from '../../test/demo-people.js';
import { graphApps } from '../../test/graph-apps.js';
import { graphEnv, startDemoGraphStandIn, type GraphStandIn } from '../../test/graph-standin.js';

const T = DEMO.tenant.id;
const ADMINS = '0d3e0000-0000-4000-8000-00000000a001';
const NESTED = '0d3e0000-0000-4000-8000-00000000a002';
const UNKNOWN = '0d3e0000-0000-4000-8000-00000000a0ff';

/**
 * A tenant's admin groups in tenant settings ("Details"): their people through Microsoft
 * Graph, nested groups included, every page; the app in its own process against the Graph
 * stand-in.
 */
describe('admin groups through Microsoft Graph', function () {
  this.timeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'svc-routing-groups-'));
  let graph: GraphStandIn;
  const apps = graphApps();
  before(async () => {
    graph = await startDemoGraphStandIn(dir);
    graph.groups.set(ADMINS, {
      displayName: 'Routing admins',
      memberIds: [PEOPLE.NESTOR, NESTED, PEOPLE.ALEX],
    });
    graph.groups.set(NESTED, { displayName: 'Partner staff', memberIds: [PEOPLE.PATTI] });
  });
  after(async () => {
    await apps.stopAll();
    await graph.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the people a group gives rights to (nested too, every page), or says why not', async () => {
    const app = await apps.start(() => ({
      ...graphEnv(graph),
      GRAPH_CLIENT_SECRET: graph.clientSecret,
    }));
    const admin = await apps.as(app, PEOPLE.ALEX);
    graph.throttleNext(1, 1);
    const details = await api(app.url, 'GET', `/tenants/${T}/groups/${ADMINS}`, { token: admin });
    assert.equal(details.status, 200);
    assert.equal(details.body.ok, true);
    assert.equal(details.body.displayName, 'Routing admins');
    assert.deepEqual(
      details.body.members.map((m: { displayName: string; upn: string }) => [m.displayName, m.upn]),
      [
        ['Alex Wilber', 'alex@contoso.example'],
        ['Nestor Wilke', 'nestor@contoso.example'],
        ['Patti Fernandez', 'patti@contoso.example'],
      ],
    );
    assert.ok(
      graph.requests.filter((r) => r.path.includes('/transitiveMembers')).length >= 2,
      'followed the next page',
    );
    const unknown = await api(app.url, 'GET', `/tenants/${T}/groups/${UNKNOWN}`, { token: admin });
    assert.deepEqual(unknown.body, {
      ok: false,
      problem: `This tenant has no group with the id ${UNKNOWN}.`,
    });
    const notGuid = await api(app.url, 'GET', `/tenants/${T}/groups/not-a-guid`, { token: admin });
    assert.equal(notGuid.body.error.code, 'validation_failed');
    const member = await apps.as(app, PEOPLE.ADELE);
    assert.equal(
      (await api(app.url, 'GET', `/tenants/${T}/groups/${ADMINS}`, { token: member })).status,
      403,
    );
  });
});
