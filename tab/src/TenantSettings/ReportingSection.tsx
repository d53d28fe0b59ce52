import {
  Body1,
  Button,
  Caption1,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Subtitle1,
} from '@fluentui/react-components';
import { useState } from 'react';
import { ActionDialog } from '../ActionDialog/ActionDialog';
import type { Api } from '../api/api-client';
import { ApiProblem } from '../api/api-problem';
import { newReportingKeySchema, reportingKeySchema } from '../api/schemas';
import { useLoad } from '../api/use-load';
import { ErrorBar } from '../ErrorBar/ErrorBar';
import { useTenantSettingsStyles } from './TenantSettings.styles';

const when = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** The feed's address on the server that serves the tab. */
export const feedAddress = (origin: string) => `${origin}/api/v1/reporting/odata/`;

/**
 * Tenant settings, "Reporting": the OData feed's address for Power BI, and the tenant's
 * reporting key: made (shown this once), replaced or revoked. Only its last characters
 * are shown after.
 */
export function ReportingSection(props: {
  readonly api: Api;
  readonly tenantId: string;
  readonly origin?: string;
}) {
  const styles = useTenantSettingsStyles();
  const path = `/tenants/${encodeURIComponent(props.tenantId)}/reporting-key`;
  const status = useLoad(() => props.api.get(path, reportingKeySchema), [path]);
  const [shown, setShown] = useState<string | null>(null);
  const [asking, setAsking] = useState<'replace' | 'revoke' | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const address = feedAddress(props.origin ?? window.location.origin);
  const act = async (what: 'make' | 'revoke') => {
    setAsking(null);
    setProblem(null);
    try {
      if (what === 'make')
        setShown((await props.api.send('POST', path, undefined, newReportingKeySchema)).key);
      else {
        await props.api.send('DELETE', path, undefined, reportingKeySchema);
        setShown(null);
      }
      status.reload();
    } catch (error) {
      setProblem(error instanceof ApiProblem ? error.message : 'The key could not be changed.');
    }
  };
  const key = status.data;
  return (
    <section className={styles.section} aria-label="Reporting">
      <Subtitle1 as="h2">Reporting</Subtitle1>
      <Body1>
        Power BI (or any OData client) reads tasks, their steps, people’s states, services and
        people from this feed. Data privacy settings above decide what it shows.
      </Body1>
      <div className={styles.withAction}>
        <Field label="OData feed" className={styles.grow}>
          <Input readOnly value={address} />
        </Field>
        <Button onClick={() => void navigator.clipboard?.writeText(address)}>Copy</Button>
      </div>
      <ErrorBar error={status.error} title="The reporting key could not be loaded" />
      {key && (
        <Body1>
          {key.exists && key.hint && key.createdAt
            ? `A reporting key ending in …${key.hint} opens the feed (made ${when(key.createdAt)}).`
            : 'No reporting key: only admins signed in with their work account read the feed.'}
        </Body1>
      )}
      {shown && (
        <MessageBar intent="success" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>Copy the key now: it is not shown again.</MessageBarTitle>
            <div className={styles.withAction}>
              <Input
                readOnly
                value={shown}
                aria-label="New reporting key"
                className={styles.grow}
              />
              <Button onClick={() => void navigator.clipboard?.writeText(shown)}>Copy key</Button>
            </div>
            <Caption1>
              In Power BI: Get data, Blank query, then OData.Feed("{address}", null,
              [ApiKeyName="api-key"]); sign in with Web API and paste the key.
            </Caption1>
          </MessageBarBody>
        </MessageBar>
      )}
      {problem && (
        <MessageBar intent="error">
          <MessageBarBody>{problem}</MessageBarBody>
        </MessageBar>
      )}
      {key && (
        <div className={styles.withAction}>
          <Button onClick={() => (key.exists ? setAsking('replace') : void act('make'))}>
            {key.exists ? 'Replace the key' : 'Make a reporting key'}
          </Button>
          {key.exists && <Button onClick={() => setAsking('revoke')}>Revoke the key</Button>}
        </div>
      )}
      <ActionDialog
        open={asking !== null}
        title={asking === 'revoke' ? 'Revoke the reporting key?' : 'Replace the reporting key?'}
        action={asking === 'revoke' ? 'Revoke' : 'Replace'}
        dismiss="Keep it"
        onAction={() => void act(asking === 'revoke' ? 'revoke' : 'make')}
        onClose={() => setAsking(null)}
      >
        Reports that use the key ending in …{key?.hint} stop refreshing at once
        {asking === 'replace' ? ' until they are given the new one.' : '.'}
      </ActionDialog>
    </section>
  );
}
