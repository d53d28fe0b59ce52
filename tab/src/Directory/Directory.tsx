import {
  Button,
  Caption1,
  Checkbox,
  Field,
  Input,
  Link,
  Select,
  Spinner,
  Subtitle1,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Title2,
} from '@fluentui/react-components';
import { useState } from 'react';
import { licenseWords, type License } from '../../../core/domain/license';
import { ActionDialog } from '../ActionDialog/ActionDialog';
import type { Api } from '../api/api-client';
import {
  anything,
  directorySchema,
  tenantSettingsSchema,
  type Directory as DirectoryView,
} from '../api/schemas';
import { skillsText } from '../api/skills-text';
import { useAction } from '../api/use-action';
import { useLoad } from '../api/use-load';
import { ErrorBar } from '../ErrorBar/ErrorBar';
import { TableRegion } from '../TableRegion/TableRegion';
import { useDirectoryStyles } from './Directory.styles';

export interface DirectoryProps {
  readonly api: Api;
  readonly tenantId: string;
  /** Tenant admins change units and people; OU admins see them. */
  readonly tenantAdmin: boolean;
  /** Where the Licenses page is, where licenses are given and taken. */
  readonly licensesHref: string;
}

type Unit = DirectoryView['orgUnits'][number];
type Person = DirectoryView['users'][number];

/** What the unit dialog is doing. */
type UnitEdit =
  | { readonly kind: 'add'; readonly parent: Unit }
  | { readonly kind: 'rename' | 'move' | 'delete'; readonly unit: Unit };

const slug = (name: string) =>
  name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40) || 'unit';

/** An id for a new unit from its name, numbered when the tenant has one by that id. */
function freeId(units: readonly Unit[], wanted: string): string {
  const taken = new Set(units.map((u) => u.ouId));
  let id = wanted;
  for (let n = 2; taken.has(id); n++) id = `${wanted}-${n}`;
  return id;
}

