import { makeStyles, tokens } from '@fluentui/react-components';

export const useSignInStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    maxWidth: '560px',
  },
  people: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
});
