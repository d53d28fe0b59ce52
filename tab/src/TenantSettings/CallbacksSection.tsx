import { Body1, Subtitle1 } from '@fluentui/react-components';
import { useState } from 'react';
import type { Api } from '../api/api-client';
import { callbackSecretSchema } from '../api/schemas';
import { ErrorBar } from '../ErrorBar/ErrorBar';
import { SecretField } from './SecretField';
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
  const [error, setError] = useState<unknown>(null);
  const load = async (method: 'GET' | 'POST') => {
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
      <SecretField
        label="Callback secret"
        value={secret}
        onShow={() => void load('GET')}
        replaceWord="Replace"
        replaceTitle="Replace the callback secret?"
        consequence="Events from now on are signed with the new secret: receivers that check the old one refuse them until they are given it."
        onReplace={() => void load('POST')}
      />
    </section>
  );
}