/** Units in tree order with their depth (parents before children, siblings by name). */
function inTreeOrder(units: readonly Unit[]): { unit: Unit; depth: number }[] {
  const children = new Map<string | null, Unit[]>();
  for (const u of units) children.set(u.parentId, [...(children.get(u.parentId) ?? []), u]);
  const out: { unit: Unit; depth: number }[] = [];
  const walk = (parent: string | null, depth: number) => {
    for (const u of [...(children.get(parent) ?? [])].sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      out.push({ unit: u, depth });
      walk(u.ouId, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/** The units below one (itself included): where it may not move to. */
function subtree(units: readonly Unit[], ouId: string): Set<string> {
  const inside = new Set([ouId]);
  for (let grew = true; grew;) {
    grew = false;
    for (const u of units)
      if (u.parentId && inside.has(u.parentId) && !inside.has(u.ouId)) {
        inside.add(u.ouId);
        grew = true;
      }
  }
  return inside;
}

function UnitDialog(props: {
  readonly edit: UnitEdit | null;
  readonly units: readonly Unit[];
  readonly busy: boolean;
  readonly error: unknown;
  readonly onSave: (unit: { ouId: string; name: string; parentId: string | null }) => void;
  readonly onDelete: (unit: Unit) => void;
  readonly onClose: () => void;
}) {
  const { edit } = props;
  const current = edit && edit.kind !== 'add' ? edit.unit : null;
  const [name, setName] = useState(current?.name ?? '');
  const [parent, setParent] = useState(current?.parentId ?? '');
  if (!edit) return null;
  const blocked = current ? subtree(props.units, current.ouId) : new Set<string>();
  const parents = props.units.filter((u) => !blocked.has(u.ouId));
  const missing = name.trim() === '';
  const title =
    edit.kind === 'add'
      ? `New unit under ${edit.parent.name}`
      : edit.kind === 'rename'
        ? `Rename ${edit.unit.name}`
        : edit.kind === 'move'
          ? `Move ${edit.unit.name}`
          : `Delete ${edit.unit.name}?`;
  const act = () => {
    if (edit.kind === 'delete') return props.onDelete(edit.unit);
    if (edit.kind === 'add') {
      if (!missing)
        props.onSave({
          ouId: freeId(props.units, `ou-${slug(name)}`),
          name: name.trim(),
          parentId: edit.parent.ouId,
        });
      return;
    }
    const unit = edit.unit;
    if (edit.kind === 'rename' && !missing)
      props.onSave({ ouId: unit.ouId, name: name.trim(), parentId: unit.parentId });
    if (edit.kind === 'move' && parent)
      props.onSave({ ouId: unit.ouId, name: unit.name, parentId: parent });
  };
  return (
    <ActionDialog
      open
      title={title}
      action={edit.kind === 'delete' ? 'Delete' : 'Save'}
      actionDisabled={
        props.busy ||
        ((edit.kind === 'add' || edit.kind === 'rename') && missing) ||
        (edit.kind === 'move' && !parent)
      }
      onAction={act}
      dismiss="Cancel"
      onClose={props.onClose}
    >
      {(edit.kind === 'add' || edit.kind === 'rename') && (
        <Field label="Name" required>
          <Input value={name} maxLength={120} onChange={(_e, d) => setName(d.value)} />
        </Field>
      )}
      {edit.kind === 'move' && (
        <Field label="Move under" hint="Not under itself or one of its own units.">
          <Select value={parent} onChange={(_e, d) => setParent(d.value)}>
            {parents.map((u) => (
              <option key={u.ouId} value={u.ouId}>
                {u.name}
              </option>
            ))}
          </Select>
        </Field>
      )}
      {edit.kind === 'delete' && (
        <p>Only an empty unit can be deleted: no units, people or services in it.</p>
      )}
      <ErrorBar error={props.error} title="Nothing was changed" />
    </ActionDialog>
  );
}

/** Skills as "english 90, sales 80": one line to edit, checked by the API (levels 1–100). */
function SkillsDialog(props: {
  readonly person: Person | null;
  readonly busy: boolean;
  readonly error: unknown;
  readonly onSave: (person: Person, skills: Record<string, number>) => void;
  readonly onClose: () => void;
}) {
  const { person } = props;
  const [text, setText] = useState(person ? skillsText(person.skills) : '');
  if (!person) return null;
  const parsed = text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => /^(.+?)\s+(\d+)$/.exec(part));
  const wrong = parsed.some((p) => !p);
  const skills = Object.fromEntries(
    parsed.flatMap((p) => (p?.[1] && p[2] ? [[p[1].trim(), Number(p[2])] as const] : [])),
  );
  return (
    <ActionDialog
      open
      title={`Skills of ${person.displayName}`}
      action="Save"
      actionDisabled={props.busy || wrong}
      onAction={() => props.onSave(person, skills)}
      dismiss="Cancel"
      onClose={props.onClose}
    >
      <Field
        label="Skills with their levels"
        hint="A skill and its level from 1 to 100, separated by commas: english 90, sales 80"
        validationState={wrong ? 'error' : 'none'}
        validationMessage={wrong ? 'Write each skill as a name and a level: english 90' : undefined}
      >
        <Input value={text} onChange={(_e, d) => setText(d.value)} />
      </Field>
      <ErrorBar error={props.error} title="The skills were not saved" />
    </ActionDialog>
  );
}

/** People and organization units (admins): the tree, roles and skills. */
export function Directory({ api, tenantId, tenantAdmin, licensesHref }: DirectoryProps) {
  const styles = useDirectoryStyles();
  const base = `/tenants/${encodeURIComponent(tenantId)}`;
  const directory = useLoad(() => api.get(`${base}/directory`, directorySchema), [api, base]);
  const settings = useLoad(
    () => (tenantAdmin ? api.get(`${base}/settings`, tenantSettingsSchema) : Promise.resolve(null)),
    [api, base, tenantAdmin],
  );
  const [unitEdit, setUnitEdit] = useState<UnitEdit | null>(null);
  const [skillsOf, setSkillsOf] = useState<Person | null>(null);
  const unitAction = useAction();
  const personAction = useAction();
  const units = directory.data?.orgUnits ?? [];
  const people = directory.data?.users ?? [];
  const byId = new Map(units.map((u) => [u.ouId, u]));
  const pathOf = (ouId: string): string => {
    const names: string[] = [];
    for (let u = byId.get(ouId); u; u = u.parentId ? byId.get(u.parentId) : undefined)
      names.unshift(u.name);
    return names.join(' / ') || ouId;
  };
  const defaultOu =
    settings.data?.provisioning.defaultOuId ?? units.find((u) => u.parentId === null)?.ouId;
  const closeUnit = () => {
    setUnitEdit(null);
    unitAction.clearError();
  };
  const saveUnit = (unit: { ouId: string; name: string; parentId: string | null }) =>
    void unitAction.run(async () => {
      await api.send(
        'PUT',
        `${base}/ous/${encodeURIComponent(unit.ouId)}`,
        { name: unit.name, parentId: unit.parentId },
        anything,
      );
      setUnitEdit(null);
      directory.reload();
    });
  const deleteUnit = (unit: Unit) =>
    void unitAction.run(async () => {
      await api.send('DELETE', `${base}/ous/${encodeURIComponent(unit.ouId)}`, undefined, anything);
      setUnitEdit(null);
      directory.reload();
      settings.reload();
    });
  /** A person's directory entry with one change: their unit, or their admin roles. */
  const savePerson = (person: Person, change: { ouId?: string; roles?: Person['roles'] }) =>
    void personAction.run(async () => {
      await api.send(
        'PUT',
        `${base}/users/${encodeURIComponent(person.userId)}`,
        {
          displayName: person.displayName,
          ouId: change.ouId ?? person.ouId,
          roles: change.roles ?? person.roles,
        },
        anything,
      );
      directory.reload();
    });
  const setRole = (person: Person, role: 'TenantAdmin' | 'OuAdmin', on: boolean) => {
    const roles = person.roles.filter((r) => r !== role);
    savePerson(person, { roles: on ? [...roles, role] : roles });
  };
  const saveSkills = (person: Person, skills: Record<string, number>) =>
    void personAction.run(async () => {
      await api.send(
        'PUT',
        `${base}/users/${encodeURIComponent(person.userId)}/skills`,
        { skills },
        anything,
      );
      setSkillsOf(null);
      directory.reload();
    });

  return (
    <section className={styles.root} aria-label="People and organization units">
      <Title2 as="h1">People and organization units</Title2>
      <ErrorBar error={directory.error} title="The directory could not be loaded" />
      {directory.loading && !directory.data && <Spinner label="Loading the directory…" />}
      {directory.data && (
        <>
          <section className={styles.section} aria-label="Organization units">
            <Subtitle1 as="h2">Organization units</Subtitle1>
            <ul className={styles.tree}>
              {inTreeOrder(units).map(({ unit, depth }) => (
                <li
                  key={unit.ouId}
                  className={styles.unit}
                  style={{ paddingLeft: `${depth * 24}px` }}
                >
                  <span className={styles.unitName}>{unit.name}</span>
                  {unit.ouId === defaultOu && (
                    <Caption1>Services provisioned from Teams start here</Caption1>
                  )}
                  {tenantAdmin && (
                    <span className={styles.actions}>
                      <Button
                        size="small"
                        onClick={() => setUnitEdit({ kind: 'add', parent: unit })}
                        aria-label={`Add a unit under ${unit.name}`}
                      >
                        Add
                      </Button>
                      <Button
                        size="small"
                        onClick={() => setUnitEdit({ kind: 'rename', unit })}
                        aria-label={`Rename ${unit.name}`}
                      >
                        Rename
                      </Button>
                      {unit.parentId !== null && (
                        <>
                          <Button
                            size="small"
                            onClick={() => setUnitEdit({ kind: 'move', unit })}
                            aria-label={`Move ${unit.name}`}
                          >
                            Move
                          </Button>
                          <Button
                            size="small"
                            onClick={() => setUnitEdit({ kind: 'delete', unit })}
                            aria-label={`Delete ${unit.name}`}
                          >
                            Delete
                          </Button>
                        </>
                      )}
                    </span>
                  )}
                </li>
              ))}
            </ul>
          </section>
          <section className={styles.section} aria-label="People">
            <Subtitle1 as="h2">People</Subtitle1>
            <ErrorBar error={personAction.error} title="Nothing was changed" />
            <TableRegion label="People list">
              <Table size="small" aria-label="People">
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell>Name</TableHeaderCell>
                    <TableHeaderCell>Organization unit</TableHeaderCell>
                    <TableHeaderCell>Admin of</TableHeaderCell>
                    <TableHeaderCell>Licenses</TableHeaderCell>
                    <TableHeaderCell>Skills</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {[...people]
                    .sort((a, b) => a.displayName.localeCompare(b.displayName))
                    .map((p) => (
                      <TableRow key={p.userId}>
                        <TableCell>{p.displayName}</TableCell>
                        <TableCell>
                          {tenantAdmin ? (
                            <Select
                              aria-label={`${p.displayName}: organization unit`}
                              value={p.ouId}
                              disabled={personAction.busy}
                              onChange={(_e, d) => savePerson(p, { ouId: d.value })}
                            >
                              {[...units]
                                .map((u) => ({ ouId: u.ouId, path: pathOf(u.ouId) }))
                                .sort((a, b) => a.path.localeCompare(b.path))
                                .map((u) => (
                                  <option key={u.ouId} value={u.ouId}>
                                    {u.path}
                                  </option>
                                ))}
                            </Select>
                          ) : (
                            pathOf(p.ouId)
                          )}
                        </TableCell>
                        <TableCell>
                          {(['TenantAdmin', 'OuAdmin'] as const).map((role) => (
                            <Checkbox
                              key={role}
                              label={role === 'TenantAdmin' ? 'The tenant' : 'Their unit'}
                              aria-label={`${p.displayName}: ${role === 'TenantAdmin' ? 'tenant admin' : 'admin of their unit'}`}
                              checked={p.roles.includes(role)}
                              disabled={!tenantAdmin || personAction.busy}
                              onChange={(_e, d) => setRole(p, role, d.checked === true)}
                            />
                          ))}
                        </TableCell>
                        <TableCell>
                          <Link href={licensesHref}>
                            {p.licenses.map((l) => licenseWords(l as License)).join(', ') || 'None'}
                          </Link>
                        </TableCell>
                        <TableCell>
                          {skillsText(p.skills) || 'None'}
                          {p.licenses.includes('ContactCenterUser') && (
                            <Button
                              size="small"
                              appearance="subtle"
                              aria-label={`Edit the skills of ${p.displayName}`}
                              onClick={() => {
                                personAction.clearError();
                                setSkillsOf(p);
                              }}
                            >
                              Edit
                            </Button>
                          )}
                        </TableCell>
                      </TableRow>
                    ))}
                </TableBody>
              </Table>
            </TableRegion>
            <Caption1>
              Licenses are given on the Licenses page; skills belong to people with a Contact Center
              user license.
            </Caption1>
          </section>
        </>
      )}
      <UnitDialog
        key={
          unitEdit
            ? `${unitEdit.kind}-${unitEdit.kind === 'add' ? unitEdit.parent.ouId : unitEdit.unit.ouId}`
            : 'no-unit'
        }
        edit={unitEdit}
        units={units}
        busy={unitAction.busy}
        error={unitAction.error}
        onSave={saveUnit}
        onDelete={deleteUnit}
        onClose={closeUnit}
      />
      <SkillsDialog
        key={skillsOf?.userId ?? 'no-person'}
        person={skillsOf}
        busy={personAction.busy}
        error={personAction.error}
        onSave={saveSkills}
        onClose={() => setSkillsOf(null)}
      />
    </section>
  );
}
