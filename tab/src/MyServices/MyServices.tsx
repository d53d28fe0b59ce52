import {
  Badge,
  Body1,
  Caption1,
  Card,
  CardHeader,
  Link,
  Subtitle2,
  Switch,
  Title2,
} from '@fluentui/react-components';
import { chatsWords, durationWords } from '../../../core/domain/routing/reason-words';
import { licenseGapWords } from '../../../core/domain/routing/task-licenses';
import type { Api } from '../api/api-client';
import { membershipSchema, type MyService, type MyState } from '../api/schemas';
import { useAction } from '../api/use-action';
import { ErrorBar } from '../ErrorBar/ErrorBar';
import { reasonText } from '../live/reason-text';
import { MyStateCard } from '../MyStateCard/MyStateCard';
import { useMyServicesStyles } from './MyServices.styles';

export interface MyServicesProps {
  readonly state: MyState;
  /** Counts the tenant's changes the server told of (a website chat's new line is one). */
  readonly changes?: number;
  readonly now: number;
  readonly api: Api;
  /** Where a service's page is (the hash of the tab's URL). */
  readonly hrefOf: (serviceId: string) => string;
}

/** Available / Not available, for how long, and every reason why not, in words. */
export function AvailabilityLine(props: {
  readonly available: boolean;
  /** Null where the tenant hides time in state. */
  readonly since: string | null;
  readonly now: number;
  /** Holding chats (chats at once): available means for further chats only. */
  readonly holdingChats?: boolean;
}) {
  const styles = useMyServicesStyles();
  const available = props.holdingChats ? 'Available for chats' : 'Available';
  return (
    <div className={styles.state}>
      <Badge appearance="filled" color={props.available ? 'success' : 'danger'}>
        {props.available ? available : 'Not available'}
      </Badge>
      {props.since !== null && (
        <Caption1 className={styles.muted}>
          for {durationWords(props.now - Date.parse(props.since))}
        </Caption1>
      )}
    </div>
  );
}

function ServiceCard({ service, ...props }: MyServicesProps & { readonly service: MyService }) {
  const styles = useMyServicesStyles();
  const toggle = useAction();
  const names = new Map(props.state.services.map((s) => [s.serviceId, s.name]));
  const serviceName = (id: string) => names.get(id) ?? 'another service';
  const setActive = (active: boolean) =>
    toggle.run(async () => {
      await props.api.send(
        'PUT',
        `/me/services/${encodeURIComponent(service.serviceId)}/active`,
        { active },
        membershipSchema,
      );
    });
  return (
    <Card aria-label={service.name}>
      <CardHeader
        header={
          <Subtitle2 as="h3">
            <Link href={props.hrefOf(service.serviceId)}>{service.name}</Link>
          </Subtitle2>
        }
        description={<Caption1>{service.role === 'Member' ? 'Member' : 'Owner'}</Caption1>}
      />
      {service.assignmentType === 'SkillBased' ? (
        <Body1>
          Skill-based service: you get its tasks whenever your skills match, so there is no Active
          switch.
        </Body1>
      ) : (
        <Switch
          label={`Active in ${service.name}`}
          checked={service.active}
          disabled={toggle.busy}
          onChange={(_e, data) => void setActive(data.checked)}
        />
      )}
      <AvailabilityLine
        available={service.available}
        since={service.stateSince}
        now={props.now}
        holdingChats={props.state.chats.length > 0}
      />
      {service.available && props.state.chats.length > 0 && (
        <Body1>
          Only further chats come:{' '}
          {chatsWords(props.state.chats.length, service.chatsAtOnce).toLowerCase()}.
        </Body1>
      )}
      {service.reasons.length > 0 && (
        <ul className={styles.reasons} aria-label={`Why not available in ${service.name}`}>
          {service.reasons.map((reason) => (
            <li key={reason}>
              <Body1>
                {reasonText(reason, props.state, props.now, serviceName, service.chatsAtOnce)}
              </Body1>
            </li>
          ))}
        </ul>
      )}
      <ErrorBar error={toggle.error} />
    </Card>
  );
}

/** My Services: each of my services with my Active switch and whether I get tasks now. */
export function MyServices(props: MyServicesProps) {
  const styles = useMyServicesStyles();
  const names = new Map(props.state.services.map((s) => [s.serviceId, s.name]));
  const gaps = licenseGapWords(props.state.missingLicenses);
  return (
    <section className={styles.root} aria-label="My services">
      <Title2 as="h1">My services</Title2>
      <MyStateCard
        state={props.state}
        changes={props.changes ?? 0}
        now={props.now}
        api={props.api}
        serviceName={(id) => names.get(id) ?? 'another service'}
      />
      {gaps && <Body1 aria-label="Licenses">{gaps}</Body1>}
      {props.state.services.length === 0 ? (
        <Body1>
          You are not in any service yet. When a team you belong to is provisioned as a service, it
          appears here.
        </Body1>
      ) : (
        <div className={styles.list}>
          {props.state.services.map((service) => (
            <ServiceCard key={service.serviceId} service={service} {...props} />
          ))}
        </div>
      )}
    </section>
  );
}
