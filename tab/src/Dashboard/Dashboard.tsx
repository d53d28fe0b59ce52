import {
  Body1,
  Button,
  Caption1,
  Card,
  Field,
  Input,
  Link,
  Select,
  Spinner,
  Subtitle1,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Title2,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useState, type ReactNode } from 'react';
import { durationWords } from '../../../core/domain/routing/reason-words';
import type { Api } from '../api/api-client';
import {
  activeUsersSchema,
  dashboardSchema,
  overviewSchema,
  type DashboardView,
  type OverviewView,
} from '../api/schemas';
import { useLoad } from '../api/use-load';
import { ErrorBar } from '../ErrorBar/ErrorBar';
import { TableRegion } from '../TableRegion/TableRegion';
import {
  busyHours,
  ChartOrTable,
  HourChart,
  hourLabel,
  namedBands,
  WaitChart,
  type Counted,
} from './Charts';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  header: {
    display: 'flex',
    alignItems: 'flex-end',
    gap: tokens.spacingHorizontalM,
    flexWrap: 'wrap',
  },
  grow: { flexGrow: 1 },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  tiles: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(150px, 1fr))',
    gap: tokens.spacingHorizontalM,
    margin: 0,
  },
  tile: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  figure: { fontSize: tokens.fontSizeHero700, lineHeight: tokens.lineHeightHero700 },
  note: { color: tokens.colorNeutralForeground2 },
});

const RANGES = [
  ['1', 'Today'],
  ['7', 'Last 7 days'],
  ['30', 'Last 30 days'],
  ['range', 'Chosen days'],
] as const;
type Range = (typeof RANGES)[number][0];

/** "1 min 5 s", "42 s", "2 h 3 min", to the nearest second; a dash when there is nothing to tell. */
export const duration = (ms: number | null): string =>
  ms === null ? '–' : durationWords(Math.round(ms / 1000) * 1000, true);

const percent = (share: number | null) => (share === null ? '–' : `${Math.round(share * 100)}%`);

/** One figure with its name; what it counts, said below it. */
function Tile(props: { readonly label: string; readonly value: string; readonly note?: string }) {
  const styles = useStyles();
  return (
    <Card className={styles.tile} role="group" aria-label={props.label}>
      <Caption1>{props.label}</Caption1>
      <span className={styles.figure}>{props.value}</span>
      {props.note && <Caption1 className={styles.note}>{props.note}</Caption1>}
    </Card>
  );
}

function Figures({ data, now }: { readonly data: Counted; readonly now: number }) {
  const styles = useStyles();
  const { kpis, live } = data;
  return (
    <>
      <section className={styles.section} aria-label="Now">
        <Subtitle1 as="h2">Now</Subtitle1>
        <div className={styles.tiles}>
          <Tile label="Waiting" value={String(live.waiting)} note="not answered yet" />
          <Tile
            label="Longest waiting"
            value={
              live.longestWaitingSince
                ? duration(Math.max(0, now - Date.parse(live.longestWaitingSince)))
                : '–'
            }
          />
          <Tile label="Available" value={String(live.available)} />
          <Tile label="Busy" value={String(live.busy)} note="ringing or on a task" />
          <Tile label="In after-call work" value={String(live.inAcw)} />
        </div>
      </section>
      <section className={styles.section} aria-label="In this period">
        <Subtitle1 as="h2">In this period</Subtitle1>
        <div className={styles.tiles}>
          <Tile label="Offered" value={String(kpis.offered)} note="entered the queue" />
          <Tile label="Accepted" value={String(kpis.accepted)} />
          <Tile label="Abandoned" value={String(kpis.abandoned)} note="canceled while waiting" />
          <Tile label="Missed" value={String(kpis.missed)} note="rang out unanswered" />
          <Tile label="Withdrawn" value={String(kpis.withdrawn)} />
          <Tile
            label="Service level"
            value={percent(kpis.serviceLevel)}
            note={
              data.serviceLevelSec === null
                ? 'each service within its own threshold'
                : `accepted within ${data.serviceLevelSec} s`
            }
          />
          <Tile label="Average wait" value={duration(kpis.wait.averageMs)} />
          <Tile label="Wait, 9 in 10 within" value={duration(kpis.wait.p90Ms)} />
          <Tile label="Average handle time" value={duration(kpis.handle.averageMs)} />
          <Tile label="Average after-call work" value={duration(kpis.acw.averageMs)} />
        </div>
      </section>
    </>
  );
}

