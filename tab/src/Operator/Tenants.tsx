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
import { licenseWords } from '../../../core/domain/license';
import {
  isOperational,
  TENANT_STATES,
  TENANT_STATE_WORDS,
  type TenantState,
} from '../../../core/domain/tenant';
import { guid } from '../../../core/domain/field-formats';
import type { Api } from '../api/api-client';
import { ApiProblem } from '../api/api-problem';
import { tenantPageSchema, tenantSchema, type TenantSummary } from '../api/schemas';
import { useAction } from '../api/use-action';
import { usePages } from '../api/use-pages';
import { ActionDialog } from '../ActionDialog/ActionDialog';
import { ErrorBar } from '../ErrorBar/ErrorBar';
import { TableRegion } from '../TableRegion/TableRegion';
import { useOperatorStyles } from './Operator.styles';

export interface TenantsProps {
  readonly api: Api;
  /** Where a tenant's page is (the hash of its view). */
  readonly hrefOf: (tenantId: string) => string;
  readonly onOpen: (tenantId: string) => void;
}

const PAGE = 50;

/** The tenant's pools that hold anything, as "Contact Center 1 of 2". */
export const poolsInWords = (t: TenantSummary) =>
  t.pools
    .filter((p) => p.total > 0 || p.used > 0)
    .map((p) => `${licenseWords(p.license)} ${p.used} of ${p.total}`)
    .join(' · ') || 'No licenses yet';

/** The tenant's state as a badge: green while it works, amber or red when it does not. */
export function StateBadge({
  tenant,
}: {
  readonly tenant: { readonly state: TenantState; readonly pendingDeletion: boolean };
}) {
  const styles = useOperatorStyles();
  const [words, color] = tenant.pendingDeletion
    ? ['Pending deletion', 'danger' as const]
    : [
        TENANT_STATE_WORDS[tenant.state],
        isOperational(tenant.state) ? ('success' as const) : ('warning' as const),
      ];
  return (
    <Badge appearance="tint" color={color} className={styles.badge}>
      {words}
    </Badge>
  );
}

/** A tenant's state, each option saying what it means for the tenant's people. */
export function StateSelect(props: {
  readonly value: TenantState;
  readonly onChange: (state: TenantState) => void;
}) {
  return (
    <Select value={props.value} onChange={(_e, d) => props.onChange(d.value as TenantState)}>
      {TENANT_STATES.map((s) => (
        <option key={s} value={s}>
          {TENANT_STATE_WORDS[s]}
        </option>
      ))}
    </Select>
  );
}

const tenantsOf = (page: { readonly items: readonly TenantSummary[] }) => page.items;
const idOf = (tenant: TenantSummary) => tenant.tenantId;

/** The routing shard counts offered when a tenant is created (the API takes 1 to 16). */
const ROUTING_SHARD_CHOICES = [1, 2, 4, 8, 16] as const;

/** Adding a tenant: its Entra tenant id, a name, the state it starts in and its routing shards. */
function CreateDialog(props: {
  readonly open: boolean;
  readonly busy: boolean;
  readonly error: unknown;
  readonly onCreate: (input: {
    id: string;
    name: string;
    state: TenantState;
    routingShards: number;
  }) => void;
  readonly onClose: () => void;
}) {
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [state, setState] = useState<TenantState>('Trial');
  const [routingShards, setRoutingShards] = useState(1);
  const [tried, setTried] = useState(false);
  const idProblem = guid.safeParse(id.trim()).success
    ? undefined
    : 'Enter the customer’s Microsoft Entra tenant id, a GUID like 0d3e0000-0000-4000-8000-000000000001.';
  const nameProblem = name.trim() === '' ? 'Give the tenant a name.' : undefined;
  const create = () => {
    setTried(true);
    if (!idProblem && !nameProblem)
      props.onCreate({ id: id.trim(), name: name.trim(), state, routingShards });
  };
  return (
    <ActionDialog
      open={props.open}
      title="New tenant"
      action="Create"
      actionDisabled={props.busy}
      onAction={create}
      dismiss="Cancel"
      onClose={props.onClose}
    >
      <Field
        label="Tenant id"
        required
        hint="The customer’s Microsoft Entra tenant id: their people sign in with it."
        validationState={tried && idProblem ? 'error' : 'none'}
        validationMessage={tried ? idProblem : undefined}
      >
        <Input value={id} onChange={(_e, d) => setId(d.value)} />
      </Field>
      <Field
        label="Name"
        required
        validationState={tried && nameProblem ? 'error' : 'none'}
        validationMessage={tried ? nameProblem : undefined}
      >
        <Input value={name} maxLength={200} onChange={(_e, d) => setName(d.value)} />
      </Field>
      <Field label="State">
        <StateSelect value={state} onChange={setState} />
      </Field>
      <Field
        label="Routing shards"
        hint="How many storage partitions its tasks spread over. More let one very busy tenant route more tasks a second; 1 suits almost every tenant. It cannot be changed later."
      >
        <Select
          value={String(routingShards)}
          onChange={(_e, d) => setRoutingShards(Number(d.value))}
        >
          {ROUTING_SHARD_CHOICES.map((n) => (
            <option key={n} value={n}>
              {n === 1 ? '1 (the default)' : n}
            </option>
          ))}
        </Select>
      </Field>
      <ErrorBar error={props.error} title="The tenant was not created" />
    </ActionDialog>
  );
}

