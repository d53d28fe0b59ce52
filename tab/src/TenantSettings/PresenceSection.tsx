import {
  Body1,
  Button,
  Caption1,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Spinner,
  Subtitle1,
} from '@fluentui/react-components';
import { useState } from 'react';
import { presenceWords } from '../../../core/domain/routing/reason-words';
import type { Api } from '../api/api-client';
import { ApiProblem } from '../api/api-problem';
import { presenceStatusSchema, presenceTestSchema, type PresenceTest } from '../api/schemas';
import { useLoad } from '../api/use-load';
import { ErrorBar } from '../ErrorBar/ErrorBar';
import { useTenantSettingsStyles } from './TenantSettings.styles';

const when = (iso: string | null) =>
  iso === null
    ? 'never'
    : new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * Tenant settings, "Presence": whether people's presence comes from Teams (through
 * Microsoft Graph), how (change notifications, or reading everyone now and then), when it
 * last arrived and, if something is wrong, why in words; and a test that reads one
 * person's presence now.
 */
export function PresenceSection(props: { readonly api: Api; readonly tenantId: string }) {
  const styles = useTenantSettingsStyles();
  const base = `/tenants/${encodeURIComponent(props.tenantId)}`;
  const status = useLoad(() => props.api.get(`${base}/presence`, presenceStatusSchema), [base]);
  const [upn, setUpn] = useState('');
  const [testing, setTesting] = useState(false);
  const [result, setResult] = useState<PresenceTest | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const test = async () => {
    setTesting(true);
    setResult(null);
    setProblem(null);
    try {
      setResult(
        await props.api.send(
          'POST',
          `${base}/presence:test`,
          { upn: upn.trim() },
          presenceTestSchema,
        ),
      );
    } catch (error) {
      setProblem(error instanceof ApiProblem ? error.message : 'The test could not be run.');
    } finally {
      setTesting(false);
    }
  };
  const s = status.data;
  return (
    <section className={styles.section} aria-label="Presence">
      <Subtitle1 as="h2">Presence</Subtitle1>
      <ErrorBar error={status.error} title="How presence arrives could not be loaded" />
      {s?.source === 'none' && (
        <Body1>
          Presence does not come from Teams: {s.problem} People nobody reports count as Offline.
        </Body1>
      )}
      {s?.source === 'graph' && (
        <>
          <Body1>
            {s.notifications
              ? `Fed from Teams through Microsoft Graph, as it changes (${s.subscriptions} subscription${s.subscriptions === 1 ? '' : 's'}), and read whole now and then.`
              : 'Fed from Teams through Microsoft Graph, read for everyone now and then.'}
          </Body1>
          <Caption1>
            Last update: {when(s.lastUpdateAt)} · last read for everyone: {when(s.lastPollAt)} ·
            team members last checked in Teams: {when(s.lastRosterAt)}
          </Caption1>
          {[s.problem, s.rosterProblem].map(
            (problem) =>
              problem && (
                <MessageBar key={problem} intent="warning">
                  <MessageBarBody>{problem}</MessageBarBody>
                </MessageBar>
              ),
          )}
        </>
      )}
      <div className={styles.withAction}>
        <Field
          label="Test a person’s presence (user principal name)"
          hint="Reads it from Teams now, as distribution will."
          className={styles.grow}
        >
          <Input
            type="email"
            value={upn}
            placeholder="adele@contoso.com"
            onChange={(_e, d) => setUpn(d.value)}
          />
        </Field>
        <Button disabled={testing || !upn.trim()} onClick={() => void test()}>
          Test
        </Button>
        {testing && <Spinner size="tiny" label="Reading…" />}
      </div>
      {result?.ok === true && (
        <MessageBar intent="success">
          <MessageBarBody>
            {result.displayName}: {presenceWords(result.presence)} (Teams says {result.availability}
            , {result.activity}).
          </MessageBarBody>
        </MessageBar>
      )}
      {result?.ok === false && (
        <MessageBar intent="error">
          <MessageBarBody>{result.problem}</MessageBarBody>
        </MessageBar>
      )}
      {problem && (
        <MessageBar intent="error">
          <MessageBarBody>{problem}</MessageBarBody>
        </MessageBar>
      )}
    </section>
  );
}