/** A table of figures, one row per item, in a region that scrolls sideways on a phone. */
function FigureTable<T>(props: {
  readonly label: string;
  readonly columns: readonly string[];
  readonly rows: readonly T[];
  readonly keyOf: (row: T) => string | number;
  readonly cells: (row: T) => readonly (string | number)[];
}) {
  return (
    <TableRegion label={`${props.label} list`}>
      <Table size="small" aria-label={props.label}>
        <TableHeader>
          <TableRow>
            {props.columns.map((column) => (
              <TableHeaderCell key={column}>{column}</TableHeaderCell>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          {props.rows.map((row) => (
            <TableRow key={props.keyOf(row)}>
              {props.cells(row).map((cell, i) => (
                <TableCell key={props.columns[i]}>{cell}</TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableRegion>
  );
}

/** A section with a chart and its table, or a sentence when there is nothing to draw. */
function ChartSection(props: {
  readonly title: string;
  readonly empty: string | null;
  readonly label: string;
  readonly chart: ReactNode;
  readonly table: ReactNode;
}) {
  const styles = useStyles();
  return (
    <section className={styles.section} aria-label={props.title}>
      <Subtitle1 as="h2">{props.title}</Subtitle1>
      {props.empty !== null ? (
        <Body1>{props.empty}</Body1>
      ) : (
        <ChartOrTable label={props.label} chart={props.chart} table={props.table} />
      )}
    </section>
  );
}

function PerHour({ data }: { readonly data: Counted }) {
  const hours = busyHours(data.kpis.perHour);
  const label = 'Tasks per hour of the day';
  return (
    <ChartSection
      title="Tasks per hour"
      empty={hours.length ? null : 'No task entered the queue in this period.'}
      label={label}
      chart={<HourChart data={data} />}
      table={
        <FigureTable
          label={label}
          columns={[
            `Hour (${data.timeZone.replaceAll('_', ' ')})`,
            'Offered',
            'Accepted',
            'Abandoned',
            'Not answered yet',
          ]}
          rows={hours}
          keyOf={(h) => h.hour}
          cells={(h) => [
            hourLabel(h.hour),
            h.offered,
            h.accepted,
            h.abandoned,
            h.offered - h.accepted - h.abandoned,
          ]}
        />
      }
    />
  );
}

function Waits({ data }: { readonly data: Counted }) {
  const accepted = data.kpis.waitBands.reduce((n, band) => n + band.count, 0);
  const label = 'Accepted tasks by how long they waited';
  return (
    <ChartSection
      title="How long tasks waited"
      empty={accepted ? null : 'No task was accepted in this period.'}
      label={label}
      chart={<WaitChart data={data} />}
      table={
        <FigureTable
          label={label}
          columns={[
            'Waited',
            'Tasks',
            'Share',
            ...(data.serviceLevelSec === null ? [] : ['Within the service level']),
          ]}
          rows={namedBands(data)}
          keyOf={(band) => band.name}
          cells={(band) => [
            band.name,
            band.count,
            percent(band.count / accepted),
            ...(data.serviceLevelSec === null ? [] : [band.within ? 'Yes' : 'No']),
          ]}
        />
      }
    />
  );
}

function People({ data, service }: { readonly data: Counted; readonly service: boolean }) {
  const styles = useStyles();
  // Time in states exists when the tenant keeps people's states (null otherwise).
  const timed = data.people.some((p) => p.activeMs !== null);
  return (
    <section className={styles.section} aria-label="People">
      <Subtitle1 as="h2">People</Subtitle1>
      {data.people.length === 0 ? (
        <Body1>Nobody took or missed a task in this period.</Body1>
      ) : (
        <FigureTable
          label="Each person’s tasks in this period"
          columns={[
            'Person',
            'Accepted',
            'Handled',
            'Average handle time',
            'Missed',
            ...(timed ? ['Time Active', 'Time available'] : []),
          ]}
          rows={data.people}
          keyOf={(p) => p.userId}
          cells={(p) => [
            p.displayName,
            p.accepted,
            p.handled,
            duration(p.handle.averageMs),
            p.missed,
            ...(timed ? [duration(p.activeMs), duration(p.availableMs)] : []),
          ]}
        />
      )}
      {service && !timed && (
        <Caption1 className={styles.note}>
          Time Active and time available are counted while the tenant keeps people’s states (Tenant
          settings, Data privacy: Persist user states).
        </Caption1>
      )}
    </section>
  );
}

function Services(props: {
  readonly data: OverviewView;
  readonly hrefOf: (serviceId: string) => string;
}) {
  const styles = useStyles();
  const { services } = props.data;
  return (
    <section className={styles.section} aria-label="Services">
      <Subtitle1 as="h2">Services</Subtitle1>
      {services.length === 0 ? (
        <Body1>No service is in your care yet.</Body1>
      ) : (
        <TableRegion label="Each service in this period list">
          <Table size="small" aria-label="Each service in this period">
            <TableHeader>
              <TableRow>
                {[
                  'Service',
                  'Offered',
                  'Accepted',
                  'Abandoned',
                  'Service level',
                  'Average wait',
                  'Waiting now',
                  'Available now',
                ].map((column) => (
                  <TableHeaderCell key={column}>{column}</TableHeaderCell>
                ))}
              </TableRow>
            </TableHeader>
            <TableBody>
              {services.map((line) => (
                <TableRow key={line.serviceId}>
                  <TableCell>
                    <Link href={props.hrefOf(line.serviceId)}>{line.name}</Link>
                  </TableCell>
                  <TableCell>{line.kpis.offered}</TableCell>
                  <TableCell>{line.kpis.accepted}</TableCell>
                  <TableCell>{line.kpis.abandoned}</TableCell>
                  <TableCell>
                    {`${percent(line.kpis.serviceLevel)} (${line.serviceLevelSec} s)`}
                  </TableCell>
                  <TableCell>{duration(line.kpis.wait.averageMs)}</TableCell>
                  <TableCell>{line.live.waiting}</TableCell>
                  <TableCell>{line.live.available}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableRegion>
      )}
    </section>
  );
}

/** "December 2026" for "2026-12". */
export const monthWords = (month: string) =>
  new Date(`${month}-01T00:00:00Z`).toLocaleDateString('en-GB', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });

/** The admins' statistics: people Active in a service at least once in each month. */
function MonthlyActive(props: { readonly api: Api; readonly tenantId: string }) {
  const styles = useStyles();
  const path = `/tenants/${encodeURIComponent(props.tenantId)}/statistics/active-users?months=12`;
  const { api } = props;
  const loaded = useLoad(() => api.get(path, activeUsersSchema), [api, path]);
  return (
    <section className={styles.section} aria-label="Active people per month">
      <Subtitle1 as="h2">Active people per month</Subtitle1>
      <Caption1 className={styles.note}>
        People switched Active in a service at least once in the month, each counted once.
      </Caption1>
      <ErrorBar error={loaded.error} title="The monthly figures could not be loaded" />
      {loaded.data && (
        <FigureTable
          label="People Active at least once in each month"
          columns={['Month', 'People']}
          rows={loaded.data}
          keyOf={(m) => m.month}
          cells={(m) => [monthWords(m.month), m.users]}
        />
      )}
    </section>
  );
}

export interface DashboardProps {
  readonly api: Api;
  readonly tenantId: string;
  /** A service's dashboard; null: the admins' overview of the services in their care. */
  readonly serviceId: string | null;
  /** The server's clock now (the live figures' durations count from it). */
  readonly now: number;
  /** Counts the server's change events: the figures are read again on each. */
  readonly changes: number;
  /** Back to the service (a service's dashboard). */
  readonly onBack?: () => void;
  /** A service's dashboard's address (the overview links each service's line there). */
  readonly dashboardHref?: (serviceId: string) => string;
}

/** What a dashboard shows, a service's or the overview's, read alike. */
type Shown =
  | { readonly kind: 'service'; readonly view: DashboardView }
  | { readonly kind: 'overview'; readonly view: OverviewView };

const counted = (shown: Shown): Counted =>
  shown.kind === 'service' ? shown.view : { ...shown.view, serviceLevelSec: null };

/**
 * A service's dashboard, or the admins' overview of theirs: today's (or the last days')
 * KPIs, charts, each person's figures (each service's too), and now.
 */
export function Dashboard(props: DashboardProps) {
  const styles = useStyles();
  const [range, setRange] = useState<Range>('1');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  // Chosen days are asked for once both are given (the API checks them and says why not).
  const query = range !== 'range' ? `days=${range}` : from && to ? `from=${from}&to=${to}` : null;
  const tenant = `/tenants/${encodeURIComponent(props.tenantId)}`;
  const { serviceId, api } = props;
  const path =
    serviceId === null
      ? `${tenant}/dashboard?${query ?? ''}`
      : `${tenant}/services/${encodeURIComponent(serviceId)}/dashboard?${query ?? ''}`;
  const loaded = useLoad(async (): Promise<Shown | undefined> => {
    if (!query) return undefined;
    return serviceId === null
      ? { kind: 'overview', view: await api.get(path, overviewSchema) }
      : { kind: 'service', view: await api.get(path, dashboardSchema) };
  }, [api, path, query, serviceId]);
  const { reload } = loaded;
  useEffect(() => {
    if (props.changes === 0) return;
    const timer = setTimeout(reload, 250);
    return () => clearTimeout(timer);
  }, [props.changes, reload]);
  const shown = loaded.data;
  const data = shown && counted(shown);
  const title =
    shown?.kind === 'service'
      ? `${shown.view.serviceName} dashboard`
      : serviceId === null
        ? 'Overview'
        : 'Dashboard';
  return (
    <section className={styles.root} aria-label={serviceId === null ? 'Overview' : 'Dashboard'}>
      <div className={styles.header}>
        <Title2 as="h1" className={styles.grow}>
          {title}
        </Title2>
        <Field label="Period">
          <Select value={range} onChange={(_e, d) => setRange(d.value as Range)}>
            {RANGES.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </Select>
        </Field>
        {range === 'range' && (
          <>
            <Field label="First day">
              <Input type="date" value={from} onChange={(_e, d) => setFrom(d.value)} />
            </Field>
            <Field label="Last day">
              <Input type="date" value={to} onChange={(_e, d) => setTo(d.value)} />
            </Field>
          </>
        )}
        {props.onBack && <Button onClick={props.onBack}>Back to the service</Button>}
      </div>
      {!query && <Body1>Choose the first and the last day to count.</Body1>}
      <ErrorBar
        error={loaded.error}
        title={`The ${serviceId === null ? 'overview' : 'dashboard'} could not be loaded`}
      />
      {!data && loaded.loading && <Spinner label="Counting…" />}
      {shown && data && (
        <>
          <Caption1 className={styles.note}>
            {shown.kind === 'overview'
              ? `${shown.view.scope === 'tenant' ? `Every service of ${shown.view.tenantName}` : 'The services of your organization units'}, added up. `
              : ''}
            {`Days counted in ${data.timeZone.replaceAll('_', ' ')}; tasks count on the day they entered the queue.`}
          </Caption1>
          <Figures data={data} now={props.now} />
          <PerHour data={data} />
          <Waits data={data} />
          {shown.kind === 'overview' && (
            <Services data={shown.view} hrefOf={props.dashboardHref ?? (() => '#')} />
          )}
          <People data={data} service={shown.kind === 'service'} />
          {shown.kind === 'overview' && shown.view.scope === 'tenant' && (
            <MonthlyActive api={api} tenantId={props.tenantId} />
          )}
        </>
      )}
    </section>
  );
}
