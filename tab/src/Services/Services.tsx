import {
  Badge,
  Button,
  Caption1,
  Field,
  Input,
  Link,
  MessageBar,
  MessageBarBody,
  SearchBox,
  Select,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Title2,
} from '@fluentui/react-components';
import { useMemo, useState } from 'react';
import { aLicense, licenseWords, SERVICE_LICENSES } from '../../../core/domain/license';
import { ASSIGNMENT_TYPE_WORDS } from '../../../core/domain/service';
import type { Api } from '../api/api-client';
import { ApiProblem } from '../api/api-problem';
import {
  deletedServiceSchema,
  directorySchema,
  licensesSchema,
  serviceSchema,
  serviceSummariesSchema,
  type ServiceSummary,
} from '../api/schemas';
import { useAction } from '../api/use-action';
import { useLoad } from '../api/use-load';
import { ActionDialog } from '../ActionDialog/ActionDialog';
import { ErrorBar } from '../ErrorBar/ErrorBar';
import { TableRegion } from '../TableRegion/TableRegion';
import { useServicesStyles } from './Services.styles';

export interface ServicesProps {
  readonly api: Api;
  readonly tenantId: string;
  /** Where a service's page is (the hash of its view). */
  readonly hrefOf: (serviceId: string) => string;
  /** An OU admin sees the services of their unit and the units below it only. */
  readonly unitOnly?: boolean;
}

const STATE_WORDS = {
  Active: 'Active',
  PendingDeletion: 'Pending deletion (the tenant)',
  Deleting: 'Being deleted',
};
/** Which pool a new service of each type takes its license from. */
const LICENSE_OF = { SkillBased: 'ContactCenter', None: 'AdvancedRouting' } as const;
type NewType = keyof typeof LICENSE_OF;

const path = (s: ServiceSummary) => s.ouPath.map((ou) => ou.name).join(' / ') || s.ouId;

/** Creating a Skill-based or None service: name, OU, and the license it takes. */
function CreateDialog(props: {
  readonly open: boolean;
  readonly orgUnits: readonly { ouId: string; name: string }[];
  readonly left: (type: NewType) => { left: number; total: number };
  readonly busy: boolean;
  readonly error: unknown;
  readonly onCreate: (input: { name: string; assignmentType: NewType; ouId: string }) => void;
  readonly onClose: () => void;
}) {
  const [name, setName] = useState('');
  const [type, setType] = useState<NewType>('SkillBased');
  const [ouId, setOuId] = useState('');
  const [tried, setTried] = useState(false);
  const ou = ouId || props.orgUnits[0]?.ouId || '';
  const missing = name.trim() === '';
  const { left, total } = props.left(type);
  const create = () => {
    setTried(true);
    if (!missing && ou) props.onCreate({ name: name.trim(), assignmentType: type, ouId: ou });
  };
  return (
    <ActionDialog
      open={props.open}
      title="New service"
      action="Create"
      actionDisabled={props.busy || left <= 0}
      onAction={create}
      dismiss="Cancel"
      onClose={props.onClose}
    >
      <Field
        label="Name"
        required
        validationState={tried && missing ? 'error' : 'none'}
        validationMessage={tried && missing ? 'Give the service a name.' : undefined}
      >
        <Input value={name} maxLength={120} onChange={(_e, d) => setName(d.value)} />
      </Field>
      <Field
        label="Who takes its tasks"
        hint={`Takes ${aLicense(LICENSE_OF[type])} license: ${left} of ${total} left.`}
      >
        <Select value={type} onChange={(_e, d) => setType(d.value as NewType)}>
          <option value="SkillBased">Agents chosen by their skills (Skill-based)</option>
          <option value="None">Nobody: a front door that passes tasks on (None)</option>
        </Select>
      </Field>
      <Field label="Organization unit">
        <Select value={ou} onChange={(_e, d) => setOuId(d.value)}>
          {props.orgUnits.map((o) => (
            <option key={o.ouId} value={o.ouId}>
              {o.name}
            </option>
          ))}
        </Select>
      </Field>
      <ErrorBar error={props.error} title="The service was not created" />
    </ActionDialog>
  );
}

