import { Field, Textarea } from '@fluentui/react-components';
import { ActionDialog } from '../ActionDialog/ActionDialog';
import { useState } from 'react';
import type { BoardMember } from '../api/schemas';

/**
 * Asks why before a task someone accepted is ended for them: the reason is kept with the
 * task and shown on their card, and they are free for the next task at once.
 */
export function EndTaskDialog(props: {
  readonly member: BoardMember | null;
  readonly busy: boolean;
  readonly onConfirm: (member: BoardMember, reason: string) => void;
  readonly onClose: () => void;
}) {
  const { member } = props;
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
  const missing = reason.trim() === '';
  const close = () => {
    setReason('');
    setTried(false);
    props.onClose();
  };
  const confirm = () => {
    setTried(true);
    if (member && !missing) props.onConfirm(member, reason.trim());
  };
  return (
    <ActionDialog
      open={member !== null}
      title={`End “${member?.inHand?.subject ?? ''}” for ${member?.displayName ?? ''}?`}
      action="End the task"
      actionDisabled={props.busy}
      onAction={confirm}
      dismiss="Keep it"
      onClose={close}
    >
      <p>
        The task counts as completed and {member?.displayName ?? 'they'} can take the next one at
        once. Use this when they will not finish it themselves.
      </p>
      <Field
        label="Why is it ended? They will read this on their card."
        required
        validationState={tried && missing ? 'error' : 'none'}
        validationMessage={tried && missing ? 'Say why the task is ended.' : undefined}
      >
        <Textarea value={reason} maxLength={500} onChange={(_e, d) => setReason(d.value)} />
      </Field>
    </ActionDialog>
  );
}