/** The system operator's tenant list: find a tenant, open it, add one. */
export function Tenants({ api, hrefOf, onOpen }: TenantsProps) {
  const styles = useOperatorStyles();
  const pages = usePages({
    api,
    path: '/tenants',
    schema: tenantPageSchema,
    size: PAGE,
    itemsOf: tenantsOf,
    keyOf: idOf,
  });
  const [search, setSearch] = useState('');
  const [creating, setCreating] = useState(false);
  const create = useAction();
  const shown = useMemo(() => {
    const words = search.trim().toLowerCase();
    return (pages.items ?? []).filter(
      (t) => t.name.toLowerCase().includes(words) || t.tenantId.toLowerCase().includes(words),
    );
  }, [pages.items, search]);
  const typedId = search.trim();

  return (
    <section className={styles.root} aria-label="Tenants">
      <div className={styles.header}>
        <Title2 as="h1">Tenants</Title2>
        <Button
          appearance="primary"
          onClick={() => {
            create.clearError();
            setCreating(true);
          }}
        >
          New tenant
        </Button>
      </div>
      <ErrorBar error={pages.error} title="The tenants could not be loaded" />
      <Field label="Find by name or tenant id">
        <SearchBox
          className={styles.fill}
          value={search}
          onChange={(_e, d) => setSearch(d.value)}
        />
      </Field>
      {!pages.items && pages.loading && <Spinner label="Loading the tenants…" />}
      {pages.items && (
        <Caption1>
          {search.trim() ? `${shown.length} of ` : ''}
          {pages.items.length} {pages.items.length === 1 ? 'tenant' : 'tenants'}
          {pages.hasMore ? ' loaded' : ''}
        </Caption1>
      )}
      {pages.items && shown.length === 0 && (
        <MessageBar intent="info">
          <MessageBarBody>
            {pages.items.length === 0
              ? 'No tenant yet. Add the first with New tenant.'
              : 'No tenant loaded matches.'}
            {typedId && pages.items.length > 0 && (
              <>
                {' '}
                <Link onClick={() => onOpen(typedId)}>Open the tenant with id {typedId}</Link>
              </>
            )}
          </MessageBarBody>
        </MessageBar>
      )}
      {shown.length > 0 && (
        <TableRegion label="Tenant list">
          <Table size="small" aria-label="Tenants">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Tenant</TableHeaderCell>
                <TableHeaderCell>State</TableHeaderCell>
                <TableHeaderCell>Licenses in use</TableHeaderCell>
                <TableHeaderCell>Since</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {shown.map((t) => (
                <TableRow key={t.tenantId}>
                  <TableCell>
                    <Link href={hrefOf(t.tenantId)}>{t.name}</Link>
                    <Caption1 className={styles.block}>{t.tenantId}</Caption1>
                  </TableCell>
                  <TableCell>
                    <StateBadge tenant={t} />
                  </TableCell>
                  <TableCell>{poolsInWords(t)}</TableCell>
                  <TableCell>{new Date(t.createdAt).toLocaleDateString()}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableRegion>
      )}
      {pages.hasMore && (
        <div>
          <Button disabled={pages.loading} onClick={pages.more}>
            {pages.loading ? 'Loading…' : 'Show more tenants'}
          </Button>
        </div>
      )}
      <CreateDialog
        open={creating}
        busy={create.busy}
        error={create.error}
        onClose={() => setCreating(false)}
        onCreate={(input) =>
          void create.run(async () => {
            const path = `/tenants/${encodeURIComponent(input.id)}`;
            // PUT also updates: an id taken already must not rename someone else's tenant.
            const existing = await api.get(path, tenantSchema).catch((err: unknown) => {
              if (err instanceof ApiProblem && err.status === 404) return null;
              throw err;
            });
            if (existing)
              throw new Error(
                `A tenant with this id exists already: ${existing.name}. Open it from the list instead.`,
              );
            const shards = input.routingShards > 1 ? { routingShards: input.routingShards } : {};
            await api.send(
              'PUT',
              path,
              { name: input.name, state: input.state, ...shards },
              tenantSchema,
            );
            setCreating(false);
            onOpen(input.id);
          })
        }
      />
    </section>
  );
}
