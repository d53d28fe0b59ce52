import { strict as assert } from 'node:assert';
import { ActivityTypes, TestAdapter, type Activity, type TeamsChannelAccount } from 'botbuilder';
import { randomUUID } from 'node:crypto';
import type { AppDeps } from '../../core/app/app-deps.js';
import { systemClock } from '../../core/app/clock.js';
import { Dispatcher } from '../../core/app/routing/dispatcher.js';
import { createStores, type Stores } from '../../core/store/stores.js';
import { DEMO } from '../../core/app/demo-tenant.js';
import { seedDemo } from '../../core/app/seed-demo.js';
import { asServiceId, asTenantId, asUserId, type TaskId } from '../../core/domain/ids.js';
import { createTask, findTask } from '../../core/app/routing/task-intake.js';
import { setPresence } from '../../core/app/routing/me-actions.js';
import { instantOf } from '../../core/domain/instant.js';
import { userKey } from '../../core/store/table-user-store.js';
import { serviceKey } from '../../core/store/table-service-store.js';
import { teamsUserKey } from '../../core/store/teams-link-rows.js';
import { membershipKey } from '../../core/store/table-membership-store.js';
import { testStorage, uniquePrefix } from '../../test/azurite-fixture.js';
import { HELP_TEXT, NOT_SET_UP, ServiceRoutingBot } from './service-routing-bot.js';

/** The use cases' effects on real tables, distributing as the app does. */
const appDeps = (stores: Stores): AppDeps => ({
  stores,
  clock: systemClock,
  newId: randomUUID,
  distribution: new Dispatcher({ stores, clock: systemClock }),
});

describe('ServiceRoutingBot turns (botbuilder TestAdapter)', () => {
  let bot: ServiceRoutingBot;
  before(() => {
    const stores = createStores(testStorage(uniquePrefix()));
    bot = new ServiceRoutingBot({
      app: appDeps(stores),
    });
  });
  const inTenant = (activity: Partial<Activity>): Partial<Activity> => ({
    ...activity,
    from: { id: '29:someone', name: 'Someone', aadObjectId: 'user-1' },
    conversation: {
      id: 'chat-1',
      tenantId: 'no-such-tenant',
      conversationType: 'personal',
    } as Activity['conversation'],
  });

  it('tells people of an unknown tenant that it is not set up', async () => {
    const adapter = new TestAdapter((context) => bot.run(context));
    await adapter
      .send(inTenant({ type: ActivityTypes.Message, text: 'my services' }))
      .assertReply(NOT_SET_UP)
      .startTest();
  });

  it('answers a message without a tenant with what it does', async () => {
    const adapter = new TestAdapter((context) => bot.run(context));
    await adapter.send('hello').assertReply(HELP_TEXT).startTest();
  });

  it('answers a malformed or unknown card action with an error, not a crash', async () => {
    for (const value of [
      { action: { type: 'Action.Execute', verb: 'launchRockets', data: {} } },
      { action: { type: 'Action.Execute', verb: 'accept', data: { taskId: '../x' } } },
    ]) {
      const adapter = new TestAdapter((context) => bot.run(context));
      await adapter
        .send(inTenant({ type: ActivityTypes.Invoke, name: 'adaptiveCard/action', value }))
        .assertReply((reply) => {
          assert.equal(reply.type, 'invokeResponse');
          const body = reply.value as {
            status: number;
            body: { statusCode: number; type: string };
          };
          assert.equal(body.body.statusCode, 400);
          assert.equal(body.body.type, 'application/vnd.microsoft.error');
        })
        .startTest();
    }
  });
});

