import {
  Field,
  Input,
  Radio,
  RadioGroup,
  Select,
  Spinner,
  Subtitle1,
  Switch,
  Title2,
} from '@fluentui/react-components';
import { useCallback } from 'react';
import { fieldValidation } from '../api/api-problem';
import type { Api } from '../api/api-client';
import { directorySchema, tenantSettingsSchema, type TenantSettingsView } from '../api/schemas';
import { numberOrNull } from '../api/number-text';
import { useSettingsForm } from '../api/use-settings-form';
import { useLoad } from '../api/use-load';
import { ErrorBar } from '../ErrorBar/ErrorBar';
import { SaveBar } from '../SaveBar/SaveBar';
import { useTenantSettingsStyles } from './TenantSettings.styles';
import { PresenceSection } from './PresenceSection';
import { ReportingSection } from './ReportingSection';
import { CallbacksSection } from './CallbacksSection';
import { GeneralSection, type GeneralDraft } from './GeneralSection';
import { InteractSection, type InteractDraft } from './InteractSection';

export interface TenantSettingsProps {
  readonly api: Api;
  readonly tenantId: string;
  /** The tenant's name, which only the operator changes (shown read-only). */
  readonly tenantName: string;
}

const POLICIES = [
  ['Everyone', 'Anyone in the team, members too'],
  ['TenantAndOuAdmins', 'Tenant and OU admins'],
  ['TenantAdmins', 'Tenant admins only'],
  ['NoOne', 'No one (admins create services here)'],
] as const;

const LIMITS = [
  ['maxOutbound', 'Outbound calls', 50],
  ['maxIm', 'Instant messages', 50],
  ['maxExternalTask', 'External tasks', 50],
  ['maxEmail', 'E-mails', 200],
] as const;

type Limits = Record<(typeof LIMITS)[number][0], string>;

interface Draft {
  readonly general: GeneralDraft;
  readonly provisioning: TenantSettingsView['provisioning'];
  readonly modalities: Limits;
  readonly contact: {
    readonly name: string;
    readonly email: string;
    readonly phone: string;
    readonly sipAddress: string;
  };
  readonly interact: InteractDraft;
  readonly privacy: {
    readonly showTimeInState: boolean;
    readonly retentionDays: string;
  } & Record<(typeof PRIVACY_SWITCHES)[number][0], boolean>;
}

const draftOf = (s: TenantSettingsView): Draft => ({
  general: {
    o365Domain: s.general.o365Domain ?? '',
    companyName: s.general.companyName,
    crmId: s.general.crmId,
    timeZone: s.general.timeZone,
    tenantAdminGroupId: s.general.tenantAdminGroupId ?? '',
    partnerAdminGroupId: s.general.partnerAdminGroupId ?? '',
    billingAddress: s.general.billingAddress,
  },
  provisioning: s.provisioning,
  modalities: {
    maxOutbound: String(s.modalities.maxOutbound),
    maxIm: String(s.modalities.maxIm),
    maxExternalTask: String(s.modalities.maxExternalTask),
    maxEmail: String(s.modalities.maxEmail),
  },
  contact: {
    name: s.contact.name,
    email: s.contact.email ?? '',
    phone: s.contact.phone ?? '',
    sipAddress: s.contact.sipAddress ?? '',
  },
  interact: {
    enabled: s.interact.enabled,
    recoveryTimeoutSec: String(s.interact.recoveryTimeoutSec),
    authorization: s.interact.authorization,
  },
  privacy: {
    showTimeInState: s.dataPrivacy.showTimeInState,
    retentionDays: String(s.dataPrivacy.retentionDays),
    persistUserStates: s.dataPrivacy.persistUserStates,
    partnerSeesUserIdentifiers: s.dataPrivacy.partnerSeesUserIdentifiers,
    partnerSeesCustomerIdentifiers: s.dataPrivacy.partnerSeesCustomerIdentifiers,
  },
});

/** Privacy switches the tenant admin sets, each with what it does. */
const PRIVACY_SWITCHES = [
  [
    'persistUserStates',
    'Keep people’s state changes for reporting',
    'Presence, tasks, after-call work and Active switches with their times: time Active and available on dashboards, and the reporting feed. Purged with ended tasks.',
  ],
  [
    'partnerSeesUserIdentifiers',
    'Your partner may see who your people are',
    'Otherwise your partner’s admins see people as ***** in the reporting feed.',
  ],
  [
    'partnerSeesCustomerIdentifiers',
    'Your partner may see who your customers are',
    'Otherwise your partner’s admins see customers as ***** in the reporting feed.',
  ],
] as const;

