import { Button, Field, Input } from '@fluentui/react-components';
import { useState, type ReactNode } from 'react';
import { ActionDialog } from '../ActionDialog/ActionDialog';
import { useTenantSettingsStyles } from './TenantSettings.styles';

/**
 * A secret shown only on request (Show reads it, then Copy takes it), and replaced only
 * after a dialog says what stops working.
 */
export function SecretField(props: {
  readonly label: string;
  /** The secret once read; hidden until then. */
  readonly value: string | null;
  readonly onShow: () => void;
  /** The replace button's word ("Replace", "Refresh"), also the dialog's action. */
  readonly replaceWord: string;
  readonly replaceTitle: string;
  /** What stops working once replaced. */
  readonly consequence: ReactNode;
  readonly onReplace: () => void;
}) {
  const styles = useTenantSettingsStyles();
  const [asking, setAsking] = useState(false);
  const { value } = props;
  return (
    <div className={styles.withAction}>
      <Field label={props.label} className={styles.grow}>
        <Input readOnly value={value ?? '••••••••••••••••'} />
      </Field>
      {value === null ? (
        <Button onClick={props.onShow}>Show</Button>
      ) : (
        <Button onClick={() => void navigator.clipboard?.writeText(value)}>Copy</Button>
      )}
      <Button onClick={() => setAsking(true)}>{props.replaceWord}</Button>
      <ActionDialog
        open={asking}
        title={props.replaceTitle}
        action={props.replaceWord}
        dismiss="Keep it"
        onAction={() => {
          setAsking(false);
          props.onReplace();
        }}
        onClose={() => setAsking(false)}
      >
        {props.consequence}
      </ActionDialog>
    </div>
  );
}
