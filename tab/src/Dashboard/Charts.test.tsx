import { strict as assert } from 'node:assert';
import {
  teamsDarkTheme,
  teamsHighContrastTheme,
  teamsLightTheme,
} from '@fluentui/react-components';
import type { TeamsThemeName } from '../auth/teams-host';
import { bandLabel, OUTCOMES } from './Charts';

const THEMES = { default: teamsLightTheme, dark: teamsDarkTheme, contrast: teamsHighContrastTheme };

/** A token's colour in a theme (`var(--colorX)` → the theme's colorX). */
const colourOf = (token: string, theme: Record<string, unknown>) =>
  String(theme[/^var\(--(\w+)\)$/.exec(token)![1]!]);

describe('the dashboard’s chart colours', () => {
  for (const name of Object.keys(THEMES) as TeamsThemeName[])
    it(`keep the outcomes apart in the ${name} theme`, () => {
      const theme = THEMES[name] as unknown as Record<string, unknown>;
      const colours = Object.values(OUTCOMES[name]).map((token) => colourOf(token, theme));
      assert.equal(new Set(colours).size, 3, colours.join(', '));
      const background = String(theme.colorNeutralBackground1);
      assert.ok(!colours.includes(background), 'none is the page’s background');
    });
});

describe('wait bands in words', () => {
  const cases = [
    [10, null, 'up to 10 s'],
    [90, 60, 'up to 90 s'],
    [120, 90, 'up to 2 min'],
    [null, 1800, 'over 30 min'],
  ] as const;
  for (const [upTo, previous, words] of cases)
    it(`reads “${words}”`, () => assert.equal(bandLabel(upTo, previous), words));
});
