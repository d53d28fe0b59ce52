import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { CallbackRefused, type CallbackChannel } from '../../core/app/routing/callback-outbox.js';
import { isPrivateAddress } from '../../core/domain/routing/task-callbacks.js';

export interface CallbackChannelOptions {
  readonly timeoutMs?: number;
  /** Dev mode: receivers on this machine or its network are fine. */
  readonly allowPrivate?: boolean;
  /** How a name becomes addresses (the system's resolver unless a test gives one). */
  readonly resolve?: (host: string) => Promise<readonly string[]>;
}

const systemResolve = async (host: string) =>
  (await lookup(host, { all: true })).map((a) => a.address);

/**
 * Task callbacks over HTTP: a POST that follows no redirect (the address given is the one
 * told) and waits at most `timeoutMs` for the answer's status; the body is not read. A name
 * that resolves to an address inside the network is refused before anything is sent (the
 * address was checked when the task was made, but a name can change what it points to).
 */
export function fetchCallbackChannel(options: CallbackChannelOptions = {}): CallbackChannel {
  const resolve = options.resolve ?? systemResolve;
  return {
    post: async (url, body, headers) => {
      const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
      if (!options.allowPrivate && isIP(host) === 0) {
        const inside = (await resolve(host)).find(isPrivateAddress);
        if (inside) throw new CallbackRefused(`${host} resolves to ${inside}, inside the network`);
      }
      const response = await fetch(url, {
        method: 'POST',
        body,
        headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      await response.body?.cancel();
      return response.status;
    },
  };
}
