import type { TeamsThemeName } from '../auth/teams-host';

const NAMES: Readonly<Record<string, TeamsThemeName>> = {
  default: 'default',
  light: 'default',
  dark: 'dark',
  contrast: 'contrast',
};

/** The theme `?theme=dark|contrast|light` asks for outside Teams (dev mode), if any. */
export function themeFromQuery(search: string): TeamsThemeName | null {
  const asked = new URLSearchParams(search).get('theme');
  return asked === null ? null : (NAMES[asked.toLowerCase()] ?? null);
}

/** The address with the theme in its query, so a reload or a shared link keeps it. */
export function withTheme(href: string, theme: TeamsThemeName): string {
  const url = new URL(href);
  if (theme === 'default') url.searchParams.delete('theme');
  else url.searchParams.set('theme', theme);
  return url.toString();
}
