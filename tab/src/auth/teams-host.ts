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

/** The page runs framed by Teams only when Teams passed it a host frame. */
function framed(): boolean {
  return window.parent !== window.self || window.name === 'embedded-page-container';
}

const OUTSIDE_TEAMS: TeamsHost = {
  inTeams: false,
  theme: 'default',
  teamId: null,
  onThemeChange: () => undefined,
  getAuthToken: () => Promise.reject(new Error('Not running in Teams')),
  offerTeamTab: () => undefined,
};

/** Connects to the Teams client when hosted by it; outside Teams it reports so. */
export async function connectTeams(): Promise<TeamsHost> {
  if (!framed()) return OUTSIDE_TEAMS;
  // Loaded only inside Teams: on load the SDK fetches its list of valid host domains.
  const { app, authentication, pages } = await import('@microsoft/teams-js');
  await app.initialize();
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
