import {
  Body1,
  Button,
  Caption1,
  MessageBar,
  MessageBarBody,
  Select,
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
import { useEffect, useMemo, useState } from 'react';
import { MEMBER_ROLES, MEMBER_ROLE_WORDS } from '../../../core/domain/service';
import { PRIORITY_WORDS } from '../../../core/domain/service-settings';
import { ActionDialog } from '../ActionDialog/ActionDialog';
import {
  durationWords,
  modalityWords,
  recordedReasonWords,
} from '../../../core/domain/routing/reason-words';
import type { Api } from '../api/api-client';
import {
  anything,
  boardSchema,
  createdTaskSchema,
  queuePageSchema,
  serviceDetailSchema,
  type BoardMember,
  type MyState,
  type QueuedTask,
} from '../api/schemas';
import { useAction } from '../api/use-action';
import { ApiProblem } from '../api/api-problem';
import { useLoad } from '../api/use-load';
import { usePages } from '../api/use-pages';
import { ErrorBar } from '../ErrorBar/ErrorBar';
import { TableRegion } from '../TableRegion/TableRegion';
import { clockTime, reasonText } from '../live/reason-text';
import { licenseGapShort } from '../../../core/domain/routing/task-licenses';
import { AvailabilityLine } from '../MyServices/MyServices';
import { MyStateCard } from '../MyStateCard/MyStateCard';
import { EndTaskDialog } from './EndTaskDialog';
import { useServicePageStyles } from './ServicePage.styles';
import { TaskInHandCell } from './TaskInHandCell';
import { AgentsSection } from './AgentsSection';

export interface ServicePageProps {
  readonly api: Api;
  readonly tenantId: string;
  readonly serviceId: string;
  readonly myState: MyState | null;
  readonly now: number;
  /** Owners and admins may switch members and open the settings. */
  readonly canManage: boolean;
  /** Admins (tenant or OU) add and remove the agents of skill-based services. */
  readonly admin?: boolean;
  /** Bumps when the server says something changed: the page loads again. */
  readonly changes: number;
  readonly onSettings: () => void;
  /** Opens the service's dashboard (everyone who may see the service may see it). */
  readonly onDashboard?: () => void;
}

function MemberRow(props: {
  readonly member: BoardMember;
  readonly now: number;
  readonly canManage: boolean;
  /** Skill-based: agents have no Active switch (the policy picks by skills). */
  readonly skillBased: boolean;
  readonly onToggle: (member: BoardMember, active: boolean) => void;
  /** Owners and admins change who owns the service; absent for everyone else. */
  readonly onRole?: ((member: BoardMember, role: BoardMember['role']) => void) | undefined;
  readonly busy: boolean;
  /** Owners and admins may end a task someone accepted; absent for everyone else. */
  readonly onEnd?: ((member: BoardMember) => void) | undefined;
  /** How many chats the service lets someone hold at once. */
  readonly chatsAtOnce: number;
}) {
  const { member } = props;
  const styles = useServicePageStyles();
  return (
    <TableRow>
      <TableCell>{member.displayName}</TableCell>
      <TableCell>
        {props.onRole ? (
          <Select
            aria-label={`Role of ${member.displayName}`}
            value={member.role}
            disabled={props.busy}
            onChange={(_e, d) => {
              const role = MEMBER_ROLES.find((r) => r === d.value);
              if (role) props.onRole?.(member, role);
            }}
          >
            {MEMBER_ROLES.map((r) => (
              <option key={r} value={r}>
                {MEMBER_ROLE_WORDS[r]}
              </option>
            ))}
          </Select>
        ) : (
          MEMBER_ROLE_WORDS[member.role]
        )}
      </TableCell>
      <TableCell>
        {props.skillBased ? (
          'By skills'
        ) : props.canManage ? (
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
        <AvailabilityLine
          available={member.available}
          since={member.stateSince}
          now={props.now}
          holdingChats={member.agent.chats.length > 0}
        />
      </TableCell>
      <TableCell className={styles.reasons}>
        {[
          ...member.reasons.map((r) =>
            reasonText(
              r,
              member.agent,
              props.now,
              () => member.engagedIn ?? 'another service',
              props.chatsAtOnce,
            ),
          ),
          ...[licenseGapShort(member.missingLicenses) ?? []].flat(),
        ].join(' · ')}
      </TableCell>
      <TableCell>
        <TaskInHandCell
          member={member}
          now={props.now}
          onEnd={props.onEnd}
          chatsAtOnce={props.chatsAtOnce}
        />
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

const subjectOf = (task: QueuedTask) => task.subject || '(no subject)';

/** Asks before a waiting task is canceled: nobody gets it afterwards, and it cannot be undone. */
function CancelDialog(props: {
  readonly task: QueuedTask | null;
  readonly busy: boolean;
  readonly onConfirm: (task: QueuedTask) => void;
  readonly onClose: () => void;
}) {
  const { task } = props;
  return (
    <ActionDialog
      open={task !== null}
      title={`Cancel “${task ? subjectOf(task) : ''}”?`}
      action="Cancel the task"
      actionDisabled={props.busy}
      onAction={() => task && props.onConfirm(task)}
      dismiss="Keep it"
      onClose={props.onClose}
    >
      Nobody will be offered this task any more. This cannot be undone.
    </ActionDialog>
  );
}

/** Why a service page is not there for the viewer, in one sentence (null: it is). */
function closedWords(error: unknown): string | null {
  if (!(error instanceof ApiProblem)) return null;
  if (error.status === 404)
    return 'There is no service at this address: it may have been deleted. My services lists yours.';
  if (error.status === 403)
    return 'This service’s page is for its members, its owners and admins: you are none of them. Ask an owner of the service to add you.';
  return null;
}

function QueueTable({
  queue,
  now,
  nameOf,
  onCancel,
}: {
  readonly queue: readonly QueuedTask[];
  readonly now: number;
  readonly nameOf: (id: string) => string;
  /** Owners and admins may cancel a waiting task; absent for everyone else. */
  readonly onCancel?: ((task: QueuedTask) => void) | undefined;
}) {
  if (queue.length === 0) return <Body1>No task is waiting.</Body1>;
  return (
    <TableRegion label="Queue list">
      <Table aria-label="Queue in serving order" size="small">
        <TableHeader>
          <TableRow>
            <TableHeaderCell>#</TableHeaderCell>
            <TableHeaderCell>Subject</TableHeaderCell>
            <TableHeaderCell>Modality</TableHeaderCell>
            <TableHeaderCell>Priority</TableHeaderCell>
            <TableHeaderCell>Waiting</TableHeaderCell>
            <TableHeaderCell>Tried so far</TableHeaderCell>
            {onCancel && <TableHeaderCell>Action</TableHeaderCell>}
          </TableRow>
        </TableHeader>
        <TableBody>
          {queue.map((task, i) => (
            <TableRow key={task.taskId}>
              <TableCell>{i + 1}</TableCell>
              <TableCell>{subjectOf(task)}</TableCell>
              <TableCell>{modalityWords(task.modality)}</TableCell>
              <TableCell>{PRIORITY_WORDS[task.priority]}</TableCell>
              <TableCell>
                {task.enqueuedAt ? durationWords(now - Date.parse(task.enqueuedAt)) : '—'}
              </TableCell>
              <TableCell>
                <TriedCell task={task} nameOf={nameOf} />
              </TableCell>
              {onCancel && (
                <TableCell>
                  <Button
                    size="small"
                    aria-label={`Cancel “${subjectOf(task)}”`}
                    onClick={() => onCancel(task)}
                  >
                    Cancel…
                  </Button>
                </TableCell>
              )}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableRegion>
  );
}

/** The queue a page at a time: 50 tasks per page. */
const QUEUE_PAGES = {
  schema: queuePageSchema,
  size: 50,
  itemsOf: (page: { readonly items: readonly QueuedTask[] }) => page.items,
  keyOf: (task: QueuedTask) => task.taskId,
};
/** The members a page at a time: 200 per page (most services fit in one). */
const MEMBER_PAGES = {
  schema: boardSchema,
  size: 200,
  itemsOf: (board: { readonly members: readonly BoardMember[] }) => board.members,
  keyOf: (member: BoardMember) => member.userId,
};

/** A service: its members and who is free now, its queue in serving order, and my state. */
export function ServicePage(props: ServicePageProps) {
  const styles = useServicePageStyles();
  const base = `/tenants/${encodeURIComponent(props.tenantId)}/services/${encodeURIComponent(props.serviceId)}`;
  const board = usePages({ api: props.api, path: `${base}/members`, ...MEMBER_PAGES });
  const queue = usePages({ api: props.api, path: `${base}/queue`, ...QUEUE_PAGES });
  // What the latest page says of the service, with every member loaded so far, by name.
  const { page: boardPage, items: loadedMembers } = board;
  const boardData = useMemo(
    () =>
      boardPage && loadedMembers
        ? {
            ...boardPage,
            members: [...loadedMembers].sort((a, b) => a.displayName.localeCompare(b.displayName)),
          }
        : undefined,
    [boardPage, loadedMembers],
  );
  const detail = useLoad(() => props.api.get(base, serviceDetailSchema), [base]);
  const skillBased = detail.data?.assignmentType === 'SkillBased';
  const toggle = useAction();
  const cancel = useAction();
  const test = useAction();
  const [tested, setTested] = useState<string | null>(null);
  const sendTest = () =>
    void test.run(async () => {
      const made = await props.api.send(
        'POST',
        `${base}/tasks`,
        { modality: 'ExternalTask', subject: 'Test task from the tab' },
        createdTaskSchema,
      );
      setTested(
        made.exit === 'NoOneAvailable'
          ? 'The test task is waiting: nobody is free for it now.'
          : 'The test task is ringing: see whom below, and in their Teams chat.',
      );
      reloadQueue();
      reloadBoard();
    });
  const [canceling, setCanceling] = useState<QueuedTask | null>(null);
  const end = useAction();
  const [ending, setEnding] = useState<BoardMember | null>(null);
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
  const onRole = (member: BoardMember, role: BoardMember['role']) =>
    void toggle.run(async () => {
      await props.api.send(
        'PUT',
        `${base}/members/${encodeURIComponent(member.userId)}/role`,
        { role },
        anything,
      );
      reloadBoard();
    });
  const onCancel = (task: QueuedTask) =>
    void cancel.run(async () => {
      try {
        await props.api.send(
          'POST',
          `/tasks/${encodeURIComponent(task.taskId)}/cancel`,
          undefined,
          anything,
        );
      } finally {
        setCanceling(null);
        reloadQueue();
      }
    });
  const onEnd = (member: BoardMember, reason: string) =>
    void end.run(async () => {
      try {
        await props.api.send(
          'POST',
          `/tasks/${encodeURIComponent(member.inHand?.taskId ?? '')}/end`,
          { reason },
          anything,
        );
      } finally {
        setEnding(null);
        reloadBoard();
        reloadQueue();
      }
    });
  const mine = props.myState?.services.find((s) => s.serviceId === props.serviceId);
  const closed = closedWords(board.error);
  if (closed)
    return (
      <section className={styles.root} aria-label="Service">
        <Title2 as="h1">Service not available</Title2>
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>{closed}</MessageBarBody>
        </MessageBar>
      </section>
    );
  const nameOf = (userId: string) =>
    boardData?.members.find((m) => m.userId === userId)?.displayName ?? userId;
  return (
    <section className={styles.root} aria-label="Service">
      <div className={styles.header}>
        <Title2 as="h1" className={styles.grow}>
          {boardData?.name ?? mine?.name ?? 'Service'}
        </Title2>
        {props.canManage && (
          <Button disabled={test.busy} onClick={sendTest}>
            Send a test task
          </Button>
        )}
        {props.onDashboard && <Button onClick={props.onDashboard}>Dashboard</Button>}
        {props.canManage && <Button onClick={props.onSettings}>Service settings</Button>}
      </div>
      <ErrorBar error={test.error} title="No test task was sent" />
      {tested && (
        <MessageBar intent="info">
          <MessageBarBody>{tested}</MessageBarBody>
        </MessageBar>
      )}
      {props.myState && mine && (
        <MyStateCard
          state={props.myState}
          changes={props.changes}
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
      <ErrorBar error={end.error} title="The task could not be ended" />
      {board.loading && !boardData && <Spinner label="Loading members…" />}
      {boardData && (
        <TableRegion label="Members list">
          <Table aria-label="Members" size="small">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Name</TableHeaderCell>
                <TableHeaderCell>Role</TableHeaderCell>
                <TableHeaderCell>Active</TableHeaderCell>
                <TableHeaderCell>Now</TableHeaderCell>
                <TableHeaderCell>Why not</TableHeaderCell>
                <TableHeaderCell>Task in hand</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {boardData.members.map((member) => (
                <MemberRow
                  key={member.userId}
                  member={member}
                  now={props.now}
                  canManage={props.canManage}
                  skillBased={skillBased}
                  onToggle={onToggle}
                  onRole={boardData?.viewerMayEdit ? onRole : undefined}
                  busy={toggle.busy}
                  onEnd={boardData?.viewerMayEdit ? setEnding : undefined}
                  chatsAtOnce={boardData?.chatsAtOnce ?? 1}
                />
              ))}
            </TableBody>
          </Table>
        </TableRegion>
      )}
      {boardData && board.hasMore && (
        <div className={styles.addRow}>
          <Body1>
            {boardData.members.length} of {boardData.total ?? boardData.members.length} members
            shown.
          </Body1>
          <Button disabled={board.loading} onClick={board.more}>
            {board.loading ? 'Loading…' : `Show ${MEMBER_PAGES.size} more members`}
          </Button>
        </div>
      )}
      {skillBased && props.admin && boardData && (
        <AgentsSection
          api={props.api}
          tenantId={props.tenantId}
          base={base}
          members={boardData.members}
          onChanged={reloadBoard}
        />
      )}
      <Subtitle1 as="h2">Queue</Subtitle1>
      <ErrorBar error={queue.error} title="The queue could not be loaded" />
      {queue.loading && !queue.items && <Spinner label="Loading the queue…" />}
      <ErrorBar error={cancel.error} title="The task could not be canceled" />
      {queue.items && (
        <QueueTable
          queue={queue.items}
          now={props.now}
          nameOf={nameOf}
          onCancel={props.canManage ? setCanceling : undefined}
        />
      )}
      {queue.items && queue.hasMore && (
        <div className={styles.addRow}>
          <Body1>
            The first {queue.items.length} of {queue.page?.waiting ?? 0} waiting tasks, in the order
            they will be served.
          </Body1>
          <Button disabled={queue.loading} onClick={queue.more}>
            {queue.loading ? 'Loading…' : `Show ${QUEUE_PAGES.size} more`}
          </Button>
        </div>
      )}
      {/* A dialog per task: a reason typed for one task never shows up for the next. */}
      <EndTaskDialog
        key={ending?.inHand?.taskId ?? 'none'}
        member={ending}
        busy={end.busy}
        onConfirm={onEnd}
        onClose={() => setEnding(null)}
      />
      <CancelDialog
        task={canceling}
        busy={cancel.busy}
        onConfirm={onCancel}
        onClose={() => setCanceling(null)}
      />
    </section>
  );
}
