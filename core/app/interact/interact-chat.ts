import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mayEditService } from '../../domain/access.js';
import type { Identity } from '../../domain/actor.js';
import {
  asServiceId,
  asTaskId,
  asTenantId,
  ID_PATTERN,
  type TaskId,
  type TenantId,
} from '../../domain/ids.js';
import { agentKey } from '../../store/routing-rows.js';
import type { Instant } from '../../domain/instant.js';
import { placeInQueue, type Place } from '../../domain/routing/queue-order.js';
import type { Task } from '../../domain/routing/task.js';
import { tasksTaken } from '../../domain/routing/agent-state.js';
import {
  allow,
  forbidden,
  invalid,
  notFound,
  refuse,
  type Decision,
  type Refusal,
} from '../../domain/refusal.js';
import { inactivityReason } from '../../domain/tenant.js';
import { markCardOp } from '../../store/card-rows.js';
import { readingFresh } from '../../store/partition-cache.js';
import { ConflictError } from '../../store/conflict-error.js';
import {
  chatKey,
  type ChatMessage,
  type ChatSession,
  type LiveChat,
} from '../../store/interact-rows.js';
import { serviceKey } from '../../store/table-service-store.js';
import { tenantKey } from '../../store/table-tenant-store.js';
import { userKey } from '../../store/table-user-store.js';
import type { AppDeps } from '../app-deps.js';
import { loadReadableService } from '../service-admin.js';
import { cancel } from '../routing/task-actions.js';
import { createTask, findTask } from '../routing/task-intake.js';
import { interactWidgetKey, interactTokenSecret } from './interact-keys.js';

/** The longest line either side may write, and the longest name a customer may give. */
export const MAX_CHAT_TEXT = 2000;
export const MAX_CUSTOMER_NAME = 80;
/** A transcript's lines on an agent's card (the latest ones; the tab shows them all). */
export const CARD_LINES = 8;

const SYSTEM: Identity = { kind: 'system' };

/**
 * What a customer's page holds for its chat: `{tenant}~{session}~{secret}`. Only the
 * secret's hash is stored, so a read of the table does not let anyone write as them.
 */
export type ChatCredential = string;

const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The tenant a widget key names (`wk~{tenant}~…`), or null for anything else. */
export function tenantOfWidgetKey(key: string): TenantId | null {
  const match = /^wk~([A-Za-z0-9-]{1,64})~[A-Za-z0-9_-]{10,64}$/.exec(key);
  return match?.[1] ? asTenantId(match[1]) : null;
}

const WRONG_KEY = forbidden(
  'This chat’s widget key is not valid (it may have been refreshed): the website needs the current key from its Teams admin.',
);
const CHAT_GONE = notFound('This chat');

/** Plain text a person wrote: trimmed, control characters out, within bounds. */
function cleanText(field: string, raw: unknown, max: number): Decision<string> {
  const value =
    typeof raw === 'string' ? raw.replace(/\p{Cc}/gu, (c) => (c === '\n' ? c : '')).trim() : '';
  if (!value) return refuse(invalid([{ field, message: 'must not be empty' }]));
  if (value.length > max)
    return refuse(invalid([{ field, message: `must be at most ${max} characters` }]));
  return allow(value);
}

export interface StartChat {
  readonly widgetKey: string;
  readonly serviceId: string;
  readonly name?: string | undefined;
  /** The customer's token where the tenant asks for one (see InteractSettings.authorization). */
  readonly token?: string | undefined;
}

/** Checks a customer token the tenant's website signed, or an Entra token of the tenant. */
export interface CustomerTokens {
  /** "Verify token": an HS256 JWT signed with the tenant's token secret, not expired; its `name`, if any. */
  signedByWebsite(token: string, secret: string): Promise<{ name: string | null } | null>;
  /** "Verify token and tenant": an Entra token whose tenant is this one; its name. */
  ofTenant(token: string, tenantId: TenantId): Promise<{ name: string | null } | null>;
}

/**
 * A customer starts a website chat with a service: the widget key names the tenant (a
 * refreshed key is refused), the tenant has Interact on and takes tasks, the service has
 * its Interact switch on, and the customer shows a token where the tenant asks for one.
 * The chat enters the service's queue as an `Im` task of the `interact` channel, routed as
 * any task (people need the Instant Messaging and Interact licenses).
 */
