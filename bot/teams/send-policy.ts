import type { SendFailure, SendPolicy } from '../../core/app/routing/card-outbox.js';

/** Teams' limits for a bot: per conversation, and per app in a tenant (messages per second). */
export const TEAMS_LIMITS = { perConversation: 7, perTenant: 50 } as const;

/** Attempts before a card is given up (the person can still open My Services). */
export const MAX_SEND_ATTEMPTS = 8;

const BASE_MS = 1000;
const CAP_MS = 5 * 60 * 1000;

/** A status and Retry-After read off whatever error the connector threw. */
export interface FailedResponse {
  readonly status: number | undefined;
  readonly retryAfterSec: number | undefined;
}

/**
 * Throttling (429) and server errors (5xx, timeouts, no answer) are retried: after the
 * channel's Retry-After when it gives one, else exponential backoff with full jitter
 * (1 s, 2 s, 4 s ... capped at 5 min). Other 4xx (the person blocked the bot, the
 * conversation is gone) will not get better, so they are given up at once.
 */
export function decideRetry(
  response: FailedResponse,
  attempt: number,
  random: () => number,
): SendFailure {
  const { status } = response;
  const transient = status === undefined || status === 408 || status === 429 || status >= 500;
  if (!transient) return { kind: 'give-up', why: `the channel answered ${status}` };
  if (attempt >= MAX_SEND_ATTEMPTS)
    return { kind: 'give-up', why: `still failing after ${attempt} attempts` };
  if (response.retryAfterSec !== undefined)
    return { kind: 'retry', afterMs: response.retryAfterSec * 1000 + Math.floor(random() * 250) };
  const ceiling = Math.min(CAP_MS, BASE_MS * 2 ** (attempt - 1));
  return { kind: 'retry', afterMs: Math.max(100, Math.floor(random() * ceiling)) };
}

/** Reads the status and Retry-After of an error from botbuilder's connector (or fetch). */
export function failedResponse(error: unknown): FailedResponse {
  const e = error as {
    statusCode?: unknown;
    response?: { status?: unknown; headers?: unknown };
  };
  const status =
    typeof e.statusCode === 'number'
      ? e.statusCode
      : typeof e.response?.status === 'number'
        ? e.response.status
        : undefined;
  return { status, retryAfterSec: retryAfterOf(e.response?.headers) };
}

function retryAfterOf(headers: unknown): number | undefined {
  let raw: unknown;
  if (headers && typeof (headers as { get?: unknown }).get === 'function')
    raw = (headers as { get(name: string): unknown }).get('retry-after');
  else if (headers && typeof headers === 'object')
    raw = (headers as Record<string, unknown>)['retry-after'];
  const seconds = Number(raw);
  return raw !== undefined && raw !== null && Number.isFinite(seconds) && seconds >= 0
    ? seconds
    : undefined;
}

/**
 * Why a send failed, in one short line: the channel's status and code, or the network
 * error's code and message (never a stack).
 */
export function causeOf(error: unknown): string {
  const { status } = failedResponse(error);
  const e = error as { code?: unknown; message?: unknown; cause?: unknown };
  const inner = e.cause as { code?: unknown; message?: unknown } | undefined;
  const code =
    typeof e.code === 'string' ? e.code : typeof inner?.code === 'string' ? inner.code : '';
  const raw = typeof e.message === 'string' && e.message ? e.message : String(error);
  const message = raw.split('\n')[0]?.slice(0, 200) ?? '';
  const parts = [status !== undefined ? `the channel answered ${status}` : '', code, message];
  return parts.filter((p, i) => p && parts.indexOf(p) === i).join(': ');
}

/** Teams' rules for the card outbox. */
export const TEAMS_SEND_POLICY: SendPolicy = {
  limits: TEAMS_LIMITS,
  decide: (error, attempt, random) => decideRetry(failedResponse(error), attempt, random),
  status: (error) => failedResponse(error).status,
  cause: causeOf,
};
