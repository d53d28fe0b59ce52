import { CardFactory, type Attachment } from 'botbuilder';

/** An Adaptive Card as Teams reads it (schema 1.5: `Action.Execute`, universal actions). */
export interface AdaptiveCard {
  readonly type: 'AdaptiveCard';
  readonly $schema: string;
  readonly version: '1.5';
  readonly body: readonly CardElement[];
  readonly actions?: readonly ExecuteAction[];
}

export type CardElement = Readonly<Record<string, unknown>>;

/** The verbs our cards send back; the data always names what the verb acts on. */
export type CardVerb =
  | 'provision'
  | 'accept'
  | 'decline'
  | 'complete'
  | 'endAcw'
  | 'extendAcw'
  | 'resetRona'
  | 'setActive'
  | 'myServices'
  | 'imBack'
  | 'chatReply';

export interface ExecuteAction {
  readonly type: 'Action.Execute';
  readonly title: string;
  readonly verb: CardVerb;
  readonly data: Readonly<Record<string, string | boolean>>;
  readonly style?: 'positive' | 'destructive';
}

export function card(body: readonly CardElement[], actions: readonly ExecuteAction[] = []) {
  const result: AdaptiveCard = {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    ...(actions.length && { actions }),
  };
  return result;
}

export const heading = (text: string): CardElement => ({
  type: 'TextBlock',
  text,
  size: 'Medium',
  weight: 'Bolder',
  wrap: true,
});

export const text = (
  value: string,
  options: { subtle?: boolean; color?: 'Good' | 'Attention' | 'Warning' | 'Accent' } = {},
): CardElement => ({
  type: 'TextBlock',
  text: value,
  wrap: true,
  ...(options.subtle && { isSubtle: true }),
  ...(options.color && { color: options.color }),
});

export const facts = (pairs: readonly (readonly [string, string])[]): CardElement => ({
  type: 'FactSet',
  facts: pairs.map(([title, value]) => ({ title, value })),
});

export const execute = (
  title: string,
  verb: CardVerb,
  data: ExecuteAction['data'] = {},
  style?: ExecuteAction['style'],
): ExecuteAction => ({ type: 'Action.Execute', title, verb, data, ...(style && { style }) });

/** A button that opens an address in the browser (Teams asks nothing back of the app). */
export const openLink = (title: string, url: string): CardElement => ({
  type: 'ActionSet',
  actions: [{ type: 'Action.OpenUrl', title, url }],
});

/** A row of buttons inside the body (cards whose actions belong to one item of a list). */
export const actionSet = (actions: readonly ExecuteAction[]): CardElement => ({
  type: 'ActionSet',
  actions,
});

/** A time in the reader's own time zone: Teams formats `{{TIME(...)}}` on their device. */
export const localTime = (at: number): string =>
  `{{TIME(${new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z')})}}`;

/**
 * Text someone outside wrote (a website chat's customer), for a TextBlock: its markdown and
 * Teams' date functions (`{{DATE(…)}}`) escaped, so it shows exactly as written.
 */
export const plainText = (value: string): string =>
  value.replace(/[\\`*_{}[\]()#+\-.!>~|<]/g, '\\$&');

/** A box to type into, whose value comes back with the card's action (`id`). */
export const textInput = (id: string, label: string, maxLength: number): CardElement => ({
  type: 'Input.Text',
  id,
  label,
  placeholder: label,
  isMultiline: true,
  maxLength,
});

export const asAttachment = (value: AdaptiveCard): Attachment => CardFactory.adaptiveCard(value);
