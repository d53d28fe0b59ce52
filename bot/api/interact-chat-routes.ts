import { jwtVerify } from 'jose';
import { z } from 'zod';
import type { AppDeps } from '../../core/app/app-deps.js';
import {
  agentSays,
  chatTranscript,
  customerLeaves,
  customerSays,
  customerView,
  MAX_CHAT_TEXT,
  startChat,
  type CustomerTokens,
  type ChatMessage,
  type CustomerView,
} from '../../core/app/interact/interact-chat.js';

import { toIso } from '../../core/domain/instant.js';
import { ApiError } from '../http/api-error.js';
import { defineRoute, type Route } from '../http/route.js';
import { reply } from '../http/refusal-error.js';
import { tokenBuckets } from '../http/request-limiter.js';
import type { Verification } from '../auth/token-verifier.js';
import { taskParams } from './api-schemas.js';

/** How often one chat or one tenant may do each thing, per minute (per instance). */
export const CHAT_LIMITS = {
  startsPerTenant: 60,
  messagesPerChat: 20,
  pollsPerChat: 120,
} as const;

const credential = z.string().min(1).max(300);

const lineView = (m: ChatMessage) => ({
  key: m.key,
  from: m.from,
  text: m.text,
  at: toIso(m.at),
});

const customerChatView = (view: CustomerView) => ({
  ...view.standing,
  customerName: view.session.customerName,
  messages: view.messages.map(lineView),
});

/** Customer tokens: HS256 JWTs the tenant's website signs, or the tenant's own Entra tokens. */
export function customerTokens(
  verifyEntra: (token: string) => Promise<Verification>,
): CustomerTokens {
  return {
    async signedByWebsite(token, secret) {
      try {
        const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
          algorithms: ['HS256'],
          requiredClaims: ['exp'],
        });
        return { name: typeof payload.name === 'string' ? payload.name : null };
      } catch {
        return null;
      }
    },
    async ofTenant(token, tenantId) {
      const checked = await verifyEntra(token);
      if (!checked.ok || checked.principal.kind !== 'user') return null;
      return checked.principal.tenantId === tenantId ? { name: null } : null;
    },
  };
}

/**
 * Website chat (Interact): the customer's side, public (the widget key and then the chat's
 * own credential are what it shows), rate-limited per chat and per tenant; and the agent's
 * side, with a token.
 */
export function interactChatRoutes(deps: AppDeps, tokens: CustomerTokens): Route[] {
  const buckets = tokenBuckets();
  const limit = (key: string, perMinute: number, what: string) => {
    const wait = buckets.wait(key, perMinute);
    if (wait)
      throw new ApiError(
        429,
        'rate_limited',
        `Too many ${what}; try again in ${wait} s.`,
        { retryAfterSec: wait, scope: 'chat' },
        { 'Retry-After': String(wait) },
      );
    buckets.take(key);
  };
  const chatId = (chat: string) => chat.split('~').slice(0, 2).join('~');
  return [
    defineRoute({
      method: 'POST',
      path: '/interact/chats',
      summary: 'A customer starts a website chat with a service (the widget key names the tenant)',
      tags: ['interact'],
      auth: 'public',
      rateLimit: `More than ${CHAT_LIMITS.startsPerTenant} new chats a minute for this tenant (rate_limited): try again after Retry-After seconds`,
      body: z
        .object({
          widgetKey: z.string().min(1).max(200),
          serviceId: z.string().min(1).max(128),
          name: z.string().max(200).optional(),
          token: z.string().max(8000).optional(),
        })
        .strict(),
      success: {
        status: 201,
        description:
          '{"chat" (the credential the page keeps for this chat), "state":"waiting|connected|ended", "position" (1 is next), "beyond" (true: at least position - 1 wait ahead; places are counted to 100), "customerName", "messages"}',
      },
      handle: async ({ body }) => {
        limit(
          `start:${body.widgetKey.split('~')[1] ?? ''}`,
          CHAT_LIMITS.startsPerTenant,
          'new chats',
        );
        const started = await startChat(deps, tokens, body);
        if (!started.ok) return reply(started, () => null);
        const view = await customerView(deps, started.value.credential);
        return reply(
          view,
          (v) => ({ chat: started.value.credential, ...customerChatView(v) }),
          201,
        );
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/interact/chats/poll',
      summary:
        'The customer’s chat now: waiting with its place in the queue, connected with the agent’s name, or ended; and the lines after `after`',
      tags: ['interact'],
      auth: 'public',
      rateLimit: `More than ${CHAT_LIMITS.pollsPerChat} polls a minute for this chat (rate_limited): try again after Retry-After seconds`,
      body: z.object({ chat: credential, after: z.string().max(40).optional() }).strict(),
      success: {
        status: 200,
        description: '{"state", "position" and "beyond"|"agentName"|"how", "messages"}',
      },
      handle: async ({ body }) => {
        limit(`poll:${chatId(body.chat)}`, CHAT_LIMITS.pollsPerChat, 'requests for this chat');
        return reply(await customerView(deps, body.chat, body.after), customerChatView);
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/interact/chats/messages',
      summary: 'The customer writes a line (plain text)',
      tags: ['interact'],
      auth: 'public',
      rateLimit: `More than ${CHAT_LIMITS.messagesPerChat} lines a minute in this chat (rate_limited): try again after Retry-After seconds`,
      body: z.object({ chat: credential, text: z.string().max(MAX_CHAT_TEXT * 2) }).strict(),
      success: { status: 201, description: 'The line as kept' },
      handle: async ({ body }) => {
        limit(`say:${chatId(body.chat)}`, CHAT_LIMITS.messagesPerChat, 'messages');
        return reply(await customerSays(deps, body.chat, body.text), lineView, 201);
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/interact/chats/leave',
      summary:
        'The customer leaves: a waiting chat is canceled, a taken one is marked "customer left" for its agent',
      tags: ['interact'],
      auth: 'public',
      body: z.object({ chat: credential }).strict(),
      success: { status: 200, description: '{"left": true}' },
      handle: async ({ body }) =>
        reply(await customerLeaves(deps, body.chat), () => ({ left: true })),
    }),
    defineRoute({
      method: 'GET',
      path: '/tasks/{taskId}/chat',
      summary:
        'A website chat’s transcript (the agent who took it, the service’s owners and admins)',
      tags: ['interact'],
      auth: 'token',
      params: taskParams,
      success: {
        status: 200,
        description:
          '{"taskId", "customerName", "agentName", "leftAt", "leftHow", "messages":[{"key","from":"customer|agent","text","at"}]}',
      },
      handle: async ({ params, principal }) =>
        reply(await chatTranscript(deps, principal, params.taskId), (t) => ({
          taskId: t.task.id,
          customerName: t.chat.session.customerName,
          agentName: t.agentName,
          leftAt: t.chat.session.leftAt === null ? null : toIso(t.chat.session.leftAt),
          leftHow: t.chat.session.leftHow,
          messages: t.chat.messages.map(lineView),
        })),
    }),
    defineRoute({
      method: 'POST',
      path: '/tasks/{taskId}/chat/messages',
      summary: 'The agent who took a website chat writes to its customer',
      tags: ['interact'],
      auth: 'token',
      params: taskParams,
      body: z.object({ text: z.string().max(MAX_CHAT_TEXT * 2) }).strict(),
      success: { status: 201, description: 'The line as kept' },
      handle: async ({ params, body, principal }) =>
        reply(await agentSays(deps, principal, params.taskId, body.text), lineView, 201),
    }),
  ];
}
