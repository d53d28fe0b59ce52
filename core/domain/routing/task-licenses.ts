import { aLicense, licenseWords, type License, type ModalityLicense } from '../license.js';
import type { Modality, Task, TaskChannel } from './task.js';

/** The license a person needs for each kind of task (calls need none). */
const MODALITY_LICENSE: Record<Modality, ModalityLicense | null> = {
  Call: null,
  Im: 'InstantMessaging',
  Email: 'Email',
  ExternalTask: 'ExternalTask',
};

/** Licenses that decide who may receive which tasks: the modalities and Interact. */
export const ROUTING_LICENSES: ReadonlySet<License> = new Set<License>([
  'InstantMessaging',
  'Email',
  'ExternalTask',
  'Interact',
]);

/**
 * Tasks that need the same licenses, as one text: '' (calls), 'InstantMessaging',
 * 'InstantMessaging+Interact' (website chats)… A queue keeps each lane in FIFO order, so
 * the planner finds the first task someone may take without reading past others.
 */
export type Lane = string & { readonly __lane?: never };

/** The licenses a person needs to receive a task: its modality's, and Interact for a website chat. */
export function licensesFor(
  task: Pick<Task, 'modality'> & { readonly channel?: TaskChannel | null },
): License[] {
  const license = MODALITY_LICENSE[task.modality];
  const needs: License[] = license ? [license] : [];
  if (task.channel === 'interact') needs.push('Interact');
  return needs;
}

export const laneOf = (
  task: Pick<Task, 'modality'> & { readonly channel?: TaskChannel | null },
): Lane => licensesFor(task).join('+');

export const laneLicenses = (lane: Lane): readonly License[] =>
  lane === '' ? [] : (lane.split('+') as License[]);

/** A chat (an `Im` task, a website chat too): a service may let people hold several at once. */
export const isChat = (task: Pick<Task, 'modality'>): boolean => task.modality === 'Im';

/** Are a lane's tasks chats? (Chats, and only they, need Instant Messaging: see licensesFor.) */
export const isChatLane = (lane: Lane): boolean =>
  laneLicenses(lane).includes(MODALITY_LICENSE.Im as License);

/** Does someone holding `held` hold every license in `needs`? */
export const holdsAll = (held: readonly License[], needs: readonly License[]): boolean =>
  needs.every((license) => held.includes(license));

/** A kind of task someone gets none of, and the license it needs (website chats: Interact). */
export interface LicenseGap {
  readonly modality: Modality;
  readonly license: ModalityLicense | 'Interact';
  /** Set for website chats (a chat of the `interact` channel). */
  readonly channel?: TaskChannel;
}

/**
 * The kinds of tasks a person holding `held` gets none of for want of a license: each
 * modality's, and, where a service of theirs takes website chats, Interact.
 */
export function licenseGaps(
  held: readonly License[],
  options: { readonly websiteChats?: boolean } = {},
): LicenseGap[] {
  const gaps: LicenseGap[] = [];
  for (const [modality, license] of Object.entries(MODALITY_LICENSE) as [
    Modality,
    ModalityLicense | null,
  ][])
    if (license && !held.includes(license)) gaps.push({ modality, license });
  if (options.websiteChats && !held.includes('Interact'))
    gaps.push({ modality: 'Im', license: 'Interact', channel: 'interact' });
  return gaps;
}

const kindOf = (gap: LicenseGap) =>
  gap.channel === 'interact' ? 'website chats' : PLURAL[gap.modality];

const PLURAL: Record<Modality, string> = {
  Call: 'calls',
  Im: 'chats',
  Email: 'e-mails',
  ExternalTask: 'external tasks',
};

const listed = (words: readonly string[], last: string): string =>
  words.length < 2 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} ${last} ${words.at(-1)}`;

/**
 * "You get no chats or e-mails: they need Instant Messaging and Email licenses, which an
 * admin assigns." Null without gaps.
 */
export function licenseGapWords(gaps: readonly LicenseGap[]): string | null {
  if (!gaps.length) return null;
  const kinds = listed(gaps.map(kindOf), 'or');
  const [only] = gaps;
  const licenses =
    only && gaps.length === 1
      ? `${aLicense(only.license)} license`
      : `${listed(
          gaps.map((g) => licenseWords(g.license)),
          'and',
        )} licenses`;
  return `You get no ${kinds}: they need ${licenses}, which an admin assigns.`;
}

/** "No license for chats or e-mails": a colleague's gaps, short enough for a table cell. Null without gaps. */
export function licenseGapShort(gaps: readonly LicenseGap[]): string | null {
  if (!gaps.length) return null;
  return `No license for ${listed(gaps.map(kindOf), 'or')}`;
}
