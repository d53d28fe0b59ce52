import { Badge, Button, Caption1 } from '@fluentui/react-components';
import {
  chatsWords,
  durationWords,
  modalityWords,
} from '../../../core/domain/routing/reason-words';
import type { BoardMember } from '../api/schemas';
import { useServicePageStyles } from './ServicePage.styles';

/**
 * What a member has in hand in this service (the oldest, where they hold several chats,
 * with how many they hold of how many the service allows): its subject and kind, for how long, a flag
 * when that is longer than the service usually takes, and (owners and admins) End task.
 */
export function TaskInHandCell(props: {
  readonly member: BoardMember;
  readonly now: number;
  readonly onEnd?: ((member: BoardMember) => void) | undefined;
  /** How many chats the service lets someone hold at once. */
  readonly chatsAtOnce?: number;
}) {
  const styles = useServicePageStyles();
  const task = props.member.inHand;
  if (!task) return <>—</>;
  const chats = props.member.agent.chats.length;
  const limit = props.chatsAtOnce ?? 1;
  const since = task.acceptedAt ? durationWords(props.now - Date.parse(task.acceptedAt)) : null;
  return (
    <div className={styles.inHand}>
      <span>
        {task.subject || '(no subject)'}
        <Caption1 block className={styles.skipped}>
          {modalityWords(task.modality)}
          {since && ` · for ${since}`}
          {limit > 1 && chats > 0 && ` · ${chatsWords(chats, limit)}`}
        </Caption1>
      </span>
      {task.longerThanUsual && (
        <Badge appearance="tint" color="warning" shape="rounded">
          Longer than usual
        </Badge>
      )}
      {props.onEnd && (
        <Button
          size="small"
          aria-label={`End task “${task.subject}” for ${props.member.displayName}`}
          onClick={() => props.onEnd?.(props.member)}
        >
          End task…
        </Button>
      )}
    </div>
  );
}
