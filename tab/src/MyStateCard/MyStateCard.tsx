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
  const [first] = state.chats;
  const chats =
    state.chats.length > 1
      ? `In ${state.chats.length} chats.`
      : first
        ? `On a chat of ${serviceName(first.serviceId)}.`
        : null;
  if (!e) return chats ?? 'No task right now.';
  const service = serviceName(e.serviceId);
  const also = chats ? ` ${chats}` : '';
  if (e.kind === 'offered') return `A task of ${service} is ringing for you.${also}`;
  if (e.kind === 'accepted') return `On a task of ${service}.`;
  return `In after-call work for ${service} — ${minutesSeconds(Date.parse(e.until) - now)} left.${also}`;
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
 * A task in my hands (or just ended, in after-call work): what it is and since when, its
 * link, a website chat's lines and reply box, and Complete (End chat).
 */
function TakenTaskBlock(props: {
  readonly taskId: string;
  readonly open: boolean;
  readonly changes: number;
  readonly now: number;
  readonly api: Api;
}) {
  const { taskId, open, api } = props;
  const action = useAction();
  const task = useLoad(
    () => api.get(`/tasks/${encodeURIComponent(taskId)}`, takenTaskSchema),
    [taskId],
  );
  const chat = task.data?.channel === 'interact';
  return (
    <div
      role="group"
      aria-label={
        task.data
          ? `${modalityWords(task.data.modality)}: ${task.data.subject || '(no subject)'}`
          : 'Task in hand'
      }
    >
      {task.data && <Body1>{takenText(task.data, props.now)}</Body1>}
      <ErrorBar error={task.error} title="The task’s details could not be loaded" />
      <TaskLink link={task.data?.link ?? null} />
      {chat && <ChatPanel api={api} taskId={taskId} version={props.changes} open={open} />}
      {open && (
        <div>
          <Button
            appearance="primary"
            disabled={action.busy}
            onClick={() =>
              void action.run(async () => {
                await api.send(
                  'POST',
                  `/tasks/${encodeURIComponent(taskId)}/complete`,
                  {},
                  anything,
                );
              })
            }
          >
            {chat ? 'End chat' : 'Complete'}
          </Button>
        </div>
      )}
      <ErrorBar error={action.error} />
    </div>
  );
}

/**
 * "My state": presence, the tasks or after-call work I am in (several chats at once where a
 * service allows), RONA, and what I can do about it: accept or decline what rings,
 * complete what I took (as the card in my Teams chat does).
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
  // The tasks in my hands (the chats I hold, the one task I took), and the one just ended in ACW.
  const taken = [
    ...state.chats.map((c) => ({ taskId: c.taskId, open: true })),
    ...(engaged && engaged.kind !== 'offered'
      ? [{ taskId: engaged.taskId, open: engaged.kind === 'accepted' }]
      : []),
  ];
  const answer = (verb: 'accept' | 'decline') => {
    if (ringing) void post(`/tasks/${encodeURIComponent(ringing)}/${verb}`);
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
        {ringing && <TaskLink link={offer?.link ?? null} />}
        {taken.map(({ taskId, open }) => (
          <TakenTaskBlock
            key={taskId}
            taskId={taskId}
            open={open}
            changes={changes}
            now={now}
            api={api}
          />
        ))}
        {ronaUntil !== null && (
          <Body1>You missed a task: no new ones until {clockTime(ronaUntil)}.</Body1>
        )}
        <div className={styles.actions}>
          {ringing && (
            <>
              <Button appearance="primary" disabled={action.busy} onClick={() => answer('accept')}>
                Accept
              </Button>
              <Button disabled={action.busy} onClick={() => answer('decline')}>
                Decline
              </Button>
            </>
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
