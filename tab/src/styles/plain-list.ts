import { tokens } from '@fluentui/react-components';

/** A list without bullets or indent, its items stacked a little apart (for makeStyles). */
export const plainList = {
  display: 'flex',
  flexDirection: 'column',
  gap: tokens.spacingVerticalXS,
  margin: 0,
  paddingLeft: 0,
  listStyleType: 'none',
} as const;
