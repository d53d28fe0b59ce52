import {
  Body1,
  Button,
  Card,
  CardHeader,
  Spinner,
  Subtitle2,
  Title2,
} from '@fluentui/react-components';
import { devPeopleSchema } from '../api/schemas';
import type { DevWho } from '../auth/session';
import { useLoad } from '../api/use-load';
import { ErrorBar } from '../ErrorBar/ErrorBar';
import { useSignInStyles } from './SignIn.styles';

const ROLE_WORDS: Record<string, string> = { TenantAdmin: 'tenant admin', OuAdmin: 'OU admin' };

async function loadPeople() {
  const response = await fetch('/api/v1/dev/people');
  if (!response.ok) throw new Error(`The people could not be listed (${response.status}).`);
  return devPeopleSchema.parse(await response.json());
}

/** "tenant admin, owner of IT Helpdesk": what a person may do beyond their own services. */
const whatTheyDo = (user: { roles: readonly string[]; owns: readonly string[] }) =>
  [
    ...user.roles.map((r) => ROLE_WORDS[r] ?? r),
    ...(user.owns.length ? [`owner of ${user.owns.join(', ')}`] : []),
  ].join(', ');

/** Dev mode outside Teams: pick a demo person to be. Never shown when dev mode is off. */
export function SignIn({ onPick }: { readonly onPick: (who: DevWho) => void }) {
  const styles = useSignInStyles();
  const people = useLoad(loadPeople, []);
  return (
    <section className={styles.root} aria-label="Sign in as">
      <Title2 as="h1">Sign in as</Title2>
      <Body1>
        Outside Teams in dev mode, pick who you are. Inside Teams, your Teams sign-in is used
        instead.
      </Body1>
      <ErrorBar error={people.error} />
      {people.loading && <Spinner label="Loading people…" />}
      <Card>
        <CardHeader
          header={<Subtitle2 as="h2">The operator of this app</Subtitle2>}
          description="Creates tenants, sets their state and licenses."
        />
        <div className={styles.people}>
          <Button onClick={() => onPick({ system: true })}>System operator</Button>
        </div>
      </Card>
      {people.data?.map((tenant) => (
        <Card key={tenant.tenantId}>
          <CardHeader header={<Subtitle2 as="h2">{tenant.name}</Subtitle2>} />
          <div className={styles.people}>
            {tenant.users.map((user) => (
              <Button
                key={user.userId}
                onClick={() => onPick({ tenantId: tenant.tenantId, userId: user.userId })}
              >
                {user.displayName}
                {whatTheyDo(user) && ` (${whatTheyDo(user)})`}
              </Button>
            ))}
          </div>
        </Card>
      ))}
    </section>
  );
}
