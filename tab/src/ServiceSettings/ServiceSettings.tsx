import {
  Body1,
  Button,
  Checkbox,
  Field,
  Input,
  Label,
  MessageBar,
  MessageBarBody,
  Radio,
  RadioGroup,
  Select,
  Spinner,
  Subtitle1,
  Switch,
  Title2,
} from '@fluentui/react-components';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { ASSIGNMENT_TYPE_WORDS } from '../../../core/domain/service';
import { PRIORITY_WORDS, TASK_PRIORITIES } from '../../../core/domain/service-settings';
import { licenseWords } from '../../../core/domain/license';
import type { Api } from '../api/api-client';
import { fieldValidation } from '../api/api-problem';
import {
  directorySchema,
  serviceDetailSchema,
  serviceSchema,
  type ServiceDetail,
  type ServiceView,
} from '../api/schemas';
import { useAction } from '../api/use-action';
import { useSettingsForm } from '../api/use-settings-form';
import { useLoad } from '../api/use-load';
import { ErrorBar } from '../ErrorBar/ErrorBar';
import { ReadOnlyField } from '../ReadOnlyField/ReadOnlyField';
import { SaveBar } from '../SaveBar/SaveBar';
import {
  draftOf,
  lockedBecause,
  patchOf,
  type DistributionDraft,
  type PolicyDraft,
} from './settings-draft';
import { useServiceSettingsStyles } from './ServiceSettings.styles';

export interface ServiceSettingsProps {
  readonly api: Api;
  readonly tenantId: string;
  readonly serviceId: string;
  readonly onBack: () => void;
  /** Admins (tenant or OU) also move the service and change its assignment type. */
  readonly admin?: boolean;
  /** A setting to bring into view and focus once loaded (a downgrade blocker's link). */
  readonly focusField?: string | undefined;
  /** Owners and admins change the settings; members see them as they are. */
  readonly canEdit?: boolean;
}

/** Brings the setting a link named into view and focuses its control, once it is there. */
function useFocusField(field: string | undefined, ready: boolean) {
  const done = useRef<string | null>(null);
  useEffect(() => {
    if (!field || !ready || done.current === field) return;
    const target = document.querySelector(`[data-field="${field.replace(/["\\]/g, '\\$&')}"]`);
    if (!target) return;
    done.current = field;
    target.scrollIntoView?.({ block: 'center' });
    target.querySelector<HTMLElement>('input, select, textarea, button')?.focus();
  });
}

interface FormProps {
  readonly service: ServiceView;
  readonly draft: DistributionDraft;
  readonly change: (next: DistributionDraft) => void;
  /** The API's message for a refused field (`distribution.acw.seconds`). */
  readonly fieldMessage: (field: string) => string | undefined;
  readonly busy: boolean;
}

/** One distribution setting: locked with the license that unlocks it, or the API's refusal inline. */
function SettingField(
  props: FormProps & {
    readonly field: string;
    readonly children: (locked: boolean) => React.ReactNode;
    readonly label: string;
    readonly hint?: string;
  },
) {
  const locked = lockedBecause(props.service, `distribution.${props.field}`);
  const message = props.fieldMessage(`distribution.${props.field}`);
  return (
    <div data-field={`distribution.${props.field}`}>
      <Field label={props.label} hint={locked ?? props.hint} {...fieldValidation(message)}>
        {props.children(locked !== null || props.busy)}
      </Field>
    </div>
  );
}

