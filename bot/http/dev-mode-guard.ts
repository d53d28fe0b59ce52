import { isLoopbackAddress } from '../config.js';

/** Headers a proxy or tunnel adds when it forwards someone else's request to this machine. */
const FORWARDING_HEADERS = [
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-original-host',
  'x-arr-ssl',
  'x-real-ip',
] as const;

export interface IncomingOrigin {
  readonly remoteAddress: string | undefined;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/**
 * Dev mode mints tokens for anyone who asks, so it answers this machine only: a request
 * from another address, or one a proxy or tunnel forwarded (which arrives from loopback
 * but was sent from elsewhere), is refused. Returns why, or null when the request may pass.
 */
export function devModeRefusal(origin: IncomingOrigin): string | null {
  if (!isLoopbackAddress(origin.remoteAddress))
    return 'This server runs in dev mode and answers requests from this machine only.';
  const forwarded = FORWARDING_HEADERS.find((h) => origin.headers[h] !== undefined);
  if (forwarded)
    return `This server runs in dev mode and answers this machine only, not requests forwarded by a proxy or tunnel (${forwarded}). Configure an Entra app and a bot to serve others.`;
  return null;
}
