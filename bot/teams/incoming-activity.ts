import type { Activity } from 'botbuilder';
import { z } from 'zod';
import { serviceUrlRefusal, type ServiceUrlPolicy } from './service-url-policy.js';

const text = (max: number) => z.string().max(max);
const account = z.looseObject({ id: text(1024).min(1), name: text(1024).nullish() });

/**
 * What an activity must have before botbuilder sees it. botbuilder itself assumes these
 * parts and fails with its internal message when one is missing or of another type.
 */
const activityShape = z.looseObject({
  type: text(64).min(1),
  id: text(1024).optional(),
  channelId: text(64).min(1),
  serviceUrl: text(2048).min(1),
  from: account,
  recipient: account,
  conversation: z.looseObject({ id: text(1024).min(1), tenantId: text(128).optional() }),
  text: text(28_000).nullish(),
  membersAdded: z.array(account).max(10_000).optional(),
  membersRemoved: z.array(account).max(10_000).optional(),
  attachments: z.array(z.looseObject({})).max(50).optional(),
  entities: z.array(z.looseObject({})).max(50).optional(),
  channelData: z.looseObject({}).optional(),
  name: text(256).optional(),
  timestamp: text(64).optional(),
  localTimestamp: text(64).optional(),
  expiration: text(64).optional(),
});

export type ActivityCheck =
  { readonly ok: true; readonly activity: Activity } | { readonly ok: false; readonly why: string };

/** Times travel as text; botbuilder's turns expect dates beside the raw text (as it does). */
function withDates(activity: Record<string, unknown>): Activity {
  const out: Record<string, unknown> = { ...activity };
  for (const [field, raw] of [
    ['timestamp', 'rawTimestamp'],
    ['localTimestamp', 'rawLocalTimestamp'],
    ['expiration', 'rawExpiration'],
  ] as const) {
    const value = activity[field];
    if (typeof value !== 'string') continue;
    out[raw] = value;
    out[field] = new Date(value);
  }
  return out as unknown as Activity;
}

/** Checks an activity's shape and where it would have the bot answer, before any turn runs. */
export function checkActivity(body: unknown, policy: ServiceUrlPolicy): ActivityCheck {
  const parsed = activityShape.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'the body';
    return { ok: false, why: `Not a Bot Framework activity: ${where} is missing or malformed.` };
  }
  const refused = serviceUrlRefusal(parsed.data.serviceUrl, policy);
  return refused ? { ok: false, why: refused } : { ok: true, activity: withDates(parsed.data) };
}
