import type * as TeamsJs from '@microsoft/teams-js';
export type TeamsThemeName = 'default' | 'dark' | 'contrast';

/** What the tab learns from the Teams client it runs in (nothing outside Teams). */
export interface TeamsHost {
  readonly inTeams: boolean;
  readonly theme: TeamsThemeName;
  /** The team of a team tab (the id the bot saw when it was provisioned). */
  readonly teamId: string | null;
  onThemeChange(listener: (theme: TeamsThemeName) => void): void;
  /** The signed-in user's SSO token for the app's API (Teams caches and renews it). */
  getAuthToken(): Promise<string>;
  /** On a team tab's configuration page: saving adds the tab showing the team's service. */
  offerTeamTab(): void;
}

const asTheme = (raw: string | undefined): TeamsThemeName =>
  raw === 'dark' || raw === 'contrast' ? raw : 'default';

/**
 * Whether a Teams client may be hosting the page, as teams-js itself decides where to talk:
 * desktop and web frame the tab (a parent window); the mobile apps show it frameless in a
 * web view that gives the page a native bridge (`nativeInterface`). Without either, teams-js
 * cannot initialize, so it is not even loaded (it would fetch its list of host domains).
 */
export function mayBeHosted(win: Window & { nativeInterface?: unknown }): boolean {
  return (
    win.parent !== win.self ||
    win.name === 'embedded-page-container' ||
    win.nativeInterface !== undefined
  );
}

/** How long a possible host has to answer before the page counts as outside Teams. */
export const HOST_ANSWER_MS = 5_000;

export interface ConnectOptions {
  readonly window?: Window & { nativeInterface?: unknown };
  /** teams-js, loaded when a host may be there (tests pass a stand-in). */
  readonly load?: () => Promise<Pick<typeof TeamsJs, 'app' | 'authentication' | 'pages'>>;
  readonly answerMs?: number;
}

const OUTSIDE_TEAMS: TeamsHost = {
  inTeams: false,
  theme: 'default',
  teamId: null,
  onThemeChange: () => undefined,
  getAuthToken: () => Promise.reject(new Error('Not running in Teams')),
  offerTeamTab: () => undefined,
};

/**
 * Connects to the Teams client when one hosts the page (framed on desktop and web,
 * frameless on mobile): teams-js initializes, or does not within `answerMs` (a page framed
 * by something else, which never answers), and the page is outside Teams.
 */
export async function connectTeams(options: ConnectOptions = {}): Promise<TeamsHost> {
  const win = options.window ?? window;
  if (!mayBeHosted(win)) return OUTSIDE_TEAMS;
  const { app, authentication, pages } = await (
    options.load ?? (() => import('@microsoft/teams-js'))
  )();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const answered = await Promise.race([
    app.initialize().then(
      () => true,
      () => false,
    ),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), options.answerMs ?? HOST_ANSWER_MS);
    }),
  ]);
  clearTimeout(timer);
  if (!answered) return OUTSIDE_TEAMS;
  const context = await app.getContext();
  return {
    inTeams: true,
    theme: asTheme(context.app.theme),
    teamId: context.team?.internalId ?? null,
    onThemeChange: (listener) => app.registerOnThemeChangeHandler((t) => listener(asTheme(t))),
    getAuthToken: () => authentication.getAuthToken(),
    offerTeamTab: () => {
      const contentUrl = `${window.location.origin}/tab/#/team`;
      pages.config.registerOnSaveHandler((save) => {
        pages.config
          .setConfig({ entityId: 'service', contentUrl, suggestedDisplayName: 'Service' })
          .then(() => save.notifySuccess())
          .catch((error: unknown) => save.notifyFailure(String(error)));
      });
      pages.config.setValidityState(true);
    },
  };
}
