import {
  Body1,
  Button,
  Card,
  CardHeader,
  Link,
  PresenceBadge,
  Subtitle2,
  type PresenceBadgeStatus,
} from '@fluentui/react-components';
import {
  minutesSeconds,
  modalityWords,
  presenceWords,
} from '../../../core/domain/routing/reason-words';
import type { Presence } from '../../../core/domain/routing/presence';
import {
  anything,
  offersSchema,
  takenTaskSchema,
  type MyState,
  type Offer,
  type TakenTask,
} from '../api/schemas';
import { useAction } from '../api/use-action';
import { useLoad } from '../api/use-load';
import type { Api } from '../api/api-client';
import { ErrorBar } from '../ErrorBar/ErrorBar';
import { ChatPanel } from '../ChatPanel/ChatPanel';
import { clockTime } from '../live/reason-text';
import { useMyStateCardStyles } from './MyStateCard.styles';

const BADGE: Record<Presence, PresenceBadgeStatus> = {
  Available: 'available',
  Busy: 'busy',
  BusyInMeeting: 'busy',
  Away: 'away',
  DoNotDisturb: 'do-not-disturb',
  Offline: 'offline',
};

export interface MyStateCardProps {
  readonly state: MyState;
  /** Counts the tenant's changes the server told of: a website chat's lines are read again on each. */
  readonly changes?: number;
  readonly now: number;
  readonly api: Api;
  readonly serviceName: (serviceId: string) => string;
}

function engagementText(state: MyState, now: number, serviceName: (id: string) => string) {
  const e = state.engagement;
  if (!e) return 'No task right now.';
  const service = serviceName(e.serviceId);
  if (e.kind === 'offered') return `A task of ${service} is ringing for you.`;
  if (e.kind === 'accepted') return `On a task of ${service}.`;
  return `In after-call work for ${service} — ${minutesSeconds(Date.parse(e.until) - now)} left.`;
}

/** "Call: VPN down — since 10:42 (3:12)": the task I took, from its record. */
function takenText(task: TakenTask, now: number) {
  const what = `${modalityWords(task.modality)}: ${task.subject || '(no subject)'}`;
  if (task.acceptedAt === null) return what;
  const since = Date.parse(task.acceptedAt);
  return `${what} — since ${clockTime(since)} (${minutesSeconds(now - since)})`;
}

/** "Call: VPN down — answer within 0:32": what rings, from my offers. */
function offerText(offer: Offer, now: number) {
  const what = `${modalityWords(offer.modality)}: ${offer.subject || '(no subject)'}`;
  const ends = offer.offerExpiresAt === null ? null : Date.parse(offer.offerExpiresAt);
  return ends === null ? what : `${what} — answer within ${minutesSeconds(ends - now)}`;
}

/** Where the task itself is, opened in a new window (the tab stays). */
function TaskLink({ link }: { readonly link: string | null }) {
  if (!link) return null;
  return (
    <Link href={link} target="_blank" rel="noopener noreferrer">
      Open the task
    </Link>
  );
}

/**
 * "My state": presence, the task or after-call work I am in, RONA, and what I can do about
 * it: accept or decline what rings, complete what I took (as the card in my Teams chat does).
 */
export function MyStateCard({ state, changes = 0, now, api, serviceName }: MyStateCardProps) {
  const styles = useMyStateCardStyles();
  const action = useAction();
  const post = (path: string) =>
    action.run(async () => {
      await api.send('POST', path, {}, anything);
    });
  const engaged = state.engagement;
  const ringing = engaged?.kind === 'offered' ? engaged.taskId : null;
  const offers = useLoad(
    () => (ringing ? api.get('/me/offers', offersSchema) : Promise.resolve([])),
    [ringing],
  );
  const offer = offers.data?.find((o) => o.taskId === ringing);
  // The task in my hands (or just ended, in after-call work): what it is and since when.
  const taken = engaged && engaged.kind !== 'offered' ? engaged.taskId : null;
  const task = useLoad(
    () =>
      taken
        ? api.get(`/tasks/${encodeURIComponent(taken)}`, takenTaskSchema)
        : Promise.resolve(null),
    [taken],
  );
  const act = (verb: 'accept' | 'decline' | 'complete') => {
    if (engaged) void post(`/tasks/${encodeURIComponent(engaged.taskId)}/${verb}`);
  };
  const acw = state.engagement?.kind === 'acw' ? state.engagement : null;
  const ronaEnds = state.ronaUntil === null ? null : Date.parse(state.ronaUntil);
  const ronaUntil = ronaEnds !== null && ronaEnds > now ? ronaEnds : null;
  return (
    <Card aria-label="My state">
      <CardHeader
        image={<PresenceBadge status={BADGE[state.presence]} size="large" />}
        header={<Subtitle2 as="h2">My state</Subtitle2>}
        description={<Body1>{presenceWords(state.presence)} in Teams</Body1>}
      />
      <div className={styles.body}>
        <Body1>{engagementText(state, now, serviceName)}</Body1>
        {ringing && offer && <Body1>{offerText(offer, now)}</Body1>}
        {taken && task.data && <Body1>{takenText(task.data, now)}</Body1>}
        {taken && <ErrorBar error={task.error} title="The task’s details could not be loaded" />}
        <TaskLink link={(ringing ? offer?.link : task.data?.link) ?? null} />
        {taken && task.data?.channel === 'interact' && (
          <ChatPanel
            api={api}
            taskId={taken}
            version={changes}
            open={engaged?.kind === 'accepted'}
          />
        )}
        {ronaUntil !== null && (
          <Body1>You missed a task: no new ones until {clockTime(ronaUntil)}.</Body1>
        )}
        <div className={styles.actions}>
          {ringing && (
            <>
              <Button appearance="primary" disabled={action.busy} onClick={() => act('accept')}>
                Accept
              </Button>
              <Button disabled={action.busy} onClick={() => act('decline')}>
                Decline
              </Button>
            </>
          )}
          {engaged?.kind === 'accepted' && (
            <Button appearance="primary" disabled={action.busy} onClick={() => act('complete')}>
              {task.data?.channel === 'interact' ? 'End chat' : 'Complete'}
            </Button>
          )}
          {acw?.allowEarlyEnd && (
            <Button
              appearance="primary"
              disabled={action.busy}
              onClick={() => void post('/me/acw/end')}
            >
              End after-call work
            </Button>
          )}
          {acw?.allowExtension && (
            <Button disabled={action.busy} onClick={() => void post('/me/acw/extend')}>
              Extend to {minutesSeconds(acw.maxExtensionSec * 1000)}
            </Button>
          )}
          {ronaUntil !== null && (
            <Button disabled={action.busy} onClick={() => void post('/me/rona/reset')}>
              I&apos;m back: take tasks again
            </Button>
          )}
        </div>
        <ErrorBar error={action.error} />
      </div>
    </Card>
  );
}