describe('a provisioned team’s roster, followed (botbuilder TestAdapter)', () => {
  const T = DEMO.tenant.id;
  const ADELE = DEMO.users.find((u) => u.displayName.startsWith('Adele'))?.id ?? '';
  const NEW = '0d3e0000-0000-4000-8000-0000000000f1';
  const HELPDESK = asServiceId('svc-it-helpdesk');
  const GROUP = '0d3e0000-0000-4000-8000-0000000000e1';
  let stores: Stores;
  let bot: ServiceRoutingBot;
  beforeEach(async () => {
    stores = createStores(testStorage(uniquePrefix()));
    await seedDemo(stores, instantOf(Date.now()));
    bot = new ServiceRoutingBot({
      app: appDeps(stores),
    });
  });
  const inTeam = (teamId: string, change: Partial<Activity>): Partial<Activity> => ({
    type: ActivityTypes.ConversationUpdate,
    channelId: 'msteams',
    recipient: { id: '28:bot', name: 'Service Routing' },
    from: { id: '29:owner', name: 'Owner' },
    conversation: {
      id: '19:general',
      tenantId: T,
      conversationType: 'channel',
    } as Activity['conversation'],
    channelData: { tenant: { id: T }, team: { id: teamId } },
    ...change,
  });
  const send = (activity: Partial<Activity>) =>
    new TestAdapter((context) => bot.run(context)).send(activity).startTest();
  const members = async () =>
    (await stores.memberships.list(asTenantId(T), 'svc-it-helpdesk:')).map((m) => m.value.userId);

  it('adds someone who joins the team to the directory and to the service, and takes out who leaves', async () => {
    await send(
      inTeam('team-it-helpdesk', {
        membersAdded: [{ id: '29:new', name: 'Nina New', aadObjectId: NEW }],
      }),
    );
    const user = await stores.users.get(userKey(asTenantId(T), asUserId(NEW)));
    assert.equal(user?.value.displayName, 'Nina New');
    assert.equal(user?.value.ouId, DEMO.defaultOuId);
    assert.ok((await members()).includes(asUserId(NEW)));
    const link = await stores.teamsLinks.users.get(teamsUserKey(asTenantId(T), asUserId(NEW)));
    assert.equal(link?.value.teamsId, '29:new');

    await send(
      inTeam('team-it-helpdesk', {
        membersRemoved: [{ id: '29:adele', name: 'Adele', aadObjectId: ADELE }],
      }),
    );
    assert.ok(!(await members()).includes(asUserId(ADELE)));
  });

  it('makes team owners service owners (the tenant’s default owner role), gives guests nothing, and reads newcomers’ presence once they are members', async () => {
    const GUEST = '0d3e0000-0000-4000-8000-0000000000f2';
    const OWNER = '0d3e0000-0000-4000-8000-0000000000f3';
    const readFor: string[][] = [];
    bot = new ServiceRoutingBot({
      app: {
        ...appDeps(stores),
        newcomers: {
          joined: async (_tenantId, userIds) => {
            const now = await members();
            readFor.push(userIds.filter((id) => now.includes(id)));
          },
        },
      },
    });
    await send(
      inTeam('team-it-helpdesk', {
        membersAdded: [
          { id: '29:owner2', name: 'Olga Owner', aadObjectId: OWNER, userRole: 'owner' },
          { id: '29:guest', name: 'Gus Guest', aadObjectId: GUEST, userRole: 'guest' },
          { id: '29:adele', name: 'Adele', aadObjectId: ADELE, userRole: 'owner' },
        ] as TeamsChannelAccount[],
      }),
    );
    const role = async (userId: string) =>
      (await stores.memberships.get(membershipKey(asTenantId(T), HELPDESK, asUserId(userId))))
        ?.value.role;
    assert.equal(await role(OWNER), 'Owner', 'a new team owner');
    assert.equal(await role(ADELE), 'Owner', 'a member who owns the team');
    assert.equal(await role(GUEST), undefined, 'a guest is no member');
    assert.equal(await stores.users.get(userKey(asTenantId(T), asUserId(GUEST))), undefined);
    assert.deepEqual(readFor, [[OWNER, ADELE]], 'presence read once they are members');
  });

  it('follows the team: renamed, archived and deleted (no new tasks, in words; nothing deleted), and back', async () => {
    const event = (eventType: string, name = 'IT Helpdesk') =>
      send(
        inTeam('team-it-helpdesk', {
          channelData: { tenant: { id: T }, team: { id: 'team-it-helpdesk', name }, eventType },
        }),
      );
    const service = async () =>
      (await stores.services.get(serviceKey(asTenantId(T), HELPDESK)))?.value;
    const intake = () =>
      createTask(appDeps(stores), { kind: 'system' }, asTenantId(T), HELPDESK, {
        modality: 'Call',
        subject: 'Printer on fire',
      });
    await event('teamRenamed', 'Helpdesk (Zurich)');
    assert.equal((await service())?.name, 'Helpdesk (Zurich)');
    assert.equal((await service())?.teamGroupId, undefined, 'Teams did not tell its group id');
    await send(
      inTeam('team-it-helpdesk', {
        channelData: {
          tenant: { id: T },
          team: { id: 'team-it-helpdesk', name: 'Helpdesk (Zurich)', aadGroupId: GROUP },
          eventType: 'teamRenamed',
        },
      }),
    );
    assert.equal((await service())?.teamGroupId, GROUP, 'what Graph knows the team by');
    await event('teamArchived');
    assert.equal((await service())?.teamState, 'Archived');
    const archived = await intake();
    assert.ok(!archived.ok);
    assert.match(archived.refusal.message, /takes no new tasks: its team is archived in Teams/);
    await event('teamUnarchived');
    assert.equal((await service())?.teamState, undefined);
    assert.ok((await intake()).ok);
    await event('teamDeleted');
    const deleted = await intake();
    assert.ok(!deleted.ok);
    assert.match(
      deleted.refusal.message,
      /its team was deleted in Teams \(the service, its members and its history are kept\)/,
    );
    assert.ok((await members()).length > 0, 'members kept');
    await event('teamRestored');
    assert.ok((await intake()).ok);
  });

  describe('with a task in the service', () => {
    const MEGAN = DEMO.users.find((u) => u.displayName.startsWith('Megan'))?.id ?? '';
    const PATTI = DEMO.users.find((u) => u.displayName.startsWith('Patti'))?.id ?? '';
    const system = { kind: 'system' } as const;
    const deps = () => appDeps(stores);
    const newTask = async () => {
      const created = await createTask(deps(), system, asTenantId(T), HELPDESK, {
        modality: 'Call',
        subject: 'Printer on fire',
      });
      assert.ok(created.ok);
      return created.value.task.id;
    };
    const offeredTo = async (taskId: TaskId) =>
      (await findTask(deps(), asTenantId(T), taskId))?.value.offeredTo;

    it('hands the invitation of someone who leaves the team to the next person at once', async () => {
      const t = await newTask();
      assert.deepEqual(await offeredTo(t), [MEGAN]);
      await send(
        inTeam('team-it-helpdesk', {
          membersRemoved: [{ id: '29:megan', name: 'Megan', aadObjectId: MEGAN }],
        }),
      );
      assert.deepEqual(await offeredTo(t), [ADELE]);
    });

    it('offers a waiting task at once to someone who joins the team', async () => {
      for (const person of DEMO.services[0].members)
        await setPresence(deps(), system, asTenantId(T), asUserId(person[0]), 'Offline');
      const t = await newTask();
      assert.deepEqual(await offeredTo(t), []);
      await send(
        inTeam('team-it-helpdesk', {
          membersAdded: [{ id: '29:patti', name: 'Patti Fernandez', aadObjectId: PATTI }],
        }),
      );
      assert.deepEqual(await offeredTo(t), [PATTI]);
    });
  });

  /** A bot that records whose chats it said are known. */
  const botTellingChats = () => {
    const known: string[][] = [];
    bot = new ServiceRoutingBot({
      app: appDeps(stores),
      chatKnown: (tenantId, userId) => {
        known.push([tenantId, userId]);
        return Promise.resolve();
      },
    });
    return known;
  };
  /** An activity of Adele's personal chat with the bot. */
  const inAdelesChat = (change: Partial<Activity>): Partial<Activity> => ({
    channelId: 'msteams',
    recipient: { id: '28:bot', name: 'Service Routing' },
    from: { id: '29:adele', name: 'Adele', aadObjectId: ADELE },
    conversation: {
      id: 'a:personal-adele',
      tenantId: T,
      conversationType: 'personal',
    } as Activity['conversation'],
    channelData: { tenant: { id: T } },
    ...change,
  });
  const adelesLink = async () =>
    (await stores.teamsLinks.users.get(teamsUserKey(asTenantId(T), asUserId(ADELE))))?.value;

  it('says a person’s chat is known once the app is installed for them (their waiting cards go out)', async () => {
    const known = botTellingChats();
    await new TestAdapter((context) => bot.run(context))
      .send(
        inAdelesChat({
          type: ActivityTypes.ConversationUpdate,
          membersAdded: [{ id: '28:bot', name: 'Service Routing' }],
        }),
      )
      .assertReply((reply) => assert.match(reply.text ?? '', /^Hello!/))
      .startTest();
    assert.deepEqual(known, [[T, ADELE]]);
    assert.equal((await adelesLink())?.conversationId, 'a:personal-adele');
  });

  it('follows the app in someone’s personal scope (installationUpdate): added, their chat is known; removed, it is forgotten', async () => {
    const known = botTellingChats();
    const installation = (action: 'add' | 'remove') =>
      send(inAdelesChat({ type: 'installationUpdate', action }));
    await installation('add');
    assert.deepEqual(known, [[T, ADELE]]);
    assert.equal((await adelesLink())?.conversationId, 'a:personal-adele');
    await installation('remove');
    assert.equal(
      await adelesLink(),
      undefined,
      'her chat is gone: her next card asks for the app again',
    );
  });

  it('keeps the service when the app is removed from the team', async () => {
    await send(
      inTeam('team-it-helpdesk', { membersRemoved: [{ id: '28:bot', name: 'Service Routing' }] }),
    );
    assert.ok(await stores.services.get(serviceKey(asTenantId(T), asServiceId('svc-it-helpdesk'))));
    assert.equal((await members()).length, 3);
  });

  it('leaves a team that is not a service alone', async () => {
    await send(
      inTeam('team-unprovisioned', {
        membersAdded: [{ id: '29:new', name: 'Nina New', aadObjectId: NEW }],
      }),
    );
    assert.equal(await stores.users.get(userKey(asTenantId(T), asUserId(NEW))), undefined);
  });
});
