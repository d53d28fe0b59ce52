// A button of the My services card, acted on as Teams sends it (unit tier: in-memory tables).
import { strict as assert } from 'node:assert';
import type { TurnContext } from 'botbuilder';
import { DEMO } from '../../core/app/demo-tenant.js';
import type { AppDeps } from '../../core/app/app-deps.js';
import { asTenantId, asUserId } from '../../core/domain/ids.js';
import { instantOf } from '../../core/domain/instant.js';
import { agentKey } from '../../core/store/routing-rows.js';
import { DEMO_START, inMemoryDemo } from '../../test/demo-deps.js';
import { PEOPLE } from '../../test/demo-people.js';
import { runCardAction } from './card-actions.js';
import type { TurnIdentity } from './turn-identity.js';

const T = asTenantId(DEMO.tenant.id);
const ADELE = asUserId(PEOPLE.ADELE);
const turn: TurnIdentity = {
  tenantId: T,
  userId: ADELE,
  teamsId: '29:adele',
  name: 'Adele Vance',
  serviceUrl: 'https://smba.trafficmanager.net/teams/',
  botId: '28:bot',
  conversationId: 'a:personal-adele',
  personal: true,
  team: null,
};

describe("I'm back on the My services card", () => {
  let deps: AppDeps;
  beforeEach(async () => {
    deps = await inMemoryDemo();
  });
  const agent = async () => (await deps.stores.routing.agents.get(agentKey(T, ADELE)))?.value;

  it('ends the pause a missed task started, and answers with the card as it is now', async () => {
    const row = await deps.stores.routing.agents.get(agentKey(T, ADELE));
    assert.ok(row, 'Adele has a routing state');
    await deps.stores.routing.agents.replace(
      { ...row.value, ronaUntil: instantOf(DEMO_START + 600_000) },
      row.etag,
    );
    const before = await runCardAction({ app: deps }, {} as TurnContext, turn, {
      verb: 'myServices',
      data: {},
    });
    assert.ok(
      before.actions?.some((a) => a.verb === 'imBack'),
      'offered while paused',
    );
    const after = await runCardAction({ app: deps }, {} as TurnContext, turn, {
      verb: 'imBack',
      data: {},
    });
    assert.equal((await agent())?.ronaUntil, null);
    assert.ok(!after.actions?.some((a) => a.verb === 'imBack'), 'no longer offered');
  });
});
