import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Seen {
  readonly method: string;
  readonly url: string;
  readonly body: { attachments?: { content?: unknown }[] };
}

/** A stand-in for the Teams channel's connector service: answers as told, records what it got. */
export async function fakeConnector(
  answer: (
    seen: Seen,
    n: number,
  ) => { status: number; headers?: Record<string, string>; delayMs?: number },
) {
  const seen: Seen[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      const entry = {
        method: req.method ?? '',
        url: req.url ?? '',
        body: raw ? JSON.parse(raw) : {},
      };
      seen.push(entry);
      const { status, headers = {}, delayMs = 0 } = answer(entry, seen.length);
      setTimeout(() => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(
          JSON.stringify(
            status < 300 ? { id: `act-${seen.length}` } : { error: { code: 'Throttled' } },
          ),
        );
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return { url, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}