function DistributionForm(props: FormProps) {
  const styles = useServiceSettingsStyles();
  const presenceLabel = useId();
  const { draft, change } = props;
  const acwOff =
    !draft.acw.enabled || lockedBecause(props.service, 'distribution.acw.enabled') !== null;
  return (
    <section className={styles.section} aria-label="Distribution">
      <Subtitle1 as="h2">Distribution</Subtitle1>
      <Switch
        label="New members are Active at once"
        checked={draft.newUsersActive}
        disabled={props.busy}
        onChange={(_e, d) => change({ ...draft, newUsersActive: d.checked })}
      />
      <div role="group" aria-labelledby={presenceLabel} className={styles.group}>
        <Label id={presenceLabel}>Besides Available, also offer tasks to people who are</Label>
        <div className={styles.row}>
          {(
            [
              ['busy', 'Busy'],
              ['busyInMeeting', 'In a meeting'],
              ['away', 'Away'],
            ] as const
          ).map(([key, label]) => (
            <Checkbox
              key={key}
              label={label}
              checked={draft.presence[key]}
              disabled={props.busy}
              onChange={(_e, d) =>
                change({ ...draft, presence: { ...draft.presence, [key]: d.checked === true } })
              }
            />
          ))}
        </div>
      </div>
      <SettingField {...props} field="type" label="Distribution type">
        {(disabled) => (
          <RadioGroup
            layout="horizontal"
            value={draft.type}
            disabled={disabled}
            onChange={(_e, d) => change({ ...draft, type: d.value as DistributionDraft['type'] })}
          >
            <Radio value="RoundRobin" label="Round robin (longest idle first)" />
            <Radio value="Broadcast" label="Broadcast (up to 10 at once, first to accept)" />
          </RadioGroup>
        )}
      </SettingField>
      <SettingField
        {...props}
        field="callingTimeoutSec"
        label="Calling timeout (seconds)"
        hint="5 to 600"
      >
        {(disabled) => (
          <Input
            type="number"
            value={draft.callingTimeoutSec}
            disabled={disabled}
            onChange={(_e, d) => change({ ...draft, callingTimeoutSec: d.value })}
          />
        )}
      </SettingField>
      <SettingField
        {...props}
        field="serviceLevelSec"
        label="Service level threshold (seconds)"
        hint="1 to 3600: a task accepted within this time of entering the queue counts toward the service level in reports"
      >
        {(disabled) => (
          <Input
            type="number"
            value={draft.serviceLevelSec}
            disabled={disabled}
            onChange={(_e, d) => change({ ...draft, serviceLevelSec: d.value })}
          />
        )}
      </SettingField>
      <SettingField
        {...props}
        field="chatsAtOnce"
        label="Chats at once"
        hint="1 to 5: someone holding only chats gets further chats of this service up to this many (their chats in every service count); any other task still makes them busy everywhere"
      >
        {(disabled) => (
          <Input
            type="number"
            min={1}
            max={5}
            value={draft.chatsAtOnce}
            disabled={disabled}
            onChange={(_e, d) => change({ ...draft, chatsAtOnce: d.value })}
          />
        )}
      </SettingField>
      <SettingField {...props} field="priority" label="Priority of this service’s tasks">
        {(disabled) => (
          <Select
            value={draft.priority}
            disabled={disabled}
            onChange={(_e, d) =>
              change({ ...draft, priority: d.value as DistributionDraft['priority'] })
            }
          >
            {TASK_PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {PRIORITY_WORDS[p]}
              </option>
            ))}
          </Select>
        )}
      </SettingField>
      <SettingField {...props} field="acw.enabled" label="After-call work">
        {(disabled) => (
          <Switch
            label="After a task, give people time before the next one"
            checked={draft.acw.enabled}
            disabled={disabled}
            onChange={(_e, d) => change({ ...draft, acw: { ...draft.acw, enabled: d.checked } })}
          />
        )}
      </SettingField>
      <div className={styles.row}>
        <SettingField
          {...props}
          field="acw.seconds"
          label="After-call work (seconds)"
          hint="1 to 3600"
        >
          {(disabled) => (
            <Input
              type="number"
              value={draft.acw.seconds}
              disabled={disabled || acwOff}
              onChange={(_e, d) => change({ ...draft, acw: { ...draft.acw, seconds: d.value } })}
            />
          )}
        </SettingField>
        <SettingField
          {...props}
          field="acw.maxExtensionSec"
          label="Longest extension (seconds)"
          hint="1 to 3600"
        >
          {(disabled) => (
            <Input
              type="number"
              value={draft.acw.maxExtensionSec}
              disabled={disabled || acwOff}
              onChange={(_e, d) =>
                change({ ...draft, acw: { ...draft.acw, maxExtensionSec: d.value } })
              }
            />
          )}
        </SettingField>
      </div>
      <div className={styles.row}>
        <Checkbox
          label="People may end it early"
          checked={draft.acw.allowEarlyEnd}
          disabled={props.busy || acwOff}
          onChange={(_e, d) =>
            change({ ...draft, acw: { ...draft.acw, allowEarlyEnd: d.checked === true } })
          }
        />
        <Checkbox
          label="People may extend it"
          checked={draft.acw.allowExtension}
          disabled={props.busy || acwOff}
          onChange={(_e, d) =>
            change({ ...draft, acw: { ...draft.acw, allowExtension: d.checked === true } })
          }
        />
      </div>
      <SettingField {...props} field="rona.persistent" label="Missed tasks (RONA)">
        {(disabled) => (
          <Switch
            label="Someone who misses or declines a task gets none until the reset time"
            checked={draft.rona.persistent}
            disabled={disabled}
            onChange={(_e, d) =>
              change({ ...draft, rona: { ...draft.rona, persistent: d.checked } })
            }
          />
        )}
      </SettingField>
      <SettingField
        {...props}
        field="rona.resetSec"
        label="RONA reset time (seconds)"
        hint="10 s to 320 min (19200 s)"
      >
        {(disabled) => (
          <Input
            type="number"
            value={draft.rona.resetSec}
            disabled={disabled || !draft.rona.persistent}
            onChange={(_e, d) => change({ ...draft, rona: { ...draft.rona, resetSec: d.value } })}
          />
        )}
      </SettingField>
      <SettingField {...props} field="outboundServiceCall" label="Outbound service call">
        {(disabled) => (
          <Switch
            label="Members may call out on behalf of the service"
            checked={draft.outboundServiceCall}
            disabled={disabled}
            onChange={(_e, d) => change({ ...draft, outboundServiceCall: d.checked })}
          />
        )}
      </SettingField>
    </section>
  );
}

