import { strict as assert } from 'node:assert';
import { connectTeams, mayBeHosted, type ConnectOptions } from './teams-host';

type FakeWindow = NonNullable<ConnectOptions['window']>;
type Load = NonNullable<ConnectOptions['load']>;

/** A page as a browser shows it: on its own, framed, or in a web view with a native bridge. */
function aWindow(kind: 'own' | 'framed' | 'mobile'): FakeWindow {
  const self: Record<string, unknown> = { name: '' };
  self.self = self;
  self.parent = kind === 'framed' ? {} : self;
  if (kind === 'mobile') self.nativeInterface = { framelessPostMessage: () => undefined };
  return self as unknown as FakeWindow;
}

/** teams-js as a host that answers (or never does), with a team's context. */
function teamsJs(answers: boolean, loads: string[]): Load {
  return () => {
    loads.push('teams-js');
    return Promise.resolve({
      app: {
        initialize: () => (answers ? Promise.resolve() : new Promise<void>(() => undefined)),
        getContext: () =>
          Promise.resolve({ app: { theme: 'dark' }, team: { internalId: '19:team@thread' } }),
        registerOnThemeChangeHandler: () => undefined,
      },
      authentication: { getAuthToken: () => Promise.resolve('sso-token') },
      pages: {},
    } as unknown as Awaited<ReturnType<Load>>);
  };
}

describe('finding the Teams client', () => {
  it('is in Teams framed (desktop, web) and frameless with the native bridge (mobile)', async () => {
    for (const kind of ['framed', 'mobile'] as const) {
      const loads: string[] = [];
      const host = await connectTeams({ window: aWindow(kind), load: teamsJs(true, loads) });
      assert.equal(host.inTeams, true, kind);
      assert.equal(host.theme, 'dark', kind);
      assert.equal(host.teamId, '19:team@thread', kind);
      assert.equal(await host.getAuthToken(), 'sso-token', kind);
    }
  });

  it('is outside Teams on its own, without loading teams-js', async () => {
    const loads: string[] = [];
    assert.equal(mayBeHosted(aWindow('own')), false);
    const host = await connectTeams({ window: aWindow('own'), load: teamsJs(true, loads) });
    assert.equal(host.inTeams, false);
    assert.deepEqual(loads, []);
  });

  it('is outside Teams when whatever frames it never answers', async () => {
    const loads: string[] = [];
    const host = await connectTeams({
      window: aWindow('framed'),
      load: teamsJs(false, loads),
      answerMs: 1,
    });
    assert.equal(host.inTeams, false);
    assert.deepEqual(loads, ['teams-js'], 'it asked');
  });
});
