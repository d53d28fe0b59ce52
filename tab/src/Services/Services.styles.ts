import { makeStyles, tokens } from '@fluentui/react-components';

export const useServicesStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  header: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalM,
    justifyContent: 'space-between',
  },
  filters: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(180px, 1fr))',
    gap: tokens.spacingHorizontalM,
  },
  // A search box has a width of its own; in the grid it takes its column, no more.
  fill: { width: '100%', minWidth: 0, maxWidth: '100%', boxSizing: 'border-box' },
  // The table scrolls inside its own region on narrow panels, never the page.
  scroll: { overflowX: 'auto', maxWidth: '100%' },
  table: { minWidth: '720px' },
  block: { display: 'block' },
  badge: { whiteSpace: 'nowrap', flexShrink: 0 },
  hidden: {
    position: 'absolute',
    width: '1px',
    height: '1px',
    overflow: 'hidden',
    clipPath: 'inset(50%)',
    whiteSpace: 'nowrap',
  },
});
