import { makeStyles, tokens } from '@fluentui/react-components';

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
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(160px, 1fr))',
    gap: tokens.spacingHorizontalM,
    '& .fui-Input': { minWidth: 0, width: '100%', boxSizing: 'border-box' },
  },
  wideRow: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(280px, 1fr))',
    gap: tokens.spacingHorizontalM,
    '& .fui-Input': { minWidth: 0, width: '100%', boxSizing: 'border-box' },
  },
});