const ORDER_WORDS: Record<PolicyDraft['order'], string> = {
  LongestIdle: 'Longest idle first: whoever has waited longest for a task',
  MostQualified: 'Most qualified first: the highest levels in the required skills',
};

/**
 * The distribution policy of a skill-based service: the skills an agent needs, each with a
 * lowest level (1–100), and whom to offer a task first. Saved with the rest of the group.
 */
function PolicySection(props: FormProps) {
  const styles = useServiceSettingsStyles();
  const { draft, change } = props;
  const policy = draft.policy;
  const setPolicy = (next: PolicyDraft | null) => change({ ...draft, policy: next });
  const message = props.fieldMessage('distribution.policy');
  return (
    <section
      className={styles.section}
      aria-label="Distribution policy"
      data-field="distribution.policy"
    >
      <Subtitle1 as="h2">Distribution policy</Subtitle1>
      {message && <ErrorBar error={new Error(message)} title="The policy was not saved" />}
      {!policy ? (
        <>
          <Body1>No policy: every agent may take this service’s tasks, longest idle first.</Body1>
          <div className={styles.row}>
            <Button
              disabled={props.busy}
              onClick={() => setPolicy({ order: 'LongestIdle', skills: [] })}
            >
              Set a policy
            </Button>
          </div>
        </>
      ) : (
        <>
          <Field label="Whom to offer a task first">
            <Select
              value={policy.order}
              disabled={props.busy}
              onChange={(_e, d) => setPolicy({ ...policy, order: d.value as PolicyDraft['order'] })}
            >
              {(Object.keys(ORDER_WORDS) as PolicyDraft['order'][]).map((order) => (
                <option key={order} value={order}>
                  {ORDER_WORDS[order]}
                </option>
              ))}
            </Select>
          </Field>
          {policy.skills.length === 0 && <Body1>No skill required: every agent qualifies.</Body1>}
          {policy.skills.map((row, i) => {
            const edit = (next: Partial<typeof row>) =>
              setPolicy({
                ...policy,
                skills: policy.skills.map((r, j) => (j === i ? { ...r, ...next } : r)),
              });
            const levelMessage = props.fieldMessage(
              `distribution.policy.requiredSkills.${row.skill.trim()}`,
            );
            return (
              <div
                key={i}
                className={styles.skillRow}
                role="group"
                aria-label={`Required skill ${i + 1}`}
              >
                <Field label="Skill">
                  <Input
                    value={row.skill}
                    maxLength={64}
                    disabled={props.busy}
                    onChange={(_e, d) => edit({ skill: d.value })}
                  />
                </Field>
                <Field
                  label="Lowest level (1–100)"
                  validationState={levelMessage ? 'error' : 'none'}
                  validationMessage={levelMessage}
                >
                  <Input
                    type="number"
                    value={row.level}
                    disabled={props.busy}
                    onChange={(_e, d) => edit({ level: d.value })}
                  />
                </Field>
                <Button
                  aria-label={`Remove the skill ${row.skill || i + 1}`}
                  disabled={props.busy}
                  onClick={() =>
                    setPolicy({ ...policy, skills: policy.skills.filter((_r, j) => j !== i) })
                  }
                >
                  Remove
                </Button>
              </div>
            );
          })}
          <div className={styles.row}>
            <Button
              disabled={props.busy}
              onClick={() =>
                setPolicy({ ...policy, skills: [...policy.skills, { skill: '', level: '50' }] })
              }
            >
              Add a required skill
            </Button>
            <Button appearance="subtle" disabled={props.busy} onClick={() => setPolicy(null)}>
              No policy
            </Button>
          </div>
        </>
      )}
    </section>
  );
}

