import type { ServiceId, TenantId, UserId } from '../../domain/ids.js';
import { instantOf } from '../../domain/instant.js';
import {
  addDayTimes,
  stretchTimes,
  type ActiveSwitch,
  type ServiceRule,
} from '../../domain/reporting/time-in-state.js';
import { DAY_MS } from '../../domain/reporting/tally.js';
import type { Service } from '../../domain/service.js';
import {
  dayTimesKey,
  shardOf,
  stateTimeMarkKey,
  type DayTimesRecord,
  type StateTimeMark,
} from '../../store/state-time-rows.js';
import type { Versioned } from '../../store/table-repository.js';
import type { Stores } from '../../store/stores.js';
import { MAX_TRANSACTION_OPS, type WriteOp } from '../../store/table-transaction.js';
import { inTimeOrder, type UserStateRecord } from '../../store/user-state-rows.js';
import { retryOnConflict } from '../retry-on-conflict.js';

/*
 * Counting people's time Active and available (issue #21), as reporting counts tasks:
 * each kept change of a person's routing state is marked in its own transaction; folding a
 * mark adds the stretch it ends (since where counting stood for the person) to the
 * person's days per service, moves their standing to the change, and deletes the mark, in
 * one transaction under the rows' ETags: each stretch counts once, whoever folds it, or
 * dies folding. Active switches within a stretch split it (they are kept beside the
 * memberships, see user-state-rows.ts). A service's settings are taken as they are when
 * the stretch is counted, seconds after it ends.
 */

/** The rules of a person's services (their memberships now; a service left counts no more). */
export async function rulesOf(stores: Stores, tenantId: TenantId, userId: UserId) {
  const tenancy = await stores.tenancyIndex(tenantId);
  const rules: ServiceRule[] = [];
  const active: Record<string, boolean> = {};
  for (const service of tenancy.services.values()) {
    const membership = tenancy.membership(service.id, userId);
    if (!membership) continue;
    rules.push(ruleOf(service));
    active[service.id] = membership.active;
  }
  return { rules, active };
}

/** The Active switches among kept changes (one person's, or everyone's). */
export const activeSwitches = (
  records: readonly UserStateRecord[],
  userId?: UserId,
): ActiveSwitch[] =>
  records.flatMap(({ userId: who, step }) =>
    step.kind === 'active' && (userId === undefined || who === userId)
      ? [{ at: step.at, serviceId: step.serviceId, active: step.active }]
      : [],
  );

/** Active per service, as a person's standing holds it. */
export const activeOf = (standing: StateTimeMark): Map<ServiceId, boolean> =>
  new Map(Object.entries(standing.active) as [ServiceId, boolean][]);

export const ruleOf = (service: Service): ServiceRule => ({
  serviceId: service.id,
  skillBased: service.assignmentType === 'SkillBased',
  presence: service.settings.distribution.presence,
});

/** Counts the people's changes not counted yet; answers how many. */
export async function foldStates(stores: Stores, tenantId: TenantId): Promise<number> {
  const pending = (await stores.stateTimes.pending(tenantId)).sort(inTimeOrder);
  const byUser = new Map<UserId, UserStateRecord[]>();
  for (const mark of pending) byUser.set(mark.userId, [...(byUser.get(mark.userId) ?? []), mark]);
  for (const [userId, listed] of byUser) {
    let attempt = 0;
    await retryOnConflict(async () => {
      // After a lost race, read them again: another instance may have counted some meanwhile.
      const marks =
        attempt++ === 0
          ? listed
          : (await stores.stateTimes.pending(tenantId, userId)).sort(inTimeOrder);
      if (marks.length) await foldUser(stores, tenantId, userId, marks);
    });
  }
  return pending.length;
}

/**
 * Folds one person's marks in order, each in its own transaction (a long stretch a few
 * days per transaction), reading their standing, switches and days once.
 */
async function foldUser(
  stores: Stores,
  tenantId: TenantId,
  userId: UserId,
  marks: readonly UserStateRecord[],
): Promise<void> {
  const { stateTimes } = stores;
  const [read, { rules, active }] = await Promise.all([
    stateTimes.standing(tenantId, userId),
    rulesOf(stores, tenantId, userId),
  ]);
  let standing = read;
  const since = Math.min(standing?.value.at ?? Infinity, marks[0]!.step.at);
  const switches = activeSwitches(await stores.userStates.switchesAfter(tenantId, since, userId));
  const days = new Map<string, Versioned<DayTimesRecord> | undefined>();
  const standingKey = stateTimeMarkKey(tenantId, userId).rowKey;
  for (const mark of marks) {
    if (mark.step.kind !== 'state') continue;
    const change = mark.step;
    if (!standing || change.at < standing.value.at) {
      // The first change counted starts the count (nothing is known of the time before),
      // Active as it stood then: as now, unless a later switch says otherwise.
      const ops: WriteOp[] = [stateTimes.unmarkOp(mark)];
      if (!standing) {
        const then = { ...active };
        for (const s of [...switches].reverse())
          if (s.at > change.at) then[s.serviceId] = !s.active;
        const first: StateTimeMark = {
          tenantId,
          userId,
          at: change.at,
          state: change.after,
          active: then,
        };
        ops.push(stateTimes.putStandingOp(first, undefined));
        const etags = await stores.commit(ops);
        standing = { value: first, etag: etags.get(standingKey)! };
      } else await stores.commit(ops);
      continue;
    }
    // Each day of each service is a row: a long stretch goes a few days per transaction.
    const daysPerStep = Math.max(
      1,
      Math.floor((MAX_TRANSACTION_OPS - 4) / Math.max(1, rules.length)) - 1,
    );
    for (let finished = false; !finished;) {
      const from = standing.value.at;
      const to = instantOf(Math.min(change.at, from + daysPerStep * DAY_MS));
      const counted = stretchTimes(
        from,
        to,
        standing.value.state,
        activeOf(standing.value),
        switches,
        rules,
      );
      const ops: WriteOp[] = [];
      const written: DayTimesRecord[] = [];
      for (const [serviceId, byDay] of counted.times)
        for (const [day, times] of byDay) {
          const key = { tenantId, serviceId, day, shard: shardOf(userId) };
          const rowKey = dayTimesKey(key).rowKey;
          if (!days.has(rowKey)) days.set(rowKey, await stateTimes.day(key));
          const row = days.get(rowKey);
          const people = row?.value.people ?? {};
          const next = {
            ...key,
            people: { ...people, [userId]: addDayTimes(people[userId], times) },
          };
          ops.push(stateTimes.putDayOp(next, row?.etag));
          written.push(next);
        }
      finished = to === change.at;
      const next: StateTimeMark = {
        tenantId,
        userId,
        at: to,
        state: finished ? change.after : standing.value.state,
        active: Object.fromEntries(counted.active),
      };
      ops.push(stateTimes.putStandingOp(next, standing.etag));
      if (finished) ops.push(stateTimes.unmarkOp(mark));
      const etags = await stores.commit(ops);
      for (const record of written) {
        const rowKey = dayTimesKey(record).rowKey;
        days.set(rowKey, { value: record, etag: etags.get(rowKey)! });
      }
      standing = { value: next, etag: etags.get(standingKey)! };
    }
  }
}