/**
 * Deleting a service: says what goes and what stays; when tasks are open, the service's
 * answer says how many, and the primary action becomes canceling them with it.
 */
function DeleteDialog(props: {
  readonly service: ServiceSummary | null;
  readonly busy: boolean;
  readonly error: unknown;
  readonly onDelete: (service: ServiceSummary, cancelOpenTasks: boolean) => void;
  readonly onClose: () => void;
}) {
  const { service, error } = props;
  const confirm = error instanceof ApiProblem && error.code === 'confirmation_required';
  return (
    <ActionDialog
      open={service !== null}
      title={`Delete ${service?.name ?? ''}?`}
      action={confirm ? 'Cancel its tasks and delete' : 'Delete'}
      actionDisabled={props.busy || !service}
      onAction={() => service && props.onDelete(service, confirm)}
      dismiss="Keep it"
      onClose={props.onClose}
    >
      <p>
        Its members, settings and queue go, and its {service ? licenseWords(service.license) : ''}{' '}
        license returns to the pool.
        {service?.teamId ? ' The team in Teams stays as it is.' : ''} This cannot be undone.
      </p>
      {confirm ? (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>{error.message}</MessageBarBody>
        </MessageBar>
      ) : (
        <ErrorBar error={error} title="The service was not deleted" />
      )}
    </ActionDialog>
  );
}

