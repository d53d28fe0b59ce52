import { Body1, Field, Input, Select, Subtitle1, Switch } from '@fluentui/react-components';
import { useState } from 'react';
import { interactKeysSchema } from '../api/schemas';
import { ErrorBar } from '../ErrorBar/ErrorBar';
import { SecretField } from './SecretField';
import { useTenantSettingsStyles } from './TenantSettings.styles';
import type { SectionProps } from './section-props';

/** The Interact section as the form edits it (the number as typed). */
export interface InteractDraft {
  readonly enabled: boolean;
  readonly recoveryTimeoutSec: string;
  readonly authorization: 'None' | 'VerifyToken' | 'VerifyTokenAndTenant';
}

const AUTHORIZATIONS = [
  ['None', 'None: anyone on the page may chat'],
  ['VerifyToken', 'Verify token: your website signs a token for each customer'],
  ['VerifyTokenAndTenant', 'Verify token and tenant: a Microsoft Entra token of your tenant'],
] as const;

type KeyName = 'widgetKey' | 'tokenSecret';

/**
 * Tenant settings, "Website chat (Interact)": on or off (the rest shows only when on), how
 * long a customer's page may be away and still continue its chat, what a page must show to
 * start one, and the widget key and token secret, each refreshed after asking.
 */
export function InteractSection(props: SectionProps<InteractDraft>) {
  const styles = useTenantSettingsStyles();
  const { draft, edit, field } = props;
  const path = `/tenants/${encodeURIComponent(props.tenantId)}/interact/keys`;
  const [keys, setKeys] = useState<{ widgetKey: string; tokenSecret: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = async (refresh?: KeyName) => {
    setError(null);
    try {
      setKeys(
        refresh
          ? await props.api.send('POST', path, { refresh }, interactKeysSchema)
          : await props.api.get(path, interactKeysSchema),
      );
    } catch (err) {
      setError(err);
    }
  };
  const keyField = (name: KeyName, label: string, consequence: string) => (
    <SecretField
      label={label}
      value={keys?.[name] ?? null}
      onShow={() => void load()}
      replaceWord="Refresh"
      replaceTitle={`Refresh the ${label.toLowerCase()}?`}
      consequence={consequence}
      onReplace={() => void load(name)}
    />
  );
  return (
    <section className={styles.section} aria-label="Website chat">
      <Subtitle1 as="h2">Website chat (Interact)</Subtitle1>
      <Field {...field('interact.enabled')}>
        <Switch
          label="Customers may chat from your website"
          checked={draft.enabled}
          onChange={(_e, d) => edit({ ...draft, enabled: d.checked })}
        />
      </Field>
      {draft.enabled && (
        <>
          <Body1>
            Each service turns chat on in its own settings (Extensions, Interact). The chat widget
            for your website comes with a later version; its settings are kept now.
          </Body1>
          <Field
            label="Continue a chat after a reload within (seconds)"
            hint="5 to 60; after it, a waiting chat is canceled and an answered one ends for the customer."
            {...field('interact.recoveryTimeoutSec')}
          >
            <Input
              type="number"
              className={styles.short}
              value={draft.recoveryTimeoutSec}
              onChange={(_e, d) => edit({ ...draft, recoveryTimeoutSec: d.value })}
            />
          </Field>
          <Field label="Who may start a chat" {...field('interact.authorization')}>
            <Select
              value={draft.authorization}
              onChange={(_e, d) =>
                edit({ ...draft, authorization: d.value as InteractDraft['authorization'] })
              }
            >
              {AUTHORIZATIONS.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </Select>
          </Field>
          <ErrorBar error={error} title="The chat keys could not be read" />
          {keyField(
            'widgetKey',
            'Widget key',
            'Web pages that carry the old key can no longer start chats until they carry the new one.',
          )}
          {draft.authorization === 'VerifyToken' &&
            keyField(
              'tokenSecret',
              'Token secret',
              'Tokens your website signed with the old secret are refused from now on.',
            )}
        </>
      )}
    </section>
  );
}
