import { Button, MessageBar, MessageBarBody } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { ApiProblem } from '../api/api-problem';
import type { SettingsForm } from '../api/use-settings-form';
import { ErrorBar } from '../ErrorBar/ErrorBar';
import { useSaveBarStyles } from './SaveBar.styles';

export interface SaveBarProps {
  readonly form: Pick<SettingsForm<unknown>, 'busy' | 'error' | 'saved' | 'submit' | 'discard'>;
  /** What a successful save means, in the page's words. */
  readonly savedText: string;
  /** More buttons after Save and Discard (e.g. Back). */
  readonly children?: ReactNode;
}

/** The end of a settings form: why nothing was saved, that it was, and Save / Discard. */
export function SaveBar({ form, savedText, children }: SaveBarProps) {
  const styles = useSaveBarStyles();
  const fieldsRefused = form.error instanceof ApiProblem && form.error.fields.length > 0;
  return (
    <div className={styles.root}>
      {fieldsRefused ? (
        <MessageBar intent="error">
          <MessageBarBody>Nothing was saved: correct the fields marked in red.</MessageBarBody>
        </MessageBar>
      ) : (
        <ErrorBar error={form.error} title="Nothing was saved" />
      )}
      {form.saved && (
        <MessageBar intent="success">
          <MessageBarBody>{savedText}</MessageBarBody>
        </MessageBar>
      )}
      <div className={styles.actions}>
        <Button appearance="primary" disabled={form.busy} onClick={form.submit}>
          {form.busy ? 'Saving…' : 'Save'}
        </Button>
        <Button disabled={form.busy} onClick={form.discard}>
          Discard changes
        </Button>
        {children}
      </div>
    </div>
  );
}
