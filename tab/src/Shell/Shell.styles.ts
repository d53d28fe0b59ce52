import { makeStyles, tokens } from '@fluentui/react-components';

export const useShellStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
    padding: tokens.spacingHorizontalXL,
  },
  header: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
    flexWrap: 'wrap',
  },
  title: { flexGrow: 1 },
  // Four pages do not fit a side panel or a phone in one row: the tabs wrap.
  nav: { flexWrap: 'wrap' },
});
