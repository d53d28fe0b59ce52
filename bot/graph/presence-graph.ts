import { z } from 'zod';
import { GraphProblem } from '../../core/app/graph-problem.js';
import { type GraphPresenceReading, type PresenceGraph } from '../../core/app/presence-feed.js';
import { asUserId } from '../../core/domain/ids.js';
import { instantOf, toIso, type Instant } from '../../core/domain/instant.js';
import type { GraphClient } from './graph-client.js';

const presences = z.object({
  value: z.array(
    z.object({ id: z.string(), availability: z.string(), activity: z.string() }).loose(),
  ),
});
const subscription = z.object({ id: z.string(), expirationDateTime: z.string() }).loose();
const user = z.object({ id: z.string(), displayName: z.string().nullish() }).loose();

/** Graph's times may carry seven decimals; JavaScript reads three. */
const instantFrom = (iso: string): Instant =>
  instantOf(Date.parse(iso.replace(/(\.\d{3})\d+/, '$1').replace(/([^Z+-]\d)$/, '$1Z')));

/** An OData string literal: a quote doubles. */
const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** The presence feed's requests, as Microsoft Graph documents them. */
export function presenceGraph(
  client: GraphClient,
  urls: { notifications: string; lifecycle: string } | undefined,
): PresenceGraph {
  return {
    async read(tenantId, userIds) {
      const body = await client.request(
        tenantId,
        'POST',
        '/communications/getPresencesByUserId',
        'Presence.Read.All',
        { ids: userIds },
      );
      return presences.parse(body).value.map((p): GraphPresenceReading => ({
        id: asUserId(p.id),
        availability: p.availability,
        activity: p.activity,
      }));
    },
    async subscribe(tenantId, { userIds, clientState, expiresAt }) {
      if (!urls) throw new Error('No notification URL to subscribe with');
      const made = subscription.parse(
        await client.request(tenantId, 'POST', '/subscriptions', 'Presence.Read.All', {
          changeType: 'updated',
          notificationUrl: urls.notifications,
          lifecycleNotificationUrl: urls.lifecycle,
          resource: `/communications/presences?$filter=id in (${userIds.map(literal).join(',')})`,
          expirationDateTime: toIso(expiresAt),
          clientState,
        }),
      );
      return { id: made.id, expiresAt: instantFrom(made.expirationDateTime) };
    },
    async renew(tenantId, subscriptionId, expiresAt) {
      const renewed = subscription.parse(
        await client.request(
          tenantId,
          'PATCH',
          `/subscriptions/${encodeURIComponent(subscriptionId)}`,
          'Presence.Read.All',
          { expirationDateTime: toIso(expiresAt) },
        ),
      );
      return instantFrom(renewed.expirationDateTime);
    },
    async unsubscribe(tenantId, subscriptionId) {
      await client.request(
        tenantId,
        'DELETE',
        `/subscriptions/${encodeURIComponent(subscriptionId)}`,
        'Presence.Read.All',
      );
    },
    async findUser(tenantId, upn) {
      try {
        const found = user.parse(
          await client.request(
            tenantId,
            'GET',
            `/users/${encodeURIComponent(upn)}?$select=id,displayName`,
            'User.Read.All',
          ),
        );
        return { id: asUserId(found.id), displayName: found.displayName ?? upn };
      } catch (error) {
        if (error instanceof GraphProblem && error.status === 404) return null;
        throw error;
      }
    },
  };
}
