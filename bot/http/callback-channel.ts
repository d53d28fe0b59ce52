import type { CallbackChannel } from '../../core/app/routing/callback-outbox.js';

/**
 * Task callbacks over HTTP: a POST that follows no redirect (the address given is the one
 * told) and waits at most `timeoutMs` for the answer's status; the body is not read.
 */
export function fetchCallbackChannel(timeoutMs = 10_000): CallbackChannel {
  return {
    post: async (url, body, headers) => {
      const response = await fetch(url, {
        method: 'POST',
        body,
        headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.body?.cancel();
      return response.status;
    },
  };
}
