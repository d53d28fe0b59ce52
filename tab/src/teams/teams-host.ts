export type TeamsThemeName = 'default' | 'dark' | 'contrast';

export interface TeamsHost {
  readonly inTeams: boolean;
  readonly theme: TeamsThemeName;
  onThemeChange(listener: (theme: TeamsThemeName) => void): void;
}

const asTheme = (raw: string | undefined): TeamsThemeName =>
  raw === 'dark' || raw === 'contrast' ? raw : 'default';

/** The page runs framed by Teams only when Teams passed it a host frame. */
function framed(): boolean {
  return window.parent !== window.self || window.name === 'embedded-page-container';
}

/** Connects to the Teams client when hosted by it; outside Teams it reports so. */
export async function connectTeams(): Promise<TeamsHost> {
  if (!framed()) return { inTeams: false, theme: 'default', onThemeChange: () => undefined };
  // Loaded only inside Teams: on load the SDK fetches its list of valid host domains.
  const { app } = await import('@microsoft/teams-js');
  await app.initialize();
  const context = await app.getContext();
  return {
    inTeams: true,
    theme: asTheme(context.app.theme),
    onThemeChange: (listener) => app.registerOnThemeChangeHandler((t) => listener(asTheme(t))),
  };
}
