import { makeStyles, tokens } from '@fluentui/react-components';

export const useAppStyles = makeStyles({
  // The theme's background fills the window, however short the page.
  provider: { minHeight: '100vh' },
  root: {
    minHeight: '100vh',
    boxSizing: 'border-box',
    padding: tokens.spacingHorizontalXL,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
  },
});
