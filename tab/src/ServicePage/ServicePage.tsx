import {
  Body1,
  Button,
  Caption1,
  Spinner,
  Subtitle1,
  Switch,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Title2,
} from '@fluentui/react-components';
import { useEffect } from 'react';
import {
  durationWords,
  modalityWords,
  recordedReasonWords,
} from '../../../core/domain/routing/reason-words';
import type { Api } from '../api/api-client';
import {
  anything,
  boardSchema,
  queueSchema,
  type BoardMember,
  type MyState,
  type QueuedTask,
} from '../api/schemas';
import { useAction } from '../api/use-action';
import { useLoad } from '../api/use-load';
import { ErrorBar } from '../ErrorBar/ErrorBar';
import { clockTime, reasonText } from '../live/reason-text';
import { AvailabilityLine } from '../MyServices/MyServices';
import { MyStateCard } from '../MyStateCard/MyStateCard';
import { useServicePageStyles } from './ServicePage.styles';

export interface ServicePageProps {
  readonly api: Api;
  readonly tenantId: string;
  readonly serviceId: string;
  readonly myState: MyState | null;
  readonly now: number;
  /** Owners and admins may switch members and open the settings. */
  readonly canManage: boolean;
  /** Bumps when the server says something changed: the page loads again. */
  readonly changes: number;
  readonly onSettings: () => void;
}

function MemberRow(props: {
  readonly member: BoardMember;
  readonly now: number;
  readonly canManage: boolean;
  readonly onToggle: (member: BoardMember, active: boolean) => void;
  readonly busy: boolean;
}) {
  const { member } = props;
  const styles = useServicePageStyles();
  return (
    <TableRow>
      <TableCell>{member.displayName}</TableCell>
      <TableCell>{member.role === 'Member' ? 'Member' : 'Owner'}</TableCell>
      <TableCell>
        {props.canManage ? (
          <Switch
            aria-label={`${member.displayName} active`}
            checked={member.active}
            disabled={props.busy}
            onChange={(_e, d) => props.onToggle(member, d.checked)}
          />
        ) : member.active ? (
          'Active'
        ) : (
          'Off'
        )}
      </TableCell>
      <TableCell>
        <AvailabilityLine available={member.available} since={member.stateSince} now={props.now} />
      </TableCell>
      <TableCell className={styles.reasons}>
        {member.reasons
          .map((r) =>
            reasonText(r, member.agent, props.now, () => member.engagedIn ?? 'another service'),
          )
          .join(' · ')}
      </TableCell>
    </TableRow>
  );
}

/** "Rang Adele Vance, Isaiah Lee" and the last decision's skips, or "Not yet". */
function TriedCell(props: { readonly task: QueuedTask; readonly nameOf: (id: string) => string }) {
  const styles = useServicePageStyles();
  const { decisions } = props.task;
  const last = decisions.at(-1);
  if (!last) return <>Not yet</>;
  const rang = [...new Set(decisions.flatMap((d) => d.offeredTo))].map(props.nameOf);
  const skipped = last.skipped.map(
    (s) => `${props.nameOf(s.userId)} (${s.reasons.map(recordedReasonWords).join(', ')})`,
  );
  return (
    <>
      {rang.length ? `Rang ${rang.join(', ')}` : 'Rang nobody'}
      {skipped.length > 0 && (
        <Caption1 block className={styles.skipped}>
          At {clockTime(Date.parse(last.at))}, skipped {skipped.join(' · ')}
        </Caption1>
      )}
    </>
  );
}

