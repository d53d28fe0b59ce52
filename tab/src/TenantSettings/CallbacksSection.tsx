import { Body1, Button, Field, Input, Subtitle1 } from '@fluentui/react-components';
import { useState } from 'react';
import { ActionDialog } from '../ActionDialog/ActionDialog';
import type { Api } from '../api/api-client';
import { callbackSecretSchema } from '../api/schemas';
import { ErrorBar } from '../ErrorBar/ErrorBar';
import { useTenantSettingsStyles } from './TenantSettings.styles';

/**
 * Tenant settings, "External tasks": the secret that signs the outcome events sent to a
 * task's callback address, shown on request (a receiver needs it to check the signature)
 * and replaced after asking.
 */
export function CallbacksSection(props: { readonly api: Api; readonly tenantId: string }) {
  const styles = useTenantSettingsStyles();
  const path = `/tenants/${encodeURIComponent(props.tenantId)}/callback-secret`;
  const [secret, setSecret] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const load = async (method: 'GET' | 'POST') => {
    setAsking(false);
    setError(null);
    try {
      const answer =
        method === 'GET'
          ? await props.api.get(path, callbackSecretSchema)
          : await props.api.send('POST', path, undefined, callbackSecretSchema);
      setSecret(answer.secret);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section className={styles.section} aria-label="External tasks">
      <Subtitle1 as="h2">External tasks</Subtitle1>
      <Body1>
        A task created with a callback address reports what became of it there (accepted, completed,
        canceled, abandoned), each event signed with this secret so the receiver can trust it.
      </Body1>
      <ErrorBar error={error} title="The callback secret could not be read" />
      <div className={styles.withAction}>
        <Field label="Callback secret" className={styles.grow}>
          <Input readOnly value={secret ?? '••••••••••••••••'} />
        </Field>
        {secret === null ? (
          <Button onClick={() => void load('GET')}>Show</Button>
        ) : (
          <Button onClick={() => void navigator.clipboard?.writeText(secret)}>Copy</Button>
        )}
        <Button onClick={() => setAsking(true)}>Replace</Button>
      </div>
      <ActionDialog
        open={asking}
        title="Replace the callback secret?"
        action="Replace"
        dismiss="Keep it"
        onAction={() => void load('POST')}
        onClose={() => setAsking(false)}
      >
        Events from now on are signed with the new secret: receivers that check the old one refuse
        them until they are given it.
      </ActionDialog>
    </section>
  );
}
