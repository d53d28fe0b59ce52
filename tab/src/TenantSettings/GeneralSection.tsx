import {
  Button,
  Caption1,
  Field,
  Input,
  Select,
  Spinner,
  Subtitle1,
  Subtitle2,
} from '@fluentui/react-components';
import { useState } from 'react';
import { guid } from '../../../core/domain/field-formats';
import type { Api } from '../api/api-client';
import { groupDetailsSchema } from '../api/schemas';
import { useLoad } from '../api/use-load';
import { ActionDialog } from '../ActionDialog/ActionDialog';
import { ErrorBar } from '../ErrorBar/ErrorBar';
import { ReadOnlyField } from '../ReadOnlyField/ReadOnlyField';
import { useTenantSettingsStyles } from './TenantSettings.styles';
import type { SectionProps } from './section-props';

/** The General section as the form edits it: text as typed, empty meaning none. */
export interface GeneralDraft {
  readonly o365Domain: string;
  readonly companyName: string;
  readonly crmId: string;
  /** An IANA time zone: reports count days and hours in it. */
  readonly timeZone: string;
  readonly tenantAdminGroupId: string;
  readonly partnerAdminGroupId: string;
  readonly billingAddress: {
    readonly street1: string;
    readonly street2: string;
    readonly zip: string;
    readonly city: string;
    readonly country: string;
  };
}

/** The time zones this browser knows, UTC first, and the stored one even if it knows it not. */
function timeZonesWith(current: string): string[] {
  const zones = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC')];
  return zones.includes(current) ? zones : ['UTC', current, ...zones.slice(1)];
}

/** Who is in an admin group, as Microsoft Graph lists them (or why it cannot tell). */
function GroupDialog(props: {
  readonly api: Api;
  readonly tenantId: string;
  readonly group: { readonly label: string; readonly id: string } | null;
  readonly onClose: () => void;
}) {
  const { api, tenantId, group } = props;
  const details = useLoad(
    () =>
      group
        ? api.get(
            `/tenants/${encodeURIComponent(tenantId)}/groups/${encodeURIComponent(group.id)}`,
            groupDetailsSchema,
          )
        : Promise.resolve(null),
    [api, tenantId, group?.id],
  );
  const data = details.data;
  return (
    <ActionDialog
      open={group !== null}
      title={group?.label ?? ''}
      action="Close"
      onAction={props.onClose}
      onClose={props.onClose}
    >
      {details.loading && <Spinner label="Asking Microsoft Graph…" />}
      <ErrorBar error={details.error} title="The group could not be read" />
      {data && !data.ok && <ErrorBar error={data.problem} title="The group could not be read" />}
      {data?.ok && (
        <>
          <Subtitle2 as="h3">
            {data.displayName}: {data.members.length}{' '}
            {data.members.length === 1 ? 'person' : 'people'}
          </Subtitle2>
          {data.members.length === 0 ? (
            <p>Nobody is in this group: it gives nobody admin rights.</p>
          ) : (
            <ul aria-label="Members of the group">
              {data.members.map((m) => (
                <li key={m.userId}>
                  {m.displayName}
                  {m.upn && ` (${m.upn})`}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </ActionDialog>
  );
}

/**
 * Tenant settings, General: who the tenant is (name and id, which only the operator sets),
 * company and billing details, and the security groups whose members are admins.
 */
export function GeneralSection(
  props: SectionProps<GeneralDraft> & { readonly tenantName: string },
) {
  const styles = useTenantSettingsStyles();
  const { draft, edit, field } = props;
  const [showing, setShowing] = useState<{ label: string; id: string } | null>(null);
  const text = (key: 'o365Domain' | 'companyName' | 'crmId', label: string, hint?: string) => (
    <Field label={label} hint={hint} {...field(`general.${key}`)}>
      <Input value={draft[key]} onChange={(_e, d) => edit({ ...draft, [key]: d.value })} />
    </Field>
  );
  const address = (key: keyof GeneralDraft['billingAddress'], label: string) => (
    <Field label={label} {...field(`general.billingAddress.${key}`)}>
      <Input
        value={draft.billingAddress[key]}
        onChange={(_e, d) =>
          edit({ ...draft, billingAddress: { ...draft.billingAddress, [key]: d.value } })
        }
      />
    </Field>
  );
  const group = (
    key: 'tenantAdminGroupId' | 'partnerAdminGroupId',
    label: string,
    hint: string,
  ) => {
    const value = draft[key].trim();
    return (
      <div className={styles.withAction}>
        <Field label={label} hint={hint} className={styles.grow} {...field(`general.${key}`)}>
          <Input
            value={draft[key]}
            placeholder="none"
            onChange={(_e, d) => edit({ ...draft, [key]: d.value })}
          />
        </Field>
        <Button
          aria-label={`Details of the ${label.toLowerCase()}`}
          disabled={!guid.safeParse(value).success}
          onClick={() => setShowing({ label, id: value })}
        >
          Details
        </Button>
      </div>
    );
  };
  return (
    <section className={styles.section} aria-label="General">
      <Subtitle1 as="h2">General</Subtitle1>
      <div className={styles.wideRow}>
        <ReadOnlyField
          label="Tenant name"
          value={props.tenantName}
          hint="Only the system operator changes the name."
        />
        <ReadOnlyField
          label="Tenant id"
          value={props.tenantId}
          hint="Your Microsoft Entra tenant; it never changes."
        />
      </div>
      {text('o365Domain', 'Office 365 domain', 'For example contoso.onmicrosoft.com')}
      {text('companyName', 'Company name')}
      {text('crmId', 'CRM id', 'Your customer number in your CRM, for your own records.')}
      <Field
        label="Time zone"
        hint="Reports count your days and hours in it."
        {...field('general.timeZone')}
      >
        <Select value={draft.timeZone} onChange={(_e, d) => edit({ ...draft, timeZone: d.value })}>
          {timeZonesWith(draft.timeZone).map((zone) => (
            <option key={zone} value={zone}>
              {zone.replaceAll('_', ' ')}
            </option>
          ))}
        </Select>
      </Field>
      <fieldset className={styles.fieldset}>
        <legend>
          <Caption1>Billing address</Caption1>
        </legend>
        {address('street1', 'Street')}
        {address('street2', 'Street, second line')}
        <div className={styles.row}>
          {address('zip', 'Postal code')}
          {address('city', 'City')}
          {address('country', 'Country')}
        </div>
      </fieldset>
      {group(
        'tenantAdminGroupId',
        'Tenant admin group',
        'Members of this security group (its id, a GUID) are tenant admins here.',
      )}
      {group(
        'partnerAdminGroupId',
        'Partner admin group',
        'Members of this security group are tenant admins too: for a partner who runs the app for you.',
      )}
      <GroupDialog
        api={props.api}
        tenantId={props.tenantId}
        group={showing}
        onClose={() => setShowing(null)}
      />
    </section>
  );
}
