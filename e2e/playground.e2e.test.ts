import { strict as assert } from 'node:assert';
import WebSocket from 'ws';
import { startBuiltApp, type RunningAppProcess } from './support/app-under-test.js';
import { freePort, spawnProcess, waitFor, type Spawned } from '../test/processes.js';

interface StreamedMessage {
  action: string;
  actionConversationId: string;
  message: { from: { id: string }; text?: string };
}

/** The bot's messages as the Playground streams them to its web client. */
async function openStream(port: number): Promise<{ messages: StreamedMessage[]; close(): void }> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/_ws_conversation/v1/conversations/stream`);
  const messages: StreamedMessage[] = [];
  socket.on('message', (data: Buffer) =>
    messages.push(JSON.parse(data.toString()) as StreamedMessage),
  );
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  return { messages, close: () => socket.close() };
}

describe('the bot in the Microsoft 365 Agents Playground (npm run playground)', () => {
  let app: RunningAppProcess;
  let playground: Spawned;
  let playgroundPort: number;
  before(async () => {
    app = await startBuiltApp({ SEED: 'demo' });
    playgroundPort = await freePort();
    playground = spawnProcess('npm', ['run', 'playground'], {
      PORT: String(app.port),
      PLAYGROUND_PORT: String(playgroundPort),
      TEAMSAPPTESTER_BROWSER: 'none',
    });
    await waitFor(
      'playground',
      async () => (await fetch(`http://127.0.0.1:${playgroundPort}/`)).ok,
      playground,
      60_000,
    );
  });
  after(async () => {
    await playground?.stop();
    await app?.stop();
  });

  it('answers a message in the personal chat of a demo user', async () => {
    const stream = await openStream(playgroundPort);
    try {
      const sent = await fetch(
        `http://127.0.0.1:${playgroundPort}/_conversation/v1/conversations/personal-chat-megan/messages`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ from: { id: 'user-megan' }, text: 'help', textFormat: 'plain' }),
        },
      );
      assert.equal(sent.status, 200);
      await waitFor(
        'bot reply',
        () =>
          Promise.resolve(
            stream.messages.some(
              (m) => m.action === 'createMessage' && /My Services/.test(m.message.text ?? ''),
            ),
          ),
        playground,
        20_000,
      );
      const reply = stream.messages.find((m) => /My Services/.test(m.message.text ?? ''));
      assert.equal(reply?.actionConversationId, 'personal-chat-megan');
    } finally {
      stream.close();
    }
  });
});