export async function startChat(
  deps: AppDeps,
  tokens: CustomerTokens,
  input: StartChat,
): Promise<Decision<{ credential: ChatCredential; session: ChatSession; task: Task }>> {
  const tenantId = tenantOfWidgetKey(input.widgetKey);
  if (!tenantId) return refuse(WRONG_KEY);
  const tenant = await deps.stores.tenants.get(tenantKey(tenantId));
  if (!tenant) return refuse(WRONG_KEY);
  const current = await interactWidgetKey(deps, tenantId);
  if (!sameText(current, input.widgetKey)) return refuse(WRONG_KEY);
  const settings = tenant.value.settings.interact;
  if (!settings.enabled)
    return refuse(forbidden('Website chat is switched off for this organization.'));
  const inactive = inactivityReason(tenant.value);
  if (inactive) return refuse({ code: 'tenant_inactive', message: inactive });
  let tokenName: string | null = null;
  if (settings.authorization !== 'None') {
    const token = input.token ?? '';
    const checked = !token
      ? null
      : settings.authorization === 'VerifyToken'
        ? await tokens.signedByWebsite(token, await interactTokenSecret(deps, tenantId))
        : await tokens.ofTenant(token, tenantId);
    if (!checked)
      return refuse(
        forbidden(
          settings.authorization === 'VerifyToken'
            ? 'This chat needs a valid token from the website; sign in on the website and try again.'
            : 'This chat is for people of the organization: sign in with your work account.',
        ),
      );
    tokenName = checked.name;
  }
  const name = cleanText('name', input.name ?? tokenName, MAX_CUSTOMER_NAME);
  if (!name.ok) return name;
  if (!ID_PATTERN.test(input.serviceId)) return refuse(notFound('This service'));
  const service = await deps.stores.services.get(
    serviceKey(tenantId, asServiceId(input.serviceId)),
  );
  if (!service || service.value.deletingSince !== undefined)
    return refuse(notFound('This service'));
  if (!service.value.settings.extensions.interact)
    return refuse(forbidden(`${service.value.name} does not take website chats.`));
  const now = deps.clock.now();
  const secret = randomBytes(24).toString('base64url');
  const id = `${now.toString(36)}${randomBytes(9).toString('base64url').replace(/[-_]/g, 'x')}`;
  const session: ChatSession = {
    tenantId,
    id,
    serviceId: service.value.id,
    taskId: null,
    customerName: name.value,
    secretHash: hash(secret),
    startedAt: now,
    leftAt: null,
    leftHow: null,
  };
  const { interact } = deps.stores;
  await deps.stores.commit([interact.sessions.insertOp(session)]);
  await interact.live.upsert({
    tenantId,
    sessionId: id,
    lastSeenAt: now,
    timeoutMs: settings.recoveryTimeoutSec * 1000,
  });
  const created = await createTask(deps, SYSTEM, tenantId, service.value.id, {
    modality: 'Im',
    channel: 'interact',
    subject: `Website chat with ${name.value}`,
    externalId: `chat-${id}`,
  });
  if (!created.ok) {
    await closeLive(deps, tenantId, id);
    return created;
  }
  const started = { ...session, taskId: created.value.task.id };
  await interact.sessions.upsert(started);
  return allow({
    credential: `${tenantId}~${id}~${secret}`,
    session: started,
    task: created.value.task,
  });
}

/** The session a customer's credential opens, or a refusal that tells nothing of others'. */
async function openSession(
  deps: AppDeps,
  credential: string,
): Promise<Decision<{ session: ChatSession; etag: string }>> {
  const [tenantId, sessionId, secret] = credential.split('~');
  if (!tenantId || !sessionId || !secret || !/^[A-Za-z0-9-]{1,64}$/.test(tenantId))
    return refuse(CHAT_GONE);
  if (!/^[A-Za-z0-9]{1,40}$/.test(sessionId)) return refuse(CHAT_GONE);
  const row = await deps.stores.interact.sessions.get(chatKey(asTenantId(tenantId), sessionId));
  if (!row || !sameText(row.value.secretHash, hash(secret))) return refuse(CHAT_GONE);
  return allow({ session: row.value, etag: row.etag });
}

/**
 * The task a chat entered the queue as, open or ended (none while it is made, or once
 * purged), read from storage: the customer's next request may land on an instance that
 * has not seen the task yet, and must not take it for gone.
 */
const taskOf = async (deps: AppDeps, session: ChatSession): Promise<Task | undefined> => {
  const { taskId } = session;
  if (!taskId) return undefined;
  return (await readingFresh(() => findTask(deps, session.tenantId, taskId)))?.value;
};

