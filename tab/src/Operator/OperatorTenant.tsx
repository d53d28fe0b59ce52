import {
  Body1,
  Button,
  Caption1,
  Field,
  Input,
  Link,
  MessageBar,
  MessageBarBody,
  Spinner,
  Subtitle1,
  Title2,
} from '@fluentui/react-components';
import { useState } from 'react';
import { LICENSES, licenseWords, type License } from '../../../core/domain/license';
import type { TenantState } from '../../../core/domain/tenant';
import type { Api } from '../api/api-client';
import { ApiProblem, fieldValidation, refusedField } from '../api/api-problem';
import { contingencySchema, licensesSchema, tenantSchema } from '../api/schemas';
import { useAction } from '../api/use-action';
import { useLoad } from '../api/use-load';
import { ActionDialog } from '../ActionDialog/ActionDialog';
import { ErrorBar } from '../ErrorBar/ErrorBar';
import { useUnsavedChanges } from '../App/unsaved';
import { useOperatorStyles } from './Operator.styles';
import { StateBadge, StateSelect } from './Tenants';

export interface OperatorTenantProps {
  readonly api: Api;
  readonly tenantId: string;
  readonly onBack: () => void;
}

const fieldState = (error: unknown, field: string) => fieldValidation(refusedField(error, field));

/** Deleting a tenant: what it means, and YES typed to mean it. */
function DeleteDialog(props: {
  readonly open: boolean;
  readonly name: string;
  readonly busy: boolean;
  readonly error: unknown;
  readonly onDelete: (confirm: string) => void;
  readonly onClose: () => void;
}) {
  const [typed, setTyped] = useState('');
  return (
    <ActionDialog
      open={props.open}
      title={`Delete ${props.name}?`}
      action="Delete the tenant"
      actionDisabled={props.busy || typed !== 'YES'}
      onAction={() => props.onDelete(typed)}
      dismiss="Keep it"
      onClose={props.onClose}
    >
      <p>
        Its services stop at once: nobody of the tenant signs in or gets a task, and its services
        show as pending deletion. This cannot be undone from here.
      </p>
      <Field label="Type YES to confirm" {...fieldState(props.error, 'confirm')}>
        <Input value={typed} onChange={(_e, d) => setTyped(d.value)} />
      </Field>
      <ErrorBar error={props.error} title="The tenant was not deleted" />
    </ActionDialog>
  );
}

