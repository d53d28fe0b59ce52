import {
  Badge,
  Body1,
  Button,
  Caption1,
  Card,
  Checkbox,
  Link,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Select,
  Spinner,
  Subtitle1,
  Subtitle2,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Title2,
} from '@fluentui/react-components';
import { useState } from 'react';
import {
  licenseWords,
  MODALITY_LICENSES,
  SERVICE_LICENSES,
  USER_LICENSES,
} from '../../../core/domain/license';
import type { Api } from '../api/api-client';
import { ApiProblem } from '../api/api-problem';
import { anything, licensesSchema, type Licenses as LicensesView } from '../api/schemas';
import { useAction } from '../api/use-action';
import { useLoad } from '../api/use-load';
import { ErrorBar } from '../ErrorBar/ErrorBar';
import { TableRegion } from '../TableRegion/TableRegion';
import { useUnsavedChanges } from '../App/unsaved';
import {
  changesBody,
  describeChange,
  holdsAfter,
  serviceLicenseAfter,
  stage,
  stageServiceLicense,
  usedAfter,
  type StagedChange,
} from './staged-changes';
import { useLicensesStyles } from './Licenses.styles';

const PEOPLE_LICENSES = [...USER_LICENSES, ...MODALITY_LICENSES];

export interface LicensesProps {
  readonly api: Api;
  readonly tenantId: string;
  /** Where a service's page is: each service opens from here. */
  readonly hrefOf?: (serviceId: string) => string;
  /** Where one setting of a service is: each downgrade blocker links to what clears it. */
  readonly fieldHref?: (serviceId: string, field: string) => string;
}

function Pools({
  data,
  staged,
}: {
  readonly data: LicensesView;
  readonly staged: readonly StagedChange[];
}) {
  const styles = useLicensesStyles();
  return (
    <div className={styles.pools}>
      {data.pools
        .filter((p) => p.total > 0 || p.used > 0)
        .map((pool) => {
          const after = usedAfter(data, staged, pool.license);
          return (
            <Card key={pool.license} size="small" aria-label={`${licenseWords(pool.license)} pool`}>
              <Subtitle2>{licenseWords(pool.license)}</Subtitle2>
              <Body1>
                {pool.used} of {pool.total} in use
              </Body1>
              {after !== pool.used && (
                <Caption1>
                  {after} of {pool.total} after saving
                </Caption1>
              )}
            </Card>
          );
        })}
    </div>
  );
}

/** What a refusal's list is, in the tab's words (the API's message names the same list). */
const LEADS: Readonly<Record<string, string>> = {
  confirmation_required: 'Saving removes this for good; confirm to go ahead:',
  downgrade_blocked: 'The downgrade waits until these are switched off:',
};

/** Blockers of a refused downgrade, or what saving would remove for good. */
function Refusal(props: {
  readonly error: unknown;
  /** Where the setting that clears a blocker is (a service's settings, at that field). */
  readonly fieldHref?: ((serviceId: string, field: string) => string) | undefined;
}) {
  const { error } = props;
  if (!(error instanceof ApiProblem)) return <ErrorBar error={error} title="Nothing was saved" />;
  const lines = Array.isArray(error.details)
    ? error.details.map((d: unknown) => {
        if (typeof d === 'string') return { text: d, href: null };
        const detail = d as { message?: string; serviceId?: string; field?: string };
        return {
          text: String(detail.message ?? JSON.stringify(d)),
          href:
            props.fieldHref && detail.serviceId && detail.field
              ? props.fieldHref(detail.serviceId, detail.field)
              : null,
        };
      })
    : [];
  const lead = lines.length > 0 ? LEADS[error.code] : undefined;
  const confirming = error.code === 'confirmation_required';
  return (
    <MessageBar intent={confirming ? 'warning' : 'error'} layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{confirming ? 'Not saved yet' : 'Nothing was saved'}</MessageBarTitle>
        {lead ?? error.message}
        {lines.length > 0 && (
          <ul>
            {lines.map((line) => (
              <li key={line.text}>
                {line.href ? <Link href={line.href}>{line.text}</Link> : line.text}
              </li>
            ))}
          </ul>
        )}
      </MessageBarBody>
    </MessageBar>
  );
}

