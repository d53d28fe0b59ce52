import WebSocket from 'ws';
import { freePort, spawnProcess, waitFor, type Spawned } from '../../test/processes.js';

/** A message or card update the bot sent to the Playground, as its log stream shows it. */
export interface BotSend {
  readonly kind: 'post' | 'update';
  readonly conversationId: string;
  readonly activityId: string;
  readonly to: string | undefined;
  readonly text: string;
  /** The card's body and buttons flattened into one string, for matching. */
  readonly cardText: string;
  readonly verbs: readonly string[];
}

interface LogItem {
  log?: {
    from?: string;
    conversationId?: string;
    messageId?: string;
    request?: {
      body?: {
        id?: string;
        text?: string;
        recipient?: { id?: string };
        attachments?: { content?: { body?: unknown; actions?: unknown } }[];
      };
    };
  };
}

function verbsOf(value: unknown): string[] {
  const json = JSON.stringify(value ?? null);
  return [...json.matchAll(/"verb":"([^"]+)"/g)].map((m) => m[1] ?? '');
}

function toSend(item: LogItem): BotSend | undefined {
  const log = item.log;
  const body = log?.request?.body;
  if (log?.from !== 'User Application' || !body || !log.conversationId) return undefined;
  const card = body.attachments?.[0]?.content;
  // An update names the activity it replaces; a new message has no id yet.
  const update = typeof body.id === 'string' && body.id.length > 0;
  return {
    kind: update ? 'update' : 'post',
    conversationId: log.conversationId,
    activityId: (update ? body.id : log.messageId) ?? '',
    to: body.recipient?.id,
    text: body.text ?? '',
    cardText: card ? JSON.stringify([card.body, card.actions]) : '',
    verbs: card ? verbsOf([card.body, card.actions]) : [],
  };
}

/** The Microsoft 365 Agents Playground, started by `npm run playground` against an app. */
export interface Playground extends Spawned {
  readonly url: string;
  readonly sends: BotSend[];
  /** Waits for the bot to send something matching, and returns the first match. */
  sent(what: string, match: (send: BotSend) => boolean, timeoutMs?: number): Promise<BotSend>;
  say(conversationId: string, from: string, text: string): Promise<void>;
  /** Clicks an `Action.Execute` button; answers with the card the bot put in its place. */
  click(
    conversationId: string,
    from: string,
    activityId: string,
    verb: string,
    data?: Record<string, unknown>,
  ): Promise<{ status: number; cardText: string; verbs: string[] }>;
  install(conversationId: string): Promise<void>;
}

export async function startPlayground(appPort: number): Promise<Playground> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = spawnProcess('npm', ['run', 'playground'], {
    PORT: String(appPort),
    PLAYGROUND_PORT: String(port),
    TEAMSAPPTESTER_BROWSER: 'none',
  });
  await waitFor('playground', async () => (await fetch(`${url}/`)).ok, proc, 60_000);
  const sends: BotSend[] = [];
  const socket = new WebSocket(`ws://127.0.0.1:${port}/_ws/log/stream`);
  socket.on('message', (data: Buffer) => {
    const send = toSend(JSON.parse(data.toString()) as LogItem);
    if (send) sends.push(send);
  });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const post = (path: string, body: unknown) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  return {
    ...proc,
    url,
    sends,
    async sent(what, match, timeoutMs = 20_000) {
      await waitFor(what, () => Promise.resolve(sends.some(match)), proc, timeoutMs);
      const found = sends.find(match);
      if (!found) throw new Error(`${what}: not sent`);
      return found;
    },
    async say(conversationId, from, text) {
      const reply = await post(`/_conversation/v1/conversations/${conversationId}/messages`, {
        from: { id: from },
        text,
        textFormat: 'plain',
      });
      if (reply.status !== 200)
        throw new Error(`say answered ${reply.status}: ${await reply.text()}`);
    },
    async click(conversationId, from, activityId, verb, data = {}) {
      const reply = await post('/_conversation/v1/invoke', {
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
        from: { id: from },
        conversation: { id: conversationId },
        replyToId: activityId,
      });
      const body = (await reply.json()) as { value?: { body?: unknown; actions?: unknown } };
      return {
        status: reply.status,
        cardText: JSON.stringify([body.value?.body, body.value?.actions]),
        verbs: verbsOf([body.value?.body, body.value?.actions]),
      };
    },
    async install(conversationId) {
      const reply = await post(`/_debug/conversation/${conversationId}/installation`, {});
      if (reply.status !== 200) throw new Error(`install answered ${reply.status}`);
    },
    stop: (signal) => {
      socket.close();
      return proc.stop(signal);
    },
  };
}