/** The only changes of assignment type there are, and why each other one is not. */
const TYPE_CHANGES: Record<
  ServiceView['assignmentType'],
  readonly { readonly to: ServiceView['assignmentType']; readonly why: string | null }[]
> = {
  TeamsBased: [
    { to: 'SkillBased', why: 'a Teams-based service stays tied to its team' },
    { to: 'None', why: 'a Teams-based service stays tied to its team' },
  ],
  SkillBased: [
    { to: 'None', why: null },
    { to: 'TeamsBased', why: 'only provisioning from a team makes a service Teams-based' },
  ],
  None: [
    { to: 'SkillBased', why: null },
    { to: 'TeamsBased', why: 'only provisioning from a team makes a service Teams-based' },
  ],
};

/**
 * What an admin changes about where a service sits: its organization unit, and its user
 * assignment type along the transitions there are (the others shown, disabled, with why).
 */
function AdminGeneral(props: {
  readonly api: Api;
  readonly path: string;
  readonly tenantId: string;
  readonly service: ServiceDetail;
  readonly onChanged: () => void;
}) {
  const styles = useServiceSettingsStyles();
  const { service } = props;
  const directory = useLoad(
    () =>
      props.api.get(`/tenants/${encodeURIComponent(props.tenantId)}/directory`, directorySchema),
    [props.api, props.tenantId],
  );
  const [ouId, setOuId] = useState(service.ouId);
  const changes = TYPE_CHANGES[service.assignmentType];
  const allowed = changes.find((c) => c.why === null)?.to;
  const [type, setType] = useState<string>(allowed ?? '');
  const move = useAction();
  const retype = useAction();
  return (
    <>
      <div className={styles.skillRow}>
        <Field label="Move to the organization unit">
          <Select value={ouId} onChange={(_e, d) => setOuId(d.value)}>
            {(directory.data?.orgUnits ?? []).map((u) => (
              <option key={u.ouId} value={u.ouId}>
                {u.name}
              </option>
            ))}
          </Select>
        </Field>
        <Button
          disabled={move.busy || ouId === service.ouId}
          onClick={() =>
            void move.run(async () => {
              await props.api.send(
                'PATCH',
                `${props.path}/settings`,
                { general: { ouId } },
                serviceSchema,
              );
              props.onChanged();
            })
          }
        >
          Move
        </Button>
      </div>
      <ErrorBar error={move.error} title="The service was not moved" />
      <div className={styles.skillRow} data-field="assignmentType">
        <Field
          label="Change the user assignment type to"
          hint={
            allowed === 'None'
              ? 'Skill-based to None removes every agent and the distribution policy.'
              : allowed === 'SkillBased'
                ? 'None to Skill-based needs a Contact Center service license.'
                : undefined
          }
        >
          <Select value={type} onChange={(_e, d) => setType(d.value)}>
            {changes.map((c) => (
              <option key={c.to} value={c.to} disabled={c.why !== null}>
                {ASSIGNMENT_TYPE_WORDS[c.to]}
                {c.why ? ` (not possible: ${c.why})` : ''}
              </option>
            ))}
          </Select>
        </Field>
        <Button
          disabled={retype.busy || !allowed || type !== allowed}
          onClick={() =>
            void retype.run(async () => {
              await props.api.send(
                'PUT',
                `${props.path}/assignmentType`,
                { assignmentType: type },
                serviceSchema,
              );
              props.onChanged();
            })
          }
        >
          Change
        </Button>
      </div>
      <ErrorBar error={retype.error} title="The assignment type was not changed" />
    </>
  );
}

