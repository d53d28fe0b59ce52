import { makeStyles, tokens } from '@fluentui/react-components';

/** Cells of at least `min`, as many as fit in a row. */
const grid = (min: string) => ({
  display: 'grid',
  gridTemplateColumns: `repeat(auto-fill, minmax(${min}, 1fr))`,
  gap: tokens.spacingHorizontalM,
});

export const useTenantSettingsStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
    maxWidth: '720px',
  },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  short: { maxWidth: '160px' },
  fieldset: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    border: 'none',
    margin: 0,
    padding: 0,
    minWidth: 0,
  },
  // A field with its button beside it (a group id and its Details).
  withAction: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalM,
  },
  grow: { flexGrow: 1, minWidth: '200px' },
  // Inputs take their grid cell's width, never more (a Fluent input has a width of its own).
  row: {
    ...grid('160px'),
    '& .fui-Input': { minWidth: 0, width: '100%', boxSizing: 'border-box' },
  },
  // Long values (a tenant id) in columns wide enough to read them whole.
  wideRow: grid('280px'),
});
