import {
  Body1,
  Button,
  Caption1,
  Field,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import type { Api } from '../api/api-client';
import { anything, chatTranscriptSchema } from '../api/schemas';
import { useAction } from '../api/use-action';
import { useLoad } from '../api/use-load';
import { ErrorBar } from '../ErrorBar/ErrorBar';
import { clockTime } from '../live/reason-text';

const useStyles = makeStyles({
  lines: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    maxHeight: '320px',
    overflowY: 'auto',
    padding: tokens.spacingVerticalS,
    backgroundColor: tokens.colorNeutralBackground2,
    borderRadius: tokens.borderRadiusMedium,
  },
  line: {
    maxWidth: '85%',
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalM}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
  },
  mine: { alignSelf: 'flex-end', backgroundColor: tokens.colorBrandBackground2 },
  who: { display: 'block', color: tokens.colorNeutralForeground3 },
  reply: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'flex-end' },
  field: { flexGrow: 1 },
});

export interface ChatPanelProps {
  readonly api: Api;
  readonly taskId: string;
  /** Changes whenever the server tells of a change (the live view): the lines are read again. */
  readonly version: number;
  /** Whether I may still write (the chat is in my hands). */
  readonly open: boolean;
}

/** A website chat in my hands: its lines, and a box to reply to the customer. */
export function ChatPanel({ api, taskId, version, open }: ChatPanelProps) {
  const styles = useStyles();
  const [text, setText] = useState('');
  const [sent, setSent] = useState(0);
  const path = `/tasks/${encodeURIComponent(taskId)}/chat`;
  const chat = useLoad(() => api.get(path, chatTranscriptSchema), [path, version, sent]);
  const send = useAction();
  const reply = () =>
    send.run(async () => {
      await api.send('POST', `${path}/messages`, { text }, anything);
      setText('');
      setSent((n) => n + 1);
    });
  const data = chat.data;
  return (
    <section aria-label="Website chat">
      {data && (
        <div className={styles.lines} role="log" aria-label={`Chat with ${data.customerName}`}>
          {data.messages.length === 0 && (
            <Caption1>{data.customerName} has not written yet.</Caption1>
          )}
          {data.messages.map((m) => (
            <div key={m.key} className={`${styles.line} ${m.from === 'agent' ? styles.mine : ''}`}>
              <Caption1 className={styles.who}>
                {m.from === 'customer' ? data.customerName : 'You'} · {clockTime(Date.parse(m.at))}
              </Caption1>
              <Body1>{m.text}</Body1>
            </div>
          ))}
        </div>
      )}
      {data?.leftAt && <Body1>{data.customerName} left the chat. End it when you are done.</Body1>}
      {open && data && !data.leftAt && (
        <form
          className={styles.reply}
          onSubmit={(event) => {
            event.preventDefault();
            if (text.trim()) void reply();
          }}
        >
          <Field label={`Reply to ${data.customerName}`} className={styles.field}>
            <Textarea value={text} maxLength={2000} onChange={(_e, d) => setText(d.value)} />
          </Field>
          <Button type="submit" appearance="primary" disabled={send.busy || !text.trim()}>
            Send
          </Button>
        </form>
      )}
      <ErrorBar error={chat.error} title="The chat could not be loaded" />
      <ErrorBar error={send.error} />
    </section>
  );
}