function GeneralSection(props: {
  readonly service: ServiceDetail;
  /** For admins: moving the service and changing its assignment type. */
  readonly admin: {
    readonly api: Api;
    readonly path: string;
    readonly tenantId: string;
    readonly onChanged: () => void;
  } | null;
}) {
  const styles = useServiceSettingsStyles();
  const { service } = props;
  return (
    <section className={styles.section} aria-label="General">
      <Subtitle1 as="h2">General</Subtitle1>
      <ReadOnlyField
        label="License"
        value={licenseWords(service.license)}
        hint="Changed by a license admin on the Licenses page."
      />
      <ReadOnlyField
        label="Organizational unit"
        value={service.ouPath.map((ou) => ou.name).join(' › ') || service.ouId}
        hint={props.admin ? undefined : 'Moved by a tenant admin or an admin of its unit.'}
      />
      <ReadOnlyField
        label="User assignment type"
        value={ASSIGNMENT_TYPE_WORDS[service.assignmentType]}
        hint={service.locked.assignmentType}
      />
      {props.admin && <AdminGeneral {...props.admin} service={service} />}
    </section>
  );
}

const draftOfService = (service: ServiceView) => draftOf(service.settings.distribution);

/** Service settings (owners and admins): what the license allows, checked by the API, saved whole. */
export function ServiceSettings(props: ServiceSettingsProps) {
  const styles = useServiceSettingsStyles();
  const { api } = props;
  const path = `/tenants/${encodeURIComponent(props.tenantId)}/services/${encodeURIComponent(props.serviceId)}`;
  const loaded = useLoad(() => api.get(path, serviceDetailSchema), [path]);
  const save = useCallback(
    async (draft: DistributionDraft) => {
      const stored = loaded.data?.settings.distribution.policy ?? null;
      await api.send('PATCH', `${path}/settings`, patchOf(draft, stored), serviceSchema);
    },
    [api, path, loaded.data],
  );
  const form = useSettingsForm(loaded, draftOfService, save);
  const canEdit = props.canEdit ?? true;
  useFocusField(props.focusField, form.draft !== undefined);
  // What each section of the form is handed: the service, the draft and the form's state.
  const section: FormProps | null =
    loaded.data && form.draft
      ? {
          service: loaded.data,
          draft: form.draft,
          change: form.edit,
          fieldMessage: form.fieldMessage,
          // A member sees every control as it is, none to change.
          busy: form.busy || !canEdit,
        }
      : null;
  return (
    <section className={styles.root} aria-label="Service settings">
      <Title2 as="h1">{loaded.data?.name ?? 'Service'} settings</Title2>
      <ErrorBar error={loaded.error} title="The settings could not be loaded" />
      {loaded.loading && !loaded.data && <Spinner label="Loading settings…" />}
      {loaded.data && section && (
        <>
          <GeneralSection
            service={loaded.data}
            admin={
              props.admin ? { api, path, tenantId: props.tenantId, onChanged: loaded.reload } : null
            }
          />
          {!canEdit && (
            <MessageBar intent="info" layout="multiline">
              <MessageBarBody>
                These are the service’s settings as they are: its owners and the tenant’s or its
                unit’s admins change them.
              </MessageBarBody>
            </MessageBar>
          )}
          <DistributionForm {...section} />
          {loaded.data.assignmentType === 'SkillBased' && <PolicySection {...section} />}
          {canEdit ? (
            <SaveBar form={form} savedText="Saved. New tasks follow these settings.">
              <Button appearance="subtle" onClick={props.onBack}>
                Back to the service
              </Button>
            </SaveBar>
          ) : (
            <div>
              <Button onClick={props.onBack}>Back to the service</Button>
            </div>
          )}
          <Body1>
            Changes apply to new tasks; tasks already waiting keep what they entered with.
          </Body1>
        </>
      )}
    </section>
  );
}
