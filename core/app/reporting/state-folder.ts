import type { ServiceId, TenantId, UserId } from '../../domain/ids.js';
import { instantOf, type Instant } from '../../domain/instant.js';
import {
  addDayTimes,
  stretchTimes,
  type ActiveSwitch,
  type ServiceRule,
} from '../../domain/reporting/time-in-state.js';
import { DAY_MS } from '../../domain/reporting/tally.js';
import type { Service } from '../../domain/service.js';
import type { StateTimeMark } from '../../store/state-time-rows.js';
import type { Stores } from '../../store/stores.js';
import { MAX_TRANSACTION_OPS, type WriteOp } from '../../store/table-transaction.js';
import type { UserStateRecord } from '../../store/user-state-rows.js';
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

export const ruleOf = (service: Service): ServiceRule => ({
  serviceId: service.id,
  skillBased: service.assignmentType === 'SkillBased',
  presence: service.settings.distribution.presence,
});

/** Counts the people's changes not counted yet; answers how many. */
export async function foldStates(stores: Stores, tenantId: TenantId): Promise<number> {
  const pending = await stores.stateTimes.pending(tenantId);
  const byUser = new Map<UserId, UserStateRecord[]>();
  for (const mark of pending) byUser.set(mark.userId, [...(byUser.get(mark.userId) ?? []), mark]);
  for (const marks of byUser.values()) {
    marks.sort((a, b) => a.step.at - b.step.at || (a.seq < b.seq ? -1 : 1));
    for (const mark of marks) await foldMark(stores, mark);
  }
  return pending.length;
}

/** Folds one change: the stretch it ends, a few days per transaction if it is long. */
async function foldMark(stores: Stores, mark: UserStateRecord): Promise<void> {
  if (mark.step.kind !== 'state') return;
  const { tenantId, userId } = mark;
  const change = mark.step;
  for (let done = false; !done;)
    done = await retryOnConflict(async () => {
      // Another instance (or another fold here) may have counted it meanwhile.
      if (!(await stores.stateTimes.isMarked(mark))) return true;
      const standing = await stores.stateTimes.standing(tenantId, userId);
      const { rules, active } = await rulesOf(stores, tenantId, userId);
      if (!standing || change.at < standing.value.at) {
        // The first change counted starts the count (nothing is known of the time before),
        // Active as it stood then: as now, unless a later switch says otherwise.
        const ops: WriteOp[] = [stores.stateTimes.unmarkOp(mark)];
        if (!standing) {
          const then = { ...active };
          const later = await stores.userStates.switchesAfter(tenantId, userId, change.at);
          for (const { step } of later.reverse())
            if (step.kind === 'active') then[step.serviceId] = !step.active;
          ops.push(
            stores.stateTimes.putStandingOp(
              { tenantId, userId, at: change.at, state: change.after, active: then },
              undefined,
            ),
          );
        }
        await stores.commit(ops);
        return true;
      }
      // Each day of each service is a row: a long stretch goes a few days per transaction.
      const daysPerStep = Math.max(
        1,
        Math.floor((MAX_TRANSACTION_OPS - 4) / Math.max(1, rules.length)) - 1,
      );
      const from = standing.value.at;
      const to = instantOf(Math.min(change.at, from + daysPerStep * DAY_MS));
      const switches = await switchesWithin(stores, tenantId, userId, from, to);
      const counted = stretchTimes(
        from,
        to,
        standing.value.state,
        new Map(Object.entries(standing.value.active) as [ServiceId, boolean][]),
        switches,
        rules,
      );
      const ops: WriteOp[] = [];
      for (const [serviceId, days] of counted.times)
        for (const [day, times] of days) {
          const key = { tenantId, serviceId, day, userId };
          const row = await stores.stateTimes.day(key);
          ops.push(
            stores.stateTimes.putDayOp(
              { ...key, times: addDayTimes(row?.value.times, times) },
              row?.etag,
            ),
          );
        }
      const finished = to === change.at;
      const next: StateTimeMark = {
        tenantId,
        userId,
        at: to,
        state: finished ? change.after : standing.value.state,
        active: Object.fromEntries(counted.active),
      };
      ops.push(stores.stateTimes.putStandingOp(next, standing.etag));
      if (finished) ops.push(stores.stateTimes.unmarkOp(mark));
      await stores.commit(ops);
      return finished;
    });
}

/** A person's Active switches in (from, to]. */
export async function switchesWithin(
  stores: Stores,
  tenantId: TenantId,
  userId: UserId,
  from: Instant,
  to: Instant,
): Promise<ActiveSwitch[]> {
  return (await stores.userStates.switchesAfter(tenantId, userId, from)).flatMap(({ step }) =>
    step.kind === 'active' && step.at <= to
      ? [{ at: step.at, serviceId: step.serviceId, active: step.active }]
      : [],
  );
}
