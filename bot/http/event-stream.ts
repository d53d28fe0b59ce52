import type { Request, Response } from 'restify';
import type { Logger } from 'pino';

/** Where a stream writes its events. */
export interface EventSink {
  send(event: string, data: unknown): void;
}

/**
 * A server-sent event stream: it writes to the sink until the signal aborts (the client
 * left or the server is stopping), then resolves.
 */
export type EventStream = (sink: EventSink, signal: AbortSignal) => Promise<void>;

export interface PipeOptions {
  readonly shutdown: AbortSignal;
  readonly log: Logger;
  /** A comment line this often keeps proxies from closing an idle stream. */
  readonly heartbeatMs?: number;
}

/** Answers a request with `text/event-stream` and pumps the stream into it. */
export async function pipeEventStream(
  req: Request,
  res: Response,
  stream: EventStream,
  options: PipeOptions,
): Promise<void> {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.write(': connected\n\n');
  const ended = new AbortController();
  const end = () => ended.abort();
  req.once('close', end);
  options.shutdown.addEventListener('abort', end, { once: true });
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), options.heartbeatMs ?? 15_000);
  let id = 0;
  const sink: EventSink = {
    send: (event, data) => {
      id += 1;
      res.write(`id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
  };
  try {
    await stream(sink, ended.signal);
  } catch (err) {
    options.log.error({ err, url: req.url }, 'event stream failed');
  } finally {
    clearInterval(heartbeat);
    options.shutdown.removeEventListener('abort', end);
    res.end();
  }
}
