import { makeStyles, tokens } from '@fluentui/react-components';
import { plainList } from '../styles/plain-list';

export const useServicePageStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  header: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
    flexWrap: 'wrap',
  },
  grow: { flexGrow: 1 },
  addRow: {
    display: 'flex',
    alignItems: 'flex-end',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalS,
  },
  agents: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  agentList: plainList,
  reasons: { color: tokens.colorNeutralForeground2 },
  skipped: { color: tokens.colorNeutralForeground2 },
  inHand: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalS,
  },
});
