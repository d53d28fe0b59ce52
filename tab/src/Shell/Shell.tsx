import {
  Body1,
  Button,
  MessageBar,
  MessageBarBody,
  Spinner,
  Tab,
  TabList,
  Title3,
} from '@fluentui/react-components';
import { useEffect, useState, type ReactNode } from 'react';
import { servicesSchema, type Health, type Me } from '../api/schemas';
import type { Session } from '../auth/session';
import { LeaveDialog } from '../App/LeaveDialog';
import { useView } from '../App/use-view';
import { hashOf, type View } from '../App/view';
import { Dashboard } from '../Dashboard/Dashboard';
import { Directory } from '../Directory/Directory';
import { ErrorBar } from '../ErrorBar/ErrorBar';
import { Licenses } from '../Licenses/Licenses';
import { useMyState } from '../live/use-my-state';
import { useServerNow } from '../live/use-server-now';
import { MyServices } from '../MyServices/MyServices';
import { ServicePage } from '../ServicePage/ServicePage';
import { Services } from '../Services/Services';
import { ServiceSettings } from '../ServiceSettings/ServiceSettings';
import { TenantSettings } from '../TenantSettings/TenantSettings';
import { useShellStyles } from './Shell.styles';

export interface ShellProps {
  readonly session: Session;
  readonly me: Me;
  readonly health: Health;
  /** In a team tab: the team, whose service the tab opens on. */
  readonly teamId: string | null;
  readonly themePicker?: ReactNode;
}

type NavTab = 'myServices' | 'overview' | 'services' | 'directory' | 'licenses' | 'tenant';

const navOf = (view: View): NavTab | undefined =>
  view.kind === 'licenses' ||
  view.kind === 'tenant' ||
  view.kind === 'services' ||
  view.kind === 'overview' ||
  view.kind === 'directory'
    ? view.kind
    : view.kind === 'myServices'
      ? 'myServices'
      : undefined;

/** The app's name, who is signed in, and (dev mode) a way to be someone else. */
export function ShellHeader(props: {
  readonly who: string;
  readonly signOut?: (() => void) | undefined;
  /** Dev mode outside Teams: the theme to see the tab in. */
  readonly themePicker?: ReactNode;
}) {
  const styles = useShellStyles();
  return (
    <header className={styles.header}>
      <Title3 as="p" className={styles.title}>
        Service routing
      </Title3>
      <Body1>{props.who}</Body1>
      {props.themePicker}
      {props.signOut && <Button onClick={props.signOut}>Switch user</Button>}
    </header>
  );
}

