import { tokens } from '@fluentui/react-components';

/**
 * The parts of a page that lists things in a table (for makeStyles): the page's column and
 * its title row with the main action (the table itself goes in a TableRegion).
 */
export const listPage = {
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  header: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalM,
    justifyContent: 'space-between',
  },
  // A search box has a width of its own; in a grid it takes its column, no more.
  fill: { width: '100%', minWidth: 0, maxWidth: '100%', boxSizing: 'border-box' },
  block: { display: 'block' },
  badge: { whiteSpace: 'nowrap', flexShrink: 0 },
} as const;
