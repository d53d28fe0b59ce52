import type { TenantId, UserId } from './ids.js';
import type { Instant } from './instant.js';

/** Graph takes at most this many ids in one presence subscription or one presence read. */
export const PRESENCE_IDS_PER_REQUEST = 650;

/** Presence subscriptions live at most an hour; the feed asks for a little less. */
export const SUBSCRIPTION_LIFETIME_MS = 55 * 60 * 1000;

/** A subscription is renewed once less than this is left of it. */
export const RENEW_BEFORE_MS = 15 * 60 * 1000;

/** One Graph subscription to the presence of a set of people. */
export interface PresenceSubscription {
  readonly id: string;
  readonly userIds: readonly UserId[];
  readonly expiresAt: Instant;
}

/**
 * How a tenant's presence reaches the app from Microsoft Graph: the subscriptions that
 * bring changes (one set per tenant, kept by whichever instance holds the feed's lease),
 * the secret Graph echoes with each notification, and what the tenant's admin sees.
 */
export interface PresenceFeedState {
  readonly tenantId: TenantId;
  /** Echoed by Graph in every notification; one that does not carry it is forged. */
  readonly clientState: string;
  readonly subscriptions: readonly PresenceSubscription[];
  /** When a presence from Graph last arrived (notification or read). */
  readonly lastUpdateAt: Instant | null;
  /** When everyone's presence was last read whole. */
  readonly lastPollAt: Instant | null;
  /**
   * How many times Graph's lifecycle events asked for everyone to be read again (`missed`,
   * a subscription removed or not renewed): a turn that read the row before one of them
   * keeps the ask, whatever it polled itself.
   */
  readonly pollAsked?: number;
  /**
   * Why change notifications are not used right now (no public URL, Graph refused the
   * subscription), in words; null while they are. Polling carries presence meanwhile.
   */
  readonly problem: string | null;
  /** Why the last read of everyone's presence failed, in words; null once one succeeds. */
  readonly readProblem: string | null;
  /** When subscribing may be tried again after Graph refused it. */
  readonly retrySubscribeAt: Instant | null;
  /** When the teams' rosters were last read from Graph and their services repaired. */
  readonly lastRosterAt: Instant | null;
  /** Why some team's roster could not be read then, in words; null when all were. */
  readonly rosterProblem: string | null;
}

/** Ids in the batches Graph accepts, in a stable order (so a set maps to the same batches). */
export function inBatches<T extends string>(ids: Iterable<T>): T[][] {
  const sorted = [...new Set(ids)].sort();
  const batches: T[][] = [];
  for (let i = 0; i < sorted.length; i += PRESENCE_IDS_PER_REQUEST)
    batches.push(sorted.slice(i, i + PRESENCE_IDS_PER_REQUEST));
  return batches;
}

/** What to do so the subscriptions cover exactly the people wanted, and none runs out. */
export interface SubscriptionPlan {
  /** Batches of people no subscription covers: one new subscription each. */
  readonly create: readonly (readonly UserId[])[];
  /** Subscriptions to renew (less than RENEW_BEFORE_MS left). */
  readonly renew: readonly PresenceSubscription[];
  /** Subscriptions that cover nobody wanted any more, or ran out: delete them. */
  readonly remove: readonly PresenceSubscription[];
}

/**
 * Plans the subscription set for the people of a tenant's services. A subscription's
 * filter is fixed when it is made, so one whose people all left is removed, and people
 * no subscription covers get new ones; a subscription some of whose people left keeps
 * running (the few notifications too many are ignored) until it runs out or all leave.
 */
export function planSubscriptions(
  current: readonly PresenceSubscription[],
  wanted: ReadonlySet<UserId>,
  now: Instant,
): SubscriptionPlan {
  const live = current.filter((s) => s.expiresAt > now);
  const useful = live.filter((s) => s.userIds.some((id) => wanted.has(id)));
  const covered = new Set(useful.flatMap((s) => s.userIds));
  return {
    create: inBatches([...wanted].filter((id) => !covered.has(id))),
    renew: useful.filter((s) => s.expiresAt - now < RENEW_BEFORE_MS),
    remove: current.filter((s) => !useful.includes(s)),
  };
}