/** Where a chat stands for its customer. */
export type ChatStanding =
  | ({ readonly state: 'waiting' } & Place)
  | { readonly state: 'connected'; readonly agentName: string }
  | {
      readonly state: 'ended';
      /** Who ended it: the agent (or an owner), the customer, their absence, or nobody took it. */
      readonly how: 'agent' | 'customer' | 'timeout' | 'canceled';
    };

export interface CustomerView {
  readonly session: ChatSession;
  readonly standing: ChatStanding;
  /** The lines after the one the page last had (all of them on a reload). */
  readonly messages: readonly ChatMessage[];
}

/** Where a waiting chat stands in its service's queue (see placeInQueue). */
async function placeOf(deps: AppDeps, task: Task): Promise<Place> {
  const index = await deps.stores.routingIndex(task.tenantId);
  return placeInQueue(index.levels(task.serviceId), task);
}

async function standingOf(
  deps: AppDeps,
  session: ChatSession,
  task: Task | undefined,
): Promise<ChatStanding> {
  if (session.leftHow) return { state: 'ended', how: session.leftHow };
  if (!task) return { state: 'ended', how: 'canceled' };
  switch (task.state) {
    case 'Queued':
      return { state: 'waiting', ...(await placeOf(deps, task)) };
    case 'Offered':
      return { state: 'waiting', position: 1, beyond: false };
    case 'Accepted': {
      const agent =
        task.acceptedBy && (await deps.stores.users.get(userKey(task.tenantId, task.acceptedBy)));
      return { state: 'connected', agentName: agent ? agent.value.displayName : 'An agent' };
    }
    case 'Completed':
      return { state: 'ended', how: 'agent' };
    case 'Canceled':
    case 'Rejected':
      return { state: 'ended', how: 'canceled' };
  }
}

/**
 * The customer's page asks where its chat stands and for the lines since its last one;
 * asking also says the customer is still there (see sweepChats).
 */
export async function customerView(
  deps: AppDeps,
  credential: string,
  after?: string,
): Promise<Decision<CustomerView>> {
  const opened = await openSession(deps, credential);
  if (!opened.ok) return opened;
  const { session } = opened.value;
  const task = await taskOf(deps, session);
  const standing = await standingOf(deps, session, task);
  if (standing.state !== 'ended') await seen(deps, session);
  const messages = await deps.stores.interact.transcript(session.tenantId, session.id, after);
  return allow({ session, standing, messages });
}

async function seen(deps: AppDeps, session: ChatSession): Promise<void> {
  const { live } = deps.stores.interact;
  const row = await live.get(deps.stores.interact.liveKey(session.tenantId, session.id));
  if (!row) return; // already closed: a sweep found the customer gone
  try {
    // Under its ETag: a closed chat is not brought back, a line's place is not undone.
    await live.replace({ ...row.value, lastSeenAt: deps.clock.now() }, row.etag);
  } catch (error) {
    // Written meanwhile (a line, a sweep): the next poll says it again.
    if (!(error instanceof ConflictError)) throw error;
  }
}

const lineKey = (place: number) =>
  `${String(place).padStart(15, '0')}${randomBytes(3).toString('hex')}`;

/**
 * A new line's place in its chat: after every line before it, whichever instance wrote
 * them and however their clocks differ. The chat's open row keeps the last place, taken
 * under its ETag, so two lines written at once on two instances still get an order. A chat
 * no longer open (its customer left) has none: its time is its place.
 */