/** One tenant for the system operator: name and state, license contingency, deletion. */
export function OperatorTenant({ api, tenantId, onBack }: OperatorTenantProps) {
  const styles = useOperatorStyles();
  const path = `/tenants/${encodeURIComponent(tenantId)}`;
  const tenant = useLoad(() => api.get(path, tenantSchema), [api, path]);
  const licenses = useLoad(() => api.get(`${path}/licenses`, licensesSchema), [api, path]);
  // What the operator typed; what they did not type is what is stored (never a stale blank).
  const [edited, setEdited] = useState<{ name?: string; state?: TenantState }>({});
  const [typedTotals, setTypedTotals] = useState<Partial<Record<License, string>>>({});
  useUnsavedChanges(Object.keys(edited).length > 0 || Object.keys(typedTotals).length > 0);
  const [done, setDone] = useState<string | null>(null);
  const [deleting, setDeleting] = useState(false);
  const saveTenant = useAction();
  const saveTotals = useAction();
  const remove = useAction();

  const name = edited.name ?? tenant.data?.name ?? '';
  const state = edited.state ?? tenant.data?.state ?? 'Active';
  const setName = (next: string) => setEdited({ ...edited, name: next });
  const setState = (next: TenantState) => setEdited({ ...edited, state: next });
  const pools = licenses.data?.pools ?? [];
  const poolOf = (license: License) => pools.find((p) => p.license === license);
  const totalOf = (l: License) => typedTotals[l] ?? String(poolOf(l)?.total ?? 0);
  const changedTotals = LICENSES.filter((l) => totalOf(l).trim() !== String(poolOf(l)?.total ?? 0));
  const wholeNumber = (l: License) => /^\d{1,7}$/.test(totalOf(l).trim());
  const [triedTotals, setTriedTotals] = useState(false);
  const totalField = (l: License) =>
    triedTotals && !wholeNumber(l)
      ? { validationState: 'error' as const, validationMessage: 'Enter a whole number, 0 or more.' }
      : fieldState(saveTotals.error, l);
  const notFound = tenant.error instanceof ApiProblem && tenant.error.status === 404;

  return (
    <section className={styles.root} aria-label="Tenant">
      <div>
        <Link onClick={onBack}>All tenants</Link>
      </div>
      {notFound ? (
        <MessageBar intent="warning">
          <MessageBarBody>There is no tenant with the id {tenantId}.</MessageBarBody>
        </MessageBar>
      ) : (
        <ErrorBar error={tenant.error} title="The tenant could not be loaded" />
      )}
      {tenant.loading && !tenant.data && <Spinner label="Loading the tenant…" />}
      {tenant.data && (
        <>
          <div className={styles.header}>
            <div>
              <Title2 as="h1">{tenant.data.name}</Title2>
              <Caption1 className={styles.block}>Tenant id {tenant.data.tenantId}</Caption1>
              {tenant.data.routingShards > 1 && (
                <Caption1 className={styles.block}>
                  Tasks spread over {tenant.data.routingShards} routing shards (set when it was
                  created)
                </Caption1>
              )}
            </div>
            <StateBadge tenant={tenant.data} />
          </div>
          {done && (
            <MessageBar intent="success">
              <MessageBarBody>{done}</MessageBarBody>
            </MessageBar>
          )}
          <section className={styles.section} aria-label="Name and state">
            <Subtitle1 as="h2">Name and state</Subtitle1>
            <Field label="Name" {...fieldState(saveTenant.error, 'name')}>
              <Input value={name} maxLength={200} onChange={(_e, d) => setName(d.value)} />
            </Field>
            <Field
              label="State"
              hint="Suspended, Expired and Canceled keep the tenant's data; nobody signs in and no task is taken until it is active again."
              {...fieldState(saveTenant.error, 'state')}
            >
              <StateSelect value={state} onChange={setState} />
            </Field>
            <ErrorBar error={saveTenant.error} title="Not saved" />
            <div className={styles.actions}>
              <Button
                appearance="primary"
                disabled={
                  saveTenant.busy || (name === tenant.data.name && state === tenant.data.state)
                }
                onClick={() =>
                  void saveTenant.run(async () => {
                    setDone(null);
                    await api.send('PUT', path, { name, state }, tenantSchema);
                    setEdited({});
                    setDone('The name and state were saved.');
                    tenant.reload();
                  })
                }
              >
                Save name and state
              </Button>
            </div>
          </section>
          <section className={styles.section} aria-label="License contingency">
            <Subtitle1 as="h2">License contingency</Subtitle1>
            <Body1>
              How many of each license the tenant may assign. A total cannot go below what its
              admins have assigned.
            </Body1>
            <ErrorBar error={licenses.error} title="The licenses could not be loaded" />
            <div className={styles.grid}>
              {LICENSES.map((license) => (
                <Field
                  key={license}
                  label={licenseWords(license)}
                  hint={`${poolOf(license)?.used ?? 0} in use`}
                  {...totalField(license)}
                >
                  <Input
                    type="number"
                    min={0}
                    value={totalOf(license)}
                    onChange={(_e, d) => setTypedTotals({ ...typedTotals, [license]: d.value })}
                  />
                </Field>
              ))}
            </div>
            <ErrorBar error={saveTotals.error} title="The licenses were not saved" />
            <div className={styles.actions}>
              <Button
                appearance="primary"
                disabled={saveTotals.busy || changedTotals.length === 0}
                onClick={() =>
                  void saveTotals.run(async () => {
                    setDone(null);
                    setTriedTotals(true);
                    if (!changedTotals.every(wholeNumber)) return;
                    const body = Object.fromEntries(
                      changedTotals.map((l) => [l, Number(totalOf(l).trim())]),
                    );
                    const saved = await api.send(
                      'PUT',
                      `${path}/contingency`,
                      body,
                      contingencySchema,
                    );
                    setDone(
                      `Saved: ${saved.map((p) => `${licenseWords(p.license)} ${p.total}`).join(', ')}.`,
                    );
                    setTypedTotals({});
                    licenses.reload();
                  })
                }
              >
                Save licenses
              </Button>
            </div>
          </section>
          <section className={styles.section} aria-label="Deletion">
            <Subtitle1 as="h2">Delete the tenant</Subtitle1>
            {tenant.data.pendingDeletion ? (
              <Body1>This tenant is pending deletion: its services no longer operate.</Body1>
            ) : (
              <div className={styles.actions}>
                <Button
                  onClick={() => {
                    remove.clearError();
                    setDeleting(true);
                  }}
                >
                  Delete the tenant
                </Button>
              </div>
            )}
          </section>
          <DeleteDialog
            open={deleting}
            name={tenant.data.name}
            busy={remove.busy}
            error={remove.error}
            onClose={() => setDeleting(false)}
            onDelete={(confirm) =>
              void remove.run(async () => {
                await api.send('POST', `${path}/deletion`, { confirm }, tenantSchema);
                setDeleting(false);
                setDone('The tenant is pending deletion.');
                tenant.reload();
              })
            }
          />
        </>
      )}
    </section>
  );
}