const orNull = (text: string) => (text.trim() === '' ? null : text.trim());

const patchOf = (d: Draft) => ({
  general: {
    o365Domain: orNull(d.general.o365Domain),
    companyName: d.general.companyName,
    crmId: d.general.crmId,
    timeZone: d.general.timeZone,
    tenantAdminGroupId: orNull(d.general.tenantAdminGroupId),
    partnerAdminGroupId: orNull(d.general.partnerAdminGroupId),
    billingAddress: d.general.billingAddress,
  },
  provisioning: d.provisioning,
  modalities: Object.fromEntries(
    Object.entries(d.modalities).map(([k, v]) => [k, numberOrNull(v)]),
  ),
  contact: {
    name: d.contact.name,
    email: orNull(d.contact.email),
    phone: orNull(d.contact.phone),
    sipAddress: orNull(d.contact.sipAddress),
  },
  // Off, the hidden fields keep what was saved (whatever is typed there is not sent).
  interact: d.interact.enabled
    ? {
        enabled: true,
        recoveryTimeoutSec: numberOrNull(d.interact.recoveryTimeoutSec),
        authorization: d.interact.authorization,
      }
    : { enabled: false },
  dataPrivacy: {
    showTimeInState: d.privacy.showTimeInState,
    retentionDays: numberOrNull(d.privacy.retentionDays),
    persistUserStates: d.privacy.persistUserStates,
    partnerSeesUserIdentifiers: d.privacy.partnerSeesUserIdentifiers,
    partnerSeesCustomerIdentifiers: d.privacy.partnerSeesCustomerIdentifiers,
  },
});

/**
 * Tenant settings (tenant admins): general details and admin groups, who may provision,
 * where new services go, limits, data privacy, contact. What only the operator changes is
 * shown read-only with who does.
 */
