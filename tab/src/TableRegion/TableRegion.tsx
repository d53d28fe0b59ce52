import { makeStyles } from '@fluentui/react-components';
import type { ReactNode } from 'react';

const useStyles = makeStyles({
  // On a narrow panel or a phone the table keeps a readable width and scrolls inside its
  // own region; the page itself never scrolls sideways.
  region: { overflowX: 'auto', maxWidth: '100%', '& > .fui-Table': { minWidth: '640px' } },
  wide: { '& > .fui-Table': { minWidth: '880px' } },
});

/** A table in a region of its own that scrolls sideways when the panel is narrow. */
export function TableRegion(props: {
  /** The region's name for screen readers ("Members list"). */
  readonly label: string;
  /** Many columns (one per license): a wider least width. */
  readonly wide?: boolean;
  readonly children: ReactNode;
}) {
  const styles = useStyles();
  return (
    <div
      className={props.wide ? `${styles.region} ${styles.wide}` : styles.region}
      role="region"
      aria-label={props.label}
      tabIndex={0}
    >
      {props.children}
    </div>
  );
}
