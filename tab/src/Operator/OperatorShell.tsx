import { Tab, TabList } from '@fluentui/react-components';
import { useEffect, type ReactNode } from 'react';
import type { Operator } from '../api/schemas';
import type { Session } from '../auth/session';
import { LeaveDialog } from '../App/LeaveDialog';
import { useView } from '../App/use-view';
import { hashOf } from '../App/view';
import { ShellHeader } from '../Shell/Shell';
import { useShellStyles } from '../Shell/Shell.styles';
import { OperatorTenant } from './OperatorTenant';
import { Tenants } from './Tenants';

/** The signed-in tab of the system operator: every tenant, and one tenant at a time. */
export function OperatorShell({
  session,
  me,
  themePicker,
}: {
  readonly session: Session;
  readonly me: Operator;
  /** Dev mode outside Teams: the theme to see the tab in. */
  readonly themePicker?: ReactNode;
}) {
  const styles = useShellStyles();
  const viewState = useView();
  const { view, navigate } = viewState;
  // The operator has no pages of a tenant's people: any other address opens the list.
  useEffect(() => {
    if (view.kind !== 'tenants' && view.kind !== 'operatorTenant') navigate({ kind: 'tenants' });
  }, [view.kind, navigate]);
  return (
    <main className={styles.root}>
      <LeaveDialog state={viewState} />
      <ShellHeader who={me.displayName} signOut={session.signOut} themePicker={themePicker} />
      <TabList
        selectedValue="tenants"
        onTabSelect={() => navigate({ kind: 'tenants' })}
        aria-label="Pages"
        className={styles.nav}
      >
        <Tab value="tenants">Tenants</Tab>
      </TabList>
      {view.kind === 'operatorTenant' ? (
        <OperatorTenant
          api={session.api}
          tenantId={view.tenantId}
          onBack={() => navigate({ kind: 'tenants' })}
        />
      ) : (
        <Tenants
          api={session.api}
          hrefOf={(tenantId) => hashOf({ kind: 'operatorTenant', tenantId })}
          onOpen={(tenantId) => navigate({ kind: 'operatorTenant', tenantId })}
        />
      )}
    </main>
  );
}
