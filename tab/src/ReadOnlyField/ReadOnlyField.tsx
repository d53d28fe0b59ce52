import { Body1, Caption1, Label, makeStyles, tokens, useId } from '@fluentui/react-components';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  value: { overflowWrap: 'anywhere' },
  hint: { color: tokens.colorNeutralForeground3 },
});

/**
 * A setting the viewer cannot change here, shown as what it is (text, not a box to type
 * in), with who or what changes it.
 */
export function ReadOnlyField(props: {
  readonly label: string;
  readonly value: string;
  /** Who changes it, or why it is fixed. */
  readonly hint?: string | undefined;
}) {
  const styles = useStyles();
  const id = useId('read-only');
  return (
    <div role="group" aria-labelledby={id} className={styles.root}>
      <Label id={id}>{props.label}</Label>
      <Body1 className={styles.value}>{props.value}</Body1>
      {props.hint && <Caption1 className={styles.hint}>{props.hint}</Caption1>}
    </div>
  );
}