export function TenantSettings(props: TenantSettingsProps) {
  const styles = useTenantSettingsStyles();
  const base = `/tenants/${encodeURIComponent(props.tenantId)}`;
  const loaded = useLoad(() => props.api.get(`${base}/settings`, tenantSettingsSchema), [base]);
  const directory = useLoad(() => props.api.get(`${base}/directory`, directorySchema), [base]);
  const { api } = props;
  const save = useCallback(
    async (draft: Draft) => {
      await api.send('PATCH', `${base}/settings`, patchOf(draft), tenantSettingsSchema);
    },
    [api, base],
  );
  const form = useSettingsForm(loaded, draftOf, save);
  const { draft, edit } = form;
  const field = (name: string) => fieldValidation(form.fieldMessage(name));
  return (
    <section className={styles.root} aria-label="Tenant settings">
      <Title2 as="h1">Tenant settings</Title2>
      <ErrorBar error={loaded.error} title="The settings could not be loaded" />
      <ErrorBar error={directory.error} title="The organizational units could not be loaded" />
      {loaded.loading && !loaded.data && <Spinner label="Loading settings…" />}
      {draft && (
        <>
          <GeneralSection
            api={props.api}
            tenantId={props.tenantId}
            tenantName={props.tenantName}
            draft={draft.general}
            edit={(general) => edit({ ...draft, general })}
            field={field}
          />
          <section className={styles.section} aria-label="Provisioning">
            <Subtitle1 as="h2">Provisioning from Teams</Subtitle1>
            <Field label="Who may turn a team into a service" {...field('provisioning.policy')}>
              <RadioGroup
                value={draft.provisioning.policy}
                onChange={(_e, d) =>
                  edit({
                    ...draft,
                    provisioning: {
                      ...draft.provisioning,
                      policy: d.value as Draft['provisioning']['policy'],
                    },
                  })
                }
              >
                {POLICIES.map(([value, label]) => (
                  <Radio key={value} value={value} label={label} />
                ))}
              </RadioGroup>
            </Field>
            <Field
              label="Organizational unit of new services"
              {...field('provisioning.defaultOuId')}
            >
              <Select
                value={draft.provisioning.defaultOuId ?? ''}
                onChange={(_e, d) =>
                  edit({
                    ...draft,
                    provisioning: { ...draft.provisioning, defaultOuId: d.value || null },
                  })
                }
              >
                <option value="">The root OU</option>
                {directory.data?.orgUnits.map((ou) => (
                  <option key={ou.ouId} value={ou.ouId}>
                    {ou.name}
                  </option>
                ))}
              </Select>
            </Field>
            <Field
              label="The provisioning owner becomes"
              {...field('provisioning.defaultOwnerRole')}
            >
              <RadioGroup
                layout="horizontal"
                value={draft.provisioning.defaultOwnerRole}
                onChange={(_e, d) =>
                  edit({
                    ...draft,
                    provisioning: {
                      ...draft.provisioning,
                      defaultOwnerRole: d.value as Draft['provisioning']['defaultOwnerRole'],
                    },
                  })
                }
              >
                <Radio value="TeamOwner" label="Owner" />
                <Radio value="TeamOwnerLimited" label="Owner with limited rights" />
              </RadioGroup>
            </Field>
          </section>
          <section className={styles.section} aria-label="Modality limits">
            <Subtitle1 as="h2">Open tasks per service, at most</Subtitle1>
            <div className={styles.row}>
              {LIMITS.map(([key, label, max]) => (
                <Field key={key} label={label} hint={`1 to ${max}`} {...field(`modalities.${key}`)}>
                  <Input
                    type="number"
                    value={draft.modalities[key]}
                    onChange={(_e, d) =>
                      edit({ ...draft, modalities: { ...draft.modalities, [key]: d.value } })
                    }
                  />
                </Field>
              ))}
            </div>
          </section>
          <section className={styles.section} aria-label="Data privacy">
            <Subtitle1 as="h2">Data privacy</Subtitle1>
            <Field
              hint="On My services and each service's page, next to Available or Not available; and how long each state lasted in the reporting feed."
              {...field('dataPrivacy.showTimeInState')}
            >
              <Switch
                label="Show how long people have been in their state"
                checked={draft.privacy.showTimeInState}
                onChange={(_e, d) =>
                  edit({ ...draft, privacy: { ...draft.privacy, showTimeInState: d.checked } })
                }
              />
            </Field>
            <Field
              label="Keep ended tasks and their decisions for (days)"
              hint="1 to 3650; then they are purged within the hour."
              {...field('dataPrivacy.retentionDays')}
            >
              <Input
                type="number"
                className={styles.short}
                value={draft.privacy.retentionDays}
                onChange={(_e, d) =>
                  edit({ ...draft, privacy: { ...draft.privacy, retentionDays: d.value } })
                }
              />
            </Field>
            {PRIVACY_SWITCHES.map(([key, label, hint]) => (
              <Field key={key} hint={hint} {...field(`dataPrivacy.${key}`)}>
                <Switch
                  label={label}
                  checked={draft.privacy[key]}
                  onChange={(_e, d) =>
                    edit({ ...draft, privacy: { ...draft.privacy, [key]: d.checked } })
                  }
                />
              </Field>
            ))}
            <Field hint="Only the system operator changes this. Without it the reporting feed shows customers by pseudonym, never by their name or number.">
              <Switch
                label="Share personal data with the operator"
                checked={loaded.data?.dataPrivacy.sharePii ?? false}
                disabled
              />
            </Field>
          </section>
          <InteractSection
            api={props.api}
            tenantId={props.tenantId}
            draft={draft.interact}
            edit={(interact) => edit({ ...draft, interact })}
            field={field}
          />
          <section className={styles.section} aria-label="Contact">
            <Subtitle1 as="h2">Contact</Subtitle1>
            <Field label="Name" {...field('contact.name')}>
              <Input
                value={draft.contact.name}
                onChange={(_e, d) =>
                  edit({ ...draft, contact: { ...draft.contact, name: d.value } })
                }
              />
            </Field>
            <Field label="E-mail" {...field('contact.email')}>
              <Input
                type="email"
                value={draft.contact.email}
                onChange={(_e, d) =>
                  edit({ ...draft, contact: { ...draft.contact, email: d.value } })
                }
              />
            </Field>
            <Field label="Phone (E.164, e.g. +41445550100)" {...field('contact.phone')}>
              <Input
                type="tel"
                value={draft.contact.phone}
                onChange={(_e, d) =>
                  edit({ ...draft, contact: { ...draft.contact, phone: d.value } })
                }
              />
            </Field>
            <Field
              label="SIP address (e.g. sip:helpdesk@contoso.com)"
              {...field('contact.sipAddress')}
            >
              <Input
                value={draft.contact.sipAddress}
                onChange={(_e, d) =>
                  edit({ ...draft, contact: { ...draft.contact, sipAddress: d.value } })
                }
              />
            </Field>
          </section>
          <SaveBar form={form} savedText="Saved." />
        </>
      )}
      <PresenceSection api={props.api} tenantId={props.tenantId} />
      <ReportingSection api={props.api} tenantId={props.tenantId} />
      <CallbacksSection api={props.api} tenantId={props.tenantId} />
    </section>
  );
}
