import {
  Body1,
  Card,
  CardHeader,
  FluentProvider,
  MessageBar,
  MessageBarBody,
  Spinner,
  Title2,
  teamsDarkTheme,
  teamsHighContrastTheme,
  teamsLightTheme,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { connectTeams, type TeamsThemeName } from '../teams/teams-host';
import { useAppStyles } from './App.styles';

const THEMES = { default: teamsLightTheme, dark: teamsDarkTheme, contrast: teamsHighContrastTheme };

type Health =
  { kind: 'loading' } | { kind: 'ok'; storage: string } | { kind: 'error'; message: string };

async function fetchHealth(): Promise<Health> {
  const response = await fetch('/api/v1/health');
  if (!response.ok) return { kind: 'error', message: `The service answered ${response.status}.` };
  const body = (await response.json()) as { storage: string };
  return { kind: 'ok', storage: body.storage };
}

/** The tab's shell: Teams theme, and the service's state. */
export function App() {
  const styles = useAppStyles();
  const [theme, setTheme] = useState<TeamsThemeName>('default');
  const [health, setHealth] = useState<Health>({ kind: 'loading' });

  useEffect(() => {
    connectTeams()
      .then((host) => {
        setTheme(host.theme);
        host.onThemeChange(setTheme);
      })
      .catch((error: unknown) =>
        setHealth({ kind: 'error', message: `Teams did not connect: ${String(error)}` }),
      );
    fetchHealth()
      .then(setHealth)
      .catch((error: unknown) => setHealth({ kind: 'error', message: String(error) }));
  }, []);

  return (
    <FluentProvider theme={THEMES[theme]}>
      <main className={styles.root}>
        <Title2 as="h1">Service routing</Title2>
        <Card>
          <CardHeader
            header={
              <Body1>
                Your team&apos;s calls, chats, e-mails and tasks reach the people free to take them.
              </Body1>
            }
          />
          {health.kind === 'loading' && <Spinner size="tiny" label="Connecting to the service…" />}
          {health.kind === 'ok' && (
            <Body1>
              Connected. Storage:{' '}
              {health.storage === 'azure' ? 'Azure Table storage' : 'embedded Azurite'}.
            </Body1>
          )}
        </Card>
        {health.kind === 'error' && (
          <MessageBar intent="error">
            <MessageBarBody>{health.message}</MessageBarBody>
          </MessageBar>
        )}
      </main>
    </FluentProvider>
  );
}