/** The services an admin administers: find, open, create and delete them. */
export function Services({ api, tenantId, hrefOf, unitOnly = false }: ServicesProps) {
  const styles = useServicesStyles();
  const base = `/tenants/${encodeURIComponent(tenantId)}`;
  const services = useLoad(() => api.get(`${base}/services`, serviceSummariesSchema), [api, base]);
  const directory = useLoad(() => api.get(`${base}/directory`, directorySchema), [api, base]);
  const licenses = useLoad(() => api.get(`${base}/licenses`, licensesSchema), [api, base]);
  const [search, setSearch] = useState('');
  const [ou, setOu] = useState('');
  const [type, setType] = useState('');
  const [license, setLicense] = useState('');
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<ServiceSummary | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const create = useAction();
  const remove = useAction();

  const shown = useMemo(
    () =>
      (services.data ?? [])
        .filter((s) => s.name.toLowerCase().includes(search.trim().toLowerCase()))
        .filter((s) => !ou || s.ouPath.some((p) => p.ouId === ou))
        .filter((s) => !type || s.assignmentType === type)
        .filter((s) => !license || s.license === license)
        .sort((a, b) => a.name.localeCompare(b.name)),
    [services.data, search, ou, type, license],
  );
  const orgUnits = directory.data?.orgUnits ?? [];
  const left = (t: NewType) => {
    const pool = licenses.data?.pools.find((p) => p.license === LICENSE_OF[t]);
    return { left: (pool?.total ?? 0) - (pool?.used ?? 0), total: pool?.total ?? 0 };
  };
  const reload = () => {
    services.reload();
    licenses.reload();
  };

  return (
    <section className={styles.root} aria-label="Services">
      <div className={styles.header}>
        <Title2 as="h1">Services</Title2>
        <Button
          appearance="primary"
          onClick={() => {
            create.clearError();
            setCreating(true);
          }}
        >
          New service
        </Button>
      </div>
      {done && (
        <MessageBar intent="success">
          <MessageBarBody>{done}</MessageBarBody>
        </MessageBar>
      )}
      <ErrorBar error={services.error} title="The services could not be loaded" />
      <div className={styles.filters}>
        <Field label="Search by name">
          <SearchBox
            className={styles.fill}
            value={search}
            onChange={(_e, d) => setSearch(d.value)}
          />
        </Field>
        <Field label="Organization unit">
          <Select value={ou} onChange={(_e, d) => setOu(d.value)}>
            <option value="">All</option>
            {orgUnits.map((o) => (
              <option key={o.ouId} value={o.ouId}>
                {o.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Type">
          <Select value={type} onChange={(_e, d) => setType(d.value)}>
            <option value="">All</option>
            {Object.entries(ASSIGNMENT_TYPE_WORDS).map(([value, words]) => (
              <option key={value} value={value}>
                {words}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="License">
          <Select value={license} onChange={(_e, d) => setLicense(d.value)}>
            <option value="">All</option>
            {SERVICE_LICENSES.map((l) => (
              <option key={l} value={l}>
                {licenseWords(l)}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      {services.loading && !services.data && <Spinner label="Loading the services…" />}
      {services.data && (
        <Caption1>
          {shown.length} of {services.data.length}{' '}
          {services.data.length === 1 ? 'service' : 'services'}
        </Caption1>
      )}
      {services.data && shown.length === 0 && (
        <MessageBar intent="info">
          <MessageBarBody>
            {services.data.length > 0
              ? 'No service matches the search and filters.'
              : unitOnly
                ? 'No service is in the unit you administer (or the units below it) yet. You see only those: create one here in your unit, or ask a tenant admin to move a service into it.'
                : 'No service yet. Create one here, or provision a team from Teams.'}
          </MessageBarBody>
        </MessageBar>
      )}
      {shown.length > 0 && (
        <TableRegion label="Services list">
          <Table size="small" aria-label="Services">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Service</TableHeaderCell>
                <TableHeaderCell>Type and license</TableHeaderCell>
                <TableHeaderCell>Organization unit</TableHeaderCell>
                <TableHeaderCell>People</TableHeaderCell>
                <TableHeaderCell>Waiting</TableHeaderCell>
                <TableHeaderCell>State</TableHeaderCell>
                <TableHeaderCell>
                  <span className={styles.hidden}>Actions</span>
                </TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {shown.map((s) => (
                <TableRow key={s.serviceId}>
                  <TableCell>
                    <Link href={hrefOf(s.serviceId)}>{s.name}</Link>
                    {s.teamId && <Caption1 className={styles.block}>From a Teams team</Caption1>}
                  </TableCell>
                  <TableCell>
                    {ASSIGNMENT_TYPE_WORDS[s.assignmentType]} · {licenseWords(s.license)}
                  </TableCell>
                  <TableCell>{path(s)}</TableCell>
                  <TableCell>
                    {s.members} members, {s.activeMembers} Active
                  </TableCell>
                  <TableCell>{s.waiting}</TableCell>
                  <TableCell>
                    <Badge
                      appearance="tint"
                      color={s.state === 'Active' ? 'success' : 'warning'}
                      className={styles.badge}
                    >
                      {STATE_WORDS[s.state]}
                    </Badge>
                  </TableCell>
                  <TableCell>
                    <Button
                      aria-label={`Delete ${s.name}`}
                      onClick={() => {
                        remove.clearError();
                        setDeleting(s);
                      }}
                    >
                      Delete
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableRegion>
      )}
      <CreateDialog
        open={creating}
        orgUnits={orgUnits}
        left={left}
        busy={create.busy}
        error={create.error}
        onClose={() => setCreating(false)}
        onCreate={(input) =>
          void create.run(async () => {
            const made = await api.send('POST', `${base}/services`, input, serviceSchema);
            setCreating(false);
            setDone(`${made.name} was created.`);
            reload();
          })
        }
      />
      <DeleteDialog
        service={deleting}
        busy={remove.busy}
        error={remove.error}
        onClose={() => setDeleting(null)}
        onDelete={(service, cancelOpenTasks) =>
          void remove.run(async () => {
            const gone = await api.send(
              'DELETE',
              `${base}/services/${encodeURIComponent(service.serviceId)}`,
              { cancelOpenTasks },
              deletedServiceSchema,
            );
            setDeleting(null);
            const ended = gone.canceled + gone.ended;
            setDone(
              `${service.name} was deleted${ended ? ` (${ended} open task${ended === 1 ? '' : 's'} ended)` : ''}; its ${licenseWords(gone.license)} license is free again.`,
            );
            reload();
          })
        }
      />
    </section>
  );
}
