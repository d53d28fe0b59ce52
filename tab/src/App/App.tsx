import {
  FluentProvider,
  MessageBar,
  MessageBarBody,
  Spinner,
  teamsDarkTheme,
  teamsHighContrastTheme,
  teamsLightTheme,
} from '@fluentui/react-components';
import { useCallback, useEffect, useState } from 'react';
import { ApiProblem } from '../api/api-problem';
import { healthSchema, signedInSchema, type Health, type Me, type Operator } from '../api/schemas';
import {
  resumeDevSession,
  signInAs,
  teamsSession,
  type DevWho,
  type Session,
} from '../auth/session';
import { connectTeams, type TeamsHost, type TeamsThemeName } from '../auth/teams-host';
import { ErrorBar } from '../ErrorBar/ErrorBar';
import { OperatorShell } from '../Operator/OperatorShell';
import { Shell } from '../Shell/Shell';
import { SignIn } from '../SignIn/SignIn';
import { useAppStyles } from './App.styles';
import { themeFromQuery, withTheme } from './theme-choice';
import { ThemeNameContext } from './theme-name';
import { ThemePicker } from './ThemePicker';

const WINDOW_HIGH = { minHeight: '100vh' } as const;

const THEMES = { default: teamsLightTheme, dark: teamsDarkTheme, contrast: teamsHighContrastTheme };

type Stage =
  | { readonly kind: 'starting' }
  | { readonly kind: 'signIn'; readonly health: Health; readonly host: TeamsHost }
  | { readonly kind: 'outsideTeams' }
  | { readonly kind: 'configureTab' }
  | {
      readonly kind: 'ready';
      readonly health: Health;
      readonly host: TeamsHost;
      readonly session: Session;
      readonly me: Me | Operator;
    }
  | { readonly kind: 'failed'; readonly error: unknown };

async function fetchHealth(): Promise<Health> {
  const response = await fetch('/api/v1/health');
  if (!response.ok) throw new Error(`The service answered ${response.status}.`);
  return healthSchema.parse(await response.json());
}

/** The tab's root: Teams theme, then who is signed in (Teams SSO, or the dev picker), then the pages. */
export function App() {
  const styles = useAppStyles();
  const [theme, setTheme] = useState<TeamsThemeName>('default');
  const [stage, setStage] = useState<Stage>({ kind: 'starting' });

  const enter = useCallback(async (health: Health, host: TeamsHost, session: Session) => {
    const me = await session.api.get('/me', signedInSchema);
    setStage({ kind: 'ready', health, host, session, me });
  }, []);

  useEffect(() => {
    const start = async () => {
      const [host, health] = await Promise.all([connectTeams(), fetchHealth()]);
      // Inside Teams the theme is Teams'; outside (dev mode) the address may ask for one.
      setTheme(host.inTeams ? host.theme : (themeFromQuery(window.location.search) ?? 'default'));
      host.onThemeChange(setTheme);
      if (host.inTeams && window.location.hash === '#/configure') {
        host.offerTeamTab();
        return setStage({ kind: 'configureTab' });
      }
      if (host.inTeams) return enter(health, host, await teamsSession(host));
      if (!health.devMode) return setStage({ kind: 'outsideTeams' });
      const toPicker = () => setStage({ kind: 'signIn', health, host });
      const resumed = resumeDevSession(toPicker);
      if (!resumed) return toPicker();
      // dev keys are new on every server start: an old token is refused, so pick again
      return enter(health, host, resumed).catch((error: unknown) => {
        if (error instanceof ApiProblem && error.status === 401) resumed.signOut?.();
        else throw error;
      });
    };
    start().catch((error: unknown) => setStage({ kind: 'failed', error }));
  }, [enter]);

  const chooseTheme = (next: TeamsThemeName) => {
    setTheme(next);
    window.history.replaceState(null, '', withTheme(window.location.href, next));
  };
  const devHost =
    (stage.kind === 'ready' || stage.kind === 'signIn') &&
    stage.health.devMode &&
    !stage.host.inTeams;
  const picker = devHost ? <ThemePicker theme={theme} onChange={chooseTheme} /> : undefined;

  const pick = (health: Health, host: TeamsHost) => (who: DevWho) =>
    void signInAs(who, () => setStage({ kind: 'signIn', health, host }))
      .then((session) => enter(health, host, session))
      .catch((error: unknown) => setStage({ kind: 'failed', error }));

  return (
    // The theme's background fills the window, however short the page. Not in a class: the
    // provider's classes also go to every portal (a chart's callout, a tooltip), where a
    // window-high box would hide the page.
    <FluentProvider theme={THEMES[theme]} style={WINDOW_HIGH}>
      <ThemeNameContext.Provider value={theme}>
        {stage.kind === 'ready' && stage.me.operator ? (
          <OperatorShell session={stage.session} me={stage.me} themePicker={picker} />
        ) : stage.kind === 'ready' && !stage.me.operator ? (
          <Shell
            session={stage.session}
            me={stage.me}
            health={stage.health}
            teamId={stage.host.teamId}
            themePicker={picker}
          />
        ) : (
          <main className={styles.root}>
            {stage.kind === 'starting' && <Spinner label="Connecting to the service…" />}
            {stage.kind === 'signIn' && (
              <>
                {picker}
                <SignIn onPick={pick(stage.health, stage.host)} />
              </>
            )}
            {stage.kind === 'configureTab' && (
              <MessageBar intent="info">
                <MessageBarBody>
                  Save to add a tab that shows this team&apos;s service: its members, who is free
                  now, and its queue.
                </MessageBarBody>
              </MessageBar>
            )}
            {stage.kind === 'outsideTeams' && (
              <MessageBar intent="info">
                <MessageBarBody>Open this app in Microsoft Teams to sign in.</MessageBarBody>
              </MessageBar>
            )}
            {stage.kind === 'failed' && (
              <ErrorBar error={stage.error} title="The app could not start" />
            )}
          </main>
        )}
      </ThemeNameContext.Provider>
    </FluentProvider>
  );
}
