import { FluentProvider, teamsLightTheme } from '@fluentui/react-components';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';

/** Renders a component the way the tab does: inside the Teams light theme. */
export const renderInTeamsTheme = (ui: ReactElement) =>
  render(<FluentProvider theme={teamsLightTheme}>{ui}</FluentProvider>);