function QueueTable({
  queue,
  now,
  nameOf,
}: {
  readonly queue: readonly QueuedTask[];
  readonly now: number;
  readonly nameOf: (id: string) => string;
}) {
  if (queue.length === 0) return <Body1>No task is waiting.</Body1>;
  return (
    <Table aria-label="Queue in serving order" size="small">
      <TableHeader>
        <TableRow>
          <TableHeaderCell>#</TableHeaderCell>
          <TableHeaderCell>Subject</TableHeaderCell>
          <TableHeaderCell>Modality</TableHeaderCell>
          <TableHeaderCell>Priority</TableHeaderCell>
          <TableHeaderCell>Waiting</TableHeaderCell>
          <TableHeaderCell>Tried so far</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {queue.map((task, i) => (
          <TableRow key={task.taskId}>
            <TableCell>{i + 1}</TableCell>
            <TableCell>{task.subject || '(no subject)'}</TableCell>
            <TableCell>{modalityWords(task.modality)}</TableCell>
            <TableCell>{task.priority}</TableCell>
            <TableCell>
              {task.enqueuedAt ? durationWords(now - Date.parse(task.enqueuedAt)) : '—'}
            </TableCell>
            <TableCell>
              <TriedCell task={task} nameOf={nameOf} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** A service: its members and who is free now, its queue in serving order, and my state. */
export function ServicePage(props: ServicePageProps) {
  const styles = useServicePageStyles();
  const base = `/tenants/${encodeURIComponent(props.tenantId)}/services/${encodeURIComponent(props.serviceId)}`;
  const board = useLoad(() => props.api.get(`${base}/members`, boardSchema), [base]);
  const queue = useLoad(() => props.api.get(`${base}/queue`, queueSchema), [base]);
  const toggle = useAction();
  const { reload: reloadBoard } = board;
  const { reload: reloadQueue } = queue;
  useEffect(() => {
    if (props.changes === 0) return;
    const timer = setTimeout(() => {
      reloadBoard();
      reloadQueue();
    }, 250);
    return () => clearTimeout(timer);
  }, [props.changes, reloadBoard, reloadQueue]);
  const onToggle = (member: BoardMember, active: boolean) =>
    void toggle.run(async () => {
      await props.api.send(
        'PUT',
        `${base}/members/${encodeURIComponent(member.userId)}`,
        { active },
        anything,
      );
      reloadBoard();
    });
  const mine = props.myState?.services.find((s) => s.serviceId === props.serviceId);
  const nameOf = (userId: string) =>
    board.data?.members.find((m) => m.userId === userId)?.displayName ?? userId;
  return (
    <section className={styles.root} aria-label="Service">
      <div className={styles.header}>
        <Title2 as="h1" className={styles.grow}>
          {board.data?.name ?? mine?.name ?? 'Service'}
        </Title2>
        {props.canManage && <Button onClick={props.onSettings}>Service settings</Button>}
      </div>
      {props.myState && mine && (
        <MyStateCard
          state={props.myState}
          now={props.now}
          api={props.api}
          serviceName={(id) =>
            props.myState?.services.find((s) => s.serviceId === id)?.name ?? 'another service'
          }
        />
      )}
      <Subtitle1 as="h2">Members</Subtitle1>
      <ErrorBar error={board.error} title="The members could not be loaded" />
      <ErrorBar error={toggle.error} />
      {board.loading && !board.data && <Spinner label="Loading members…" />}
      {board.data && (
        <Table aria-label="Members" size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Name</TableHeaderCell>
              <TableHeaderCell>Role</TableHeaderCell>
              <TableHeaderCell>Active</TableHeaderCell>
              <TableHeaderCell>Now</TableHeaderCell>
              <TableHeaderCell>Why not</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {board.data.members.map((member) => (
              <MemberRow
                key={member.userId}
                member={member}
                now={props.now}
                canManage={props.canManage}
                onToggle={onToggle}
                busy={toggle.busy}
              />
            ))}
          </TableBody>
        </Table>
      )}
      <Subtitle1 as="h2">Queue</Subtitle1>
      <ErrorBar error={queue.error} title="The queue could not be loaded" />
      {queue.loading && !queue.data && <Spinner label="Loading the queue…" />}
      {queue.data && <QueueTable queue={queue.data} now={props.now} nameOf={nameOf} />}
    </section>
  );
}
