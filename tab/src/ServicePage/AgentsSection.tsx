import { Button, Caption1, Field, Select, Subtitle1 } from '@fluentui/react-components';
import { useState } from 'react';
import type { Api } from '../api/api-client';
import { anything, directorySchema, type BoardMember } from '../api/schemas';
import { skillsText } from '../api/skills-text';
import { useAction } from '../api/use-action';
import { useLoad } from '../api/use-load';
import { ErrorBar } from '../ErrorBar/ErrorBar';
import { useServicePageStyles } from './ServicePage.styles';

/** A person with their skills, when they have some: "Patti Fernandez (english 90)". */
const withSkills = (name: string, skills: Readonly<Record<string, number>>) => {
  const text = skillsText(skills);
  return text ? `${name} (${text})` : name;
};

/**
 * The agents of a skill-based service (admins): people with a Contact Center user license
 * are added from the directory, with their skills shown, and removed; the distribution
 * policy then picks among them.
 */
export function AgentsSection(props: {
  readonly api: Api;
  readonly tenantId: string;
  /** The service's path below /api/v1. */
  readonly base: string;
  readonly members: readonly BoardMember[];
  readonly onChanged: () => void;
}) {
  const styles = useServicePageStyles();
  const directory = useLoad(
    () =>
      props.api.get(`/tenants/${encodeURIComponent(props.tenantId)}/directory`, directorySchema),
    [props.api, props.tenantId],
  );
  const [picked, setPicked] = useState('');
  const change = useAction();
  const members = new Set(props.members.map((m) => m.userId));
  const eligible = (directory.data?.users ?? [])
    .filter((u) => u.licenses.includes('ContactCenterUser') && !members.has(u.userId))
    .sort((a, b) => a.displayName.localeCompare(b.displayName));
  const person = picked || eligible[0]?.userId || '';
  const agent = (userId: string) => `${props.base}/members/${encodeURIComponent(userId)}`;
  const add = () =>
    void change.run(async () => {
      await props.api.send('PUT', agent(person), { active: true }, anything);
      setPicked('');
      props.onChanged();
    });
  const remove = (member: BoardMember) =>
    void change.run(async () => {
      await props.api.send('DELETE', agent(member.userId), undefined, anything);
      props.onChanged();
    });
  const skillsById = new Map((directory.data?.users ?? []).map((u) => [u.userId, u.skills]));
  return (
    <section className={styles.agents} aria-label="Agents">
      <Subtitle1 as="h2">Agents</Subtitle1>
      <Caption1>
        Agents need a Contact Center user license; the distribution policy (Service settings)
        chooses among them by their skills.
      </Caption1>
      <ErrorBar error={directory.error} title="The directory could not be loaded" />
      <ErrorBar error={change.error} title="Nothing was changed" />
      <ul className={styles.agentList}>
        {props.members.map((m) => (
          <li key={m.userId} className={styles.inHand}>
            <span>{withSkills(m.displayName, skillsById.get(m.userId) ?? {})}</span>
            <Button
              size="small"
              aria-label={`Remove ${m.displayName}`}
              disabled={change.busy}
              onClick={() => remove(m)}
            >
              Remove
            </Button>
          </li>
        ))}
      </ul>
      {directory.data &&
        (eligible.length ? (
          <div className={styles.addRow}>
            <Field label="Add an agent">
              <Select value={person} onChange={(_e, d) => setPicked(d.value)}>
                {eligible.map((u) => (
                  <option key={u.userId} value={u.userId}>
                    {withSkills(u.displayName, u.skills)}
                  </option>
                ))}
              </Select>
            </Field>
            <Button disabled={change.busy || !person} onClick={add}>
              Add
            </Button>
          </div>
        ) : (
          <Caption1>
            Everyone with a Contact Center user license is an agent here already; give more people
            that license on the Licenses page.
          </Caption1>
        ))}
    </section>
  );
}
