// Reaching people in chat through Graph (installing the app for them), in the unit tier;
// the requests in Graph's shapes run against the Graph stand-in in
// bot/graph/presence-feed.int.test.ts.
import { strict as assert } from 'node:assert';
import { PEOPLE } from '../../test/demo-people.js';
import { inMemoryDemo } from '../../test/demo-deps.js';
import { asTenantId, asUserId, type UserId } from '../domain/ids.js';
import { teamsUserKey } from '../store/teams-link-rows.js';
import type { AppDeps } from './app-deps.js';
import { ChatReach, type AppInstallGraph } from './chat-reach.js';
import { DEMO } from './demo-tenant.js';
import { GraphProblem } from './graph-problem.js';
import { rememberLinks } from './teams-links.js';

const T = asTenantId(DEMO.tenant.id);
const ADELE = asUserId(PEOPLE.ADELE);
const MEGAN = asUserId(PEOPLE.MEGAN);
const SERVICE_URL = 'https://smba.trafficmanager.net/emea/';
/** Megan as her team's roster made her known: the bot may open a chat with her. */
const MEGAN_FROM_HER_TEAM = {
  tenantId: T,
  userId: MEGAN,
  teamsId: '29:megan',
  name: 'Megan Bowen',
  serviceUrl: SERVICE_URL,
  botId: '28:bot-of-links',
  conversationId: null,
};

describe('reaching people in chat through Graph (unit)', () => {
  let deps: AppDeps;
  let answer: 'installed' | 'already' | GraphProblem;
  const asked: { install: UserId[]; chat: UserId[] } = { install: [], chat: [] };
  const warnings: string[] = [];
  const graph: AppInstallGraph = {
    install: (_t, userId) => {
      asked.install.push(userId);
      return answer instanceof GraphProblem ? Promise.reject(answer) : Promise.resolve(answer);
    },
    chatOf: (_t, userId) => {
      asked.chat.push(userId);
      return Promise.resolve(`19:${userId}_bot@unq.gbl.spaces`);
    },
  };
  let reach: ChatReach;

  beforeEach(async () => {
    asked.install = [];
    asked.chat = [];
    warnings.length = 0;
    answer = 'installed';
    deps = await inMemoryDemo();
    reach = new ChatReach({
      deps,
      graph,
      log: { info: () => undefined, warn: (_f, message) => warnings.push(message) },
      defaultServiceUrl: 'https://smba.trafficmanager.net/teams/',
      botId: '28:bot',
    });
  });

  it('installs the app only for people the bot has no way to reach, once', async () => {
    await rememberLinks(deps, T, [MEGAN_FROM_HER_TEAM]);
    await reach.reach(T, [ADELE, MEGAN, ADELE]);
    assert.deepEqual(asked.install, [ADELE], 'Megan is reachable from her team');
    await reach.reach(T, [ADELE]);
    assert.deepEqual(asked.install, [ADELE], 'not asked again at once');
    assert.deepEqual(asked.chat, [], 'Teams tells the bot of the new chat');
  });

  it('looks up the chat of someone who had the app already, on the tenant’s channel', async () => {
    answer = 'already';
    await rememberLinks(deps, T, [MEGAN_FROM_HER_TEAM]);
    await reach.reach(T, [ADELE]);
    const link = await deps.stores.teamsLinks.users.get(teamsUserKey(T, ADELE));
    assert.deepEqual(link?.value, {
      tenantId: T,
      userId: ADELE,
      teamsId: ADELE,
      name: '',
      serviceUrl: SERVICE_URL,
      botId: '28:bot-of-links',
      conversationId: `19:${ADELE}_bot@unq.gbl.spaces`,
    });
  });

  it('never fails the caller when Graph refuses, and says so in the log', async () => {
    answer = new GraphProblem(
      403,
      'TeamsAppInstallation.ReadWriteSelfForUser.All is not granted in this tenant.',
    );
    await reach.reach(T, [ADELE]);
    assert.deepEqual(warnings, ['person not reachable in chat']);
    assert.equal(await deps.stores.teamsLinks.users.get(teamsUserKey(T, ADELE)), undefined);
  });
});
