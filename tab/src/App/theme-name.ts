import { createContext } from 'react';
import type { TeamsThemeName } from '../auth/teams-host';

/**
 * The Teams theme the tab is drawn in. Fluent's tokens follow it by themselves; charts
 * need it to choose colours a high-contrast theme keeps apart (its palette is all white).
 */
export const ThemeNameContext = createContext<TeamsThemeName>('default');
