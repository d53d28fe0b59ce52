/** Which `serviceUrl`s the bot may store as where a person's cards go. */
export interface ServiceUrlPolicy {
  /** Host names (or `*.domain`) of Bot Framework and Teams channels, reached over https. */
  readonly hosts: readonly string[];
  /** Dev mode: the Agents Playground on this machine, over plain http. */
  readonly allowLoopbackHttp: boolean;
  /** Only an authenticated activity may name a channel host: anyone could claim one. */
  readonly authenticated: boolean;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function hostMatches(host: string, pattern: string): boolean {
  return pattern.startsWith('*.')
    ? host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1
    : host === pattern;
}

/** Why a `serviceUrl` is refused, or null when cards may be sent there. */
export function serviceUrlRefusal(raw: string, policy: ServiceUrlPolicy): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'serviceUrl is not a URL.';
  }
  if (url.username || url.password) return 'serviceUrl must not carry credentials.';
  const host = url.hostname.toLowerCase();
  if (url.protocol === 'http:' && policy.allowLoopbackHttp && LOOPBACK_HOSTS.has(host)) return null;
  if (url.protocol !== 'https:')
    return policy.allowLoopbackHttp
      ? 'serviceUrl must be https, or http on this machine.'
      : 'serviceUrl must be https.';
  if (!policy.hosts.some((p) => hostMatches(host, p)))
    return 'serviceUrl is not a Bot Framework or Teams channel this bot serves.';
  if (!policy.authenticated)
    return 'This bot has no registration (BOT_ID), so it accepts channel addresses only on this machine.';
  return null;
}