/** The signed-in tab: who I am, the pages I may see, and my live state. */
export function Shell({ session, me, health, teamId, themePicker }: ShellProps) {
  const styles = useShellStyles();
  const viewState = useView();
  const { view: shown, navigate } = viewState;
  // The operator's pages are not a person's: their addresses open My services.
  const view: View =
    shown.kind === 'tenants' || shown.kind === 'operatorTenant' ? { kind: 'myServices' } : shown;
  const live = useMyState(session.api);
  const now = useServerNow(live.state?.now, health.clock === 'system');
  const admin = me.tenantAdmin || me.ouAdmin;
  const [teamProblem, setTeamProblem] = useState<unknown>(null);
  useEffect(() => {
    const hash = window.location.hash;
    if (!teamId || (hash !== '' && hash !== '#/team')) return;
    void session.api
      .get(`/tenants/${encodeURIComponent(me.tenantId)}/services`, servicesSchema)
      .then((services) => {
        const service = services.find((s) => s.teamId === teamId);
        if (service) navigate({ kind: 'service', serviceId: service.serviceId });
        else
          setTeamProblem(
            'This team is not a service yet: add the app to the team and provision it.',
          );
      })
      .catch(setTeamProblem);
  }, [teamId, session.api, me.tenantId, navigate]);
  const manages = (serviceId: string) =>
    admin || live.state?.services.find((s) => s.serviceId === serviceId)?.role !== 'Member';
  return (
    <main className={styles.root}>
      <LeaveDialog state={viewState} />
      <ShellHeader
        who={`${me.displayName} · ${me.tenantName}`}
        signOut={session.signOut}
        themePicker={themePicker}
      />
      <TabList
        selectedValue={navOf(view)}
        onTabSelect={(_e, d) => navigate({ kind: d.value as NavTab })}
        aria-label="Pages"
        className={styles.nav}
      >
        <Tab value="myServices">My services</Tab>
        {admin && <Tab value="overview">Overview</Tab>}
        {admin && <Tab value="services">Services</Tab>}
        {admin && <Tab value="directory">People</Tab>}
        {admin && <Tab value="licenses">Licenses</Tab>}
        {me.tenantAdmin && <Tab value="tenant">Tenant settings</Tab>}
      </TabList>
      {live.reconnecting && (
        <MessageBar intent="warning">
          <MessageBarBody>Live updates paused; reconnecting…</MessageBarBody>
        </MessageBar>
      )}
      <ErrorBar error={live.error} />
      <ErrorBar error={teamProblem} />
      {view.kind === 'myServices' &&
        (live.state ? (
          <MyServices
            state={live.state}
            changes={live.changes}
            now={now}
            api={session.api}
            hrefOf={(serviceId) => hashOf({ kind: 'service', serviceId })}
          />
        ) : (
          !live.error && <Spinner label="Loading your services…" />
        ))}
      {view.kind === 'service' && (
        <ServicePage
          api={session.api}
          tenantId={me.tenantId}
          serviceId={view.serviceId}
          myState={live.state}
          now={now}
          canManage={manages(view.serviceId)}
          admin={admin}
          changes={live.changes}
          onSettings={() => navigate({ kind: 'serviceSettings', serviceId: view.serviceId })}
          onDashboard={() => navigate({ kind: 'serviceDashboard', serviceId: view.serviceId })}
        />
      )}
      {view.kind === 'serviceDashboard' && (
        <Dashboard
          api={session.api}
          tenantId={me.tenantId}
          serviceId={view.serviceId}
          now={now}
          changes={live.changes}
          onBack={() => navigate({ kind: 'service', serviceId: view.serviceId })}
        />
      )}
      {view.kind === 'overview' && (
        <Dashboard
          api={session.api}
          tenantId={me.tenantId}
          serviceId={null}
          now={now}
          changes={live.changes}
          dashboardHref={(serviceId) => hashOf({ kind: 'serviceDashboard', serviceId })}
        />
      )}
      {view.kind === 'serviceSettings' && (
        <ServiceSettings
          api={session.api}
          tenantId={me.tenantId}
          serviceId={view.serviceId}
          admin={admin}
          canEdit={manages(view.serviceId)}
          focusField={view.field}
          onBack={() => navigate({ kind: 'service', serviceId: view.serviceId })}
        />
      )}
      {view.kind === 'services' && (
        <Services
          api={session.api}
          tenantId={me.tenantId}
          hrefOf={(serviceId) => hashOf({ kind: 'service', serviceId })}
          unitOnly={!me.tenantAdmin}
        />
      )}
      {view.kind === 'directory' && (
        <Directory
          api={session.api}
          tenantId={me.tenantId}
          tenantAdmin={me.tenantAdmin}
          licensesHref={hashOf({ kind: 'licenses' })}
        />
      )}
      {view.kind === 'licenses' && (
        <Licenses
          api={session.api}
          tenantId={me.tenantId}
          hrefOf={(serviceId) => hashOf({ kind: 'service', serviceId })}
          fieldHref={(serviceId, field) => hashOf({ kind: 'serviceSettings', serviceId, field })}
        />
      )}
      {view.kind === 'tenant' && (
        <TenantSettings api={session.api} tenantId={me.tenantId} tenantName={me.tenantName} />
      )}
    </main>
  );
}