function PeopleTable(props: {
  readonly data: LicensesView;
  readonly staged: readonly StagedChange[];
  readonly onStage: (change: StagedChange) => void;
}) {
  return (
    <TableRegion label="People’s licenses list" wide>
      <Table aria-label="People and their licenses" size="small">
        <TableHeader>
          <TableRow>
            <TableHeaderCell>Person</TableHeaderCell>
            {PEOPLE_LICENSES.map((l) => (
              <TableHeaderCell key={l}>{licenseWords(l)}</TableHeaderCell>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          {props.data.users.map((user) => (
            <TableRow key={user.userId}>
              <TableCell>{user.displayName}</TableCell>
              {PEOPLE_LICENSES.map((license) => (
                <TableCell key={license}>
                  <Checkbox
                    aria-label={`${licenseWords(license)} for ${user.displayName}`}
                    checked={holdsAfter(props.data, props.staged, user.userId, license)}
                    onChange={(_e, d) =>
                      props.onStage({
                        op: d.checked === true ? 'assign' : 'remove',
                        license,
                        target: { kind: 'user', id: user.userId, name: user.displayName },
                      })
                    }
                  />
                </TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableRegion>
  );
}

function ServicesTable(props: {
  readonly hrefOf: ((serviceId: string) => string) | undefined;
  readonly data: LicensesView;
  readonly staged: readonly StagedChange[];
  readonly onChange: (next: StagedChange[]) => void;
}) {
  return (
    <TableRegion label="Services’ licenses list">
      <Table aria-label="Services and their licenses" size="small">
        <TableHeader>
          <TableRow>
            <TableHeaderCell>Service</TableHeaderCell>
            <TableHeaderCell>Service license</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {props.data.services.map((service) => (
            <TableRow key={service.serviceId}>
              <TableCell>
                {props.hrefOf ? (
                  <Link href={props.hrefOf(service.serviceId)}>{service.name}</Link>
                ) : (
                  service.name
                )}
              </TableCell>
              <TableCell>
                <Select
                  aria-label={`License of ${service.name}`}
                  value={serviceLicenseAfter(props.data, props.staged, service.serviceId)}
                  onChange={(_e, d) => {
                    // The options are the service licenses; the DOM hands their value back as text.
                    const picked = SERVICE_LICENSES.find((l) => l === d.value);
                    if (picked) props.onChange(stageServiceLicense(props.staged, service, picked));
                  }}
                >
                  {SERVICE_LICENSES.map((l) => (
                    <option key={l} value={l}>
                      {licenseWords(l)}
                    </option>
                  ))}
                </Select>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableRegion>
  );
}

/** Licenses (tenant and OU admins): pools, and changes staged with Undo, saved together or not at all. */
export function Licenses(props: LicensesProps) {
  const styles = useLicensesStyles();
  const path = `/tenants/${encodeURIComponent(props.tenantId)}/licenses`;
  const loaded = useLoad(() => props.api.get(path, licensesSchema), [path]);
  const [staged, setStaged] = useState<StagedChange[]>([]);
  const [saved, setSaved] = useState<number | null>(null);
  useUnsavedChanges(staged.length > 0);
  const save = useAction();
  // A refusal to confirm makes the main action the confirmation.
  const confirming =
    save.error instanceof ApiProblem && save.error.code === 'confirmation_required';
  const submit = (confirm: boolean) =>
    void save.run(async () => {
      setSaved(null);
      await props.api.send('POST', `${path}/changes`, changesBody(staged, confirm), anything);
      setSaved(staged.length);
      setStaged([]);
      loaded.reload();
    });
  /** New staging: what was said about the last save or refusal no longer describes it. */
  const restage = (next: StagedChange[]) => {
    setStaged(next);
    setSaved(null);
    save.clearError();
  };
  const data = loaded.data;
  return (
    <section className={styles.root} aria-label="Licenses">
      <div className={styles.header}>
        <Title2 as="h1">Licenses</Title2>
        {data && (
          <Badge appearance="tint" color={data.state === 'Active' ? 'success' : 'warning'}>
            Tenant {data.state}
          </Badge>
        )}
      </div>
      <ErrorBar error={loaded.error} title="The licenses could not be loaded" />
      {loaded.loading && !data && <Spinner label="Loading licenses…" />}
      {data && (
        <>
          <Pools data={data} staged={staged} />
          <Subtitle1 as="h2">Changes to save</Subtitle1>
          {staged.length === 0 ? (
            <Body1>
              Nothing staged. Tick a box or pick a license below; nothing changes until you save.
            </Body1>
          ) : (
            <ul className={styles.staged} aria-label="Staged changes">
              {staged.map((change) => (
                <li key={`${change.target.id}:${change.license}`} className={styles.stagedRow}>
                  <Body1>{describeChange(change)}</Body1>
                  <Button
                    size="small"
                    aria-label={`Undo: ${describeChange(change)}`}
                    disabled={save.busy}
                    onClick={() => restage(staged.filter((c) => c !== change))}
                  >
                    Undo
                  </Button>
                </li>
              ))}
            </ul>
          )}
          {save.error !== null && <Refusal error={save.error} fieldHref={props.fieldHref} />}
          {saved !== null && (
            <MessageBar intent="success">
              <MessageBarBody>
                Saved {saved} {saved === 1 ? 'change' : 'changes'}.
              </MessageBarBody>
            </MessageBar>
          )}
          <div className={styles.actions}>
            <Button
              appearance="primary"
              disabled={staged.length === 0 || save.busy}
              onClick={() => submit(confirming)}
            >
              {save.busy
                ? 'Saving…'
                : confirming
                  ? 'Confirm and save'
                  : `Save ${staged.length} ${staged.length === 1 ? 'change' : 'changes'}`}
            </Button>
            <Button disabled={staged.length === 0 || save.busy} onClick={() => restage([])}>
              Discard all
            </Button>
          </div>
          <Subtitle1 as="h2">People</Subtitle1>
          <PeopleTable data={data} staged={staged} onStage={(c) => restage(stage(staged, c))} />
          <Subtitle1 as="h2">Services</Subtitle1>
          <ServicesTable hrefOf={props.hrefOf} data={data} staged={staged} onChange={restage} />
        </>
      )}
    </section>
  );
}
