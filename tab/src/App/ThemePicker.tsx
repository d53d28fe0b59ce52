import { Field, Select } from '@fluentui/react-components';
import type { TeamsThemeName } from '../auth/teams-host';

/** Dev mode outside Teams: the three Teams themes, to see the tab as Teams would show it. */
export function ThemePicker(props: {
  readonly theme: TeamsThemeName;
  readonly onChange: (theme: TeamsThemeName) => void;
}) {
  return (
    <Field label="Theme" orientation="horizontal">
      <Select value={props.theme} onChange={(_e, d) => props.onChange(d.value as TeamsThemeName)}>
        <option value="default">Light</option>
        <option value="dark">Dark</option>
        <option value="contrast">Contrast</option>
      </Select>
    </Field>
  );
}