async function nextPlace(deps: AppDeps, session: ChatSession, at: Instant): Promise<number> {
  const { live, liveKey } = deps.stores.interact;
  for (;;) {
    const row = await live.get(liveKey(session.tenantId, session.id));
    if (!row) return at;
    const place = Math.max(at, (row.value.lastPlace ?? 0) + 1);
    try {
      await live.replace({ ...row.value, lastPlace: place }, row.etag);
      return place;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }
}

/** Writes a line and has the agent's card drawn again (the chat shows on it). */
async function writeLine(
  deps: AppDeps,
  session: ChatSession,
  task: Task,
  line: Pick<ChatMessage, 'from' | 'agentId' | 'text'>,
): Promise<ChatMessage> {
  const at = deps.clock.now();
  const message: ChatMessage = {
    tenantId: session.tenantId,
    sessionId: session.id,
    key: lineKey(await nextPlace(deps, session, at)),
    at,
    ...line,
  };
  await deps.stores.interact.messages.insert(message);
  await touchCard(deps, task, at);
  return message;
}

async function touchCard(deps: AppDeps, task: Task, at: Instant): Promise<void> {
  if (!task.acceptedBy) return;
  await deps.stores.commit([markCardOp(task.tenantId, task.id, task.acceptedBy, at)]);
  deps.stores.cardMarks.notify(task.tenantId);
  deps.distribution.changed(task.tenantId);
}

/** A customer writes: kept in the transcript, and on the agent's card once someone took the chat. */
export async function customerSays(
  deps: AppDeps,
  credential: string,
  raw: unknown,
): Promise<Decision<ChatMessage>> {
  const text = cleanText('text', raw, MAX_CHAT_TEXT);
  if (!text.ok) return text;
  const opened = await openSession(deps, credential);
  if (!opened.ok) return opened;
  const { session } = opened.value;
  const task = await taskOf(deps, session);
  if (
    !task ||
    session.leftHow ||
    (task.state !== 'Queued' && task.state !== 'Offered' && task.state !== 'Accepted')
  )
    return refuse({
      code: 'policy_denied',
      message: 'This chat has ended; start a new one to write again.',
    });
  await seen(deps, session);
  return allow(
    await writeLine(deps, session, task, { from: 'customer', agentId: null, text: text.value }),
  );
}

/**
 * The customer leaves (closes the chat, or was away past the recovery timeout): a chat
 * still waiting is canceled; one an agent took stays theirs, marked "customer left", until
 * they end it.
 */
export async function customerLeaves(
  deps: AppDeps,
  credential: string,
): Promise<Decision<ChatSession>> {
  const opened = await openSession(deps, credential);
  if (!opened.ok) return opened;
  return allow(await leave(deps, opened.value.session, opened.value.etag, 'customer'));
}

async function leave(
  deps: AppDeps,
  session: ChatSession,
  etag: string,
  how: 'customer' | 'timeout',
): Promise<ChatSession> {
  if (session.leftHow) return session;
  const now = deps.clock.now();
  const left: ChatSession = { ...session, leftAt: now, leftHow: how };
  try {
    await deps.stores.interact.sessions.replace(left, etag);
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    return session; // another instance got there first
  }
  await closeLive(deps, session.tenantId, session.id);
  const task = await taskOf(deps, session);
  if (task && (task.state === 'Queued' || task.state === 'Offered'))
    await cancel(deps, SYSTEM, task.id);
  else if (task?.state === 'Accepted') await touchCard(deps, task, now);
  return left;
}

async function closeLive(deps: AppDeps, tenantId: TenantId, sessionId: string): Promise<void> {
  const { live, liveKey } = deps.stores.interact;
  const row = await live.get(liveKey(tenantId, sessionId));
  if (!row) return;
  try {
    await live.delete(liveKey(tenantId, sessionId), row.etag);
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
  }
}

/**
 * Every open chat whose customer was not seen for longer than its recovery timeout is
 * closed as `timeout` (see leave); chats whose task ended are let go. One read of one
 * partition per sweep, whatever the number of tenants. Returns how many were closed.
 */
export async function sweepChats(deps: AppDeps): Promise<number> {
  const now = deps.clock.now();
  let closed = 0;
  for (const row of await deps.stores.interact.openChats()) {
    const live: LiveChat = row.value;
    const session = await deps.stores.interact.sessions.get(chatKey(live.tenantId, live.sessionId));
    const task = session && (await taskOf(deps, session.value));
    const over =
      task && task.state !== 'Queued' && task.state !== 'Offered' && task.state !== 'Accepted';
    if (!session || session.value.leftHow || over) {
      await closeLive(deps, live.tenantId, live.sessionId);
      continue;
    }
    if (now - live.lastSeenAt <= live.timeoutMs) continue;
    await leave(deps, session.value, session.etag, 'timeout');
    closed++;
  }
  return closed;
}

/** The chat behind a website chat task, for its agent's card and the tab. */
export interface ChatOfTask {
  readonly session: ChatSession;
  readonly messages: readonly ChatMessage[];
}

/** The session of a task that came in as a website chat, with its transcript. */
export async function chatOfTask(deps: AppDeps, task: Task): Promise<ChatOfTask | undefined> {
  if (task.channel !== 'interact' || !task.externalId?.startsWith('chat-')) return undefined;
  const sessionId = task.externalId.slice('chat-'.length);
  const session = await deps.stores.interact.sessions.get(chatKey(task.tenantId, sessionId));
  if (!session) return undefined;
  const messages = await deps.stores.interact.transcript(task.tenantId, sessionId);
  return { session: session.value, messages };
}

/**
 * The agent who took a website chat writes to its customer, while the chat is open (the
 * customer has not left, the task is not ended).
 */
export async function agentSays(
  deps: AppDeps,
  identity: Identity,
  taskId: string,
  raw: unknown,
): Promise<Decision<ChatMessage>> {
  const text = cleanText('text', raw, MAX_CHAT_TEXT);
  if (!text.ok) return text;
  const found = await chatTask(deps, identity, taskId);
  if (!found.ok) return found;
  const { task, chat } = found.value;
  if (identity.kind !== 'user' || task.acceptedBy !== identity.userId)
    return refuse(forbidden('Only the person who took this chat may write in it.'));
  if (task.state !== 'Accepted')
    return refuse({ code: 'policy_denied', message: 'This chat has ended.' });
  if (chat.session.leftHow)
    return refuse({
      code: 'policy_denied',
      message: `${chat.session.customerName} has left the chat.`,
    });
  return allow(
    await writeLine(deps, chat.session, task, {
      from: 'agent',
      agentId: identity.userId,
      text: text.value,
    }),
  );
}

async function chatTask(
  deps: AppDeps,
  identity: Identity,
  taskId: string,
): Promise<Decision<{ task: Task; chat: ChatOfTask }>> {
  const tenantId = identity.kind === 'user' ? identity.tenantId : null;
  const id = asTaskId(taskId);
  // From storage: the agent's request may land on an instance that has not seen the task yet.
  const task = tenantId
    ? (await readingFresh(() => findTask(deps, tenantId, id)))?.value
    : undefined;
  const chat = task && (await chatOfTask(deps, task));
  if (!task || !chat) return refuse(notFound('This chat'));
  return allow({ task, chat });
}

/** Who may read a transcript: the agent who took it, and the service's owners and admins. */
export async function chatTranscript(
  deps: AppDeps,
  identity: Identity,
  taskId: string,
): Promise<Decision<{ task: Task; chat: ChatOfTask; agentName: string | null }>> {
  const found = await chatTask(deps, identity, taskId);
  if (!found.ok) return found;
  const { task, chat } = found.value;
  const mine = identity.kind === 'user' && task.acceptedBy === identity.userId;
  if (!mine) {
    const readable = await loadReadableService(deps, identity, task.tenantId, task.serviceId);
    if (!readable.ok) return readable;
    const { actor, service, tree, own } = readable.value;
    const denied: Refusal | null = mayEditService(actor, service.value.ouId, tree, own);
    if (denied)
      return refuse(
        forbidden('Only the agent who took this chat, its service’s owners and admins read it.'),
      );
  }
  const agent =
    task.acceptedBy && (await deps.stores.users.get(userKey(task.tenantId, task.acceptedBy)));
  // Without "share PII", only the agent who talked with the customer reads their name.
  const tenant = await deps.stores.tenants.get(tenantKey(task.tenantId));
  const named = mine || tenant?.value.settings.dataPrivacy.sharePii === true;
  const shown = named
    ? chat
    : {
        ...chat,
        session: { ...chat.session, customerName: `Customer ${chat.session.id.slice(-6)}` },
      };
  return allow({ task, chat: shown, agentName: agent ? agent.value.displayName : null });
}

/** A task's chat for its agent's card: the latest lines (see CARD_LINES). */
export const cardLines = (chat: ChatOfTask) => chat.messages.slice(-CARD_LINES);

/**
 * The website chats someone took and has not ended, oldest first: what they type in their
 * chat with the bot goes to the customer when there is one (with several, they answer each
 * from its card or the tab).
 */
export async function myOpenChats(
  deps: AppDeps,
  identity: Extract<Identity, { kind: 'user' }>,
): Promise<TaskId[]> {
  return readingFresh(async () => {
    const agent = await deps.stores.routing.agents.get(
      agentKey(identity.tenantId, identity.userId),
    );
    const taken = agent ? tasksTaken(agent.value) : [];
    const tasks = await Promise.all(
      taken.map(async ({ taskId }) => (await findTask(deps, identity.tenantId, taskId))?.value),
    );
    return tasks.flatMap((task) =>
      task?.channel === 'interact' && task.state === 'Accepted' ? [task.id] : [],
    );
  });
}

export type { ChatMessage, ChatSession } from '../../store/interact-rows.js';
