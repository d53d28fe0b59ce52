import type { DirectoryUser } from './directory-user.js';
import { downgradeBlockers, licenseRank } from './feature-gating.js';
import type { ServiceId, UserId } from './ids.js';
import {
  licenseKind,
  licenseWords,
  type License,
  type LicensePool,
  type ModalityLicense,
  type ServiceLicense,
  type UserLicense,
} from './license.js';
import {
  allow,
  invalid,
  refuse,
  type Decision,
  type DowngradeBlocker,
  type FieldProblem,
  type Refusal,
} from './refusal.js';
import type { Membership, Service } from './service.js';

export type LicenseTarget =
  | { readonly kind: 'user'; readonly id: UserId }
  | { readonly kind: 'service'; readonly id: ServiceId };

export interface LicenseChange {
  readonly op: 'assign' | 'remove';
  readonly license: License;
  readonly target: LicenseTarget;
}

/** What the changes touch, as read (pools of the tenant, target users and services, their memberships). */
export interface LicenseLedger {
  readonly pools: ReadonlyMap<License, LicensePool>;
  readonly users: ReadonlyMap<UserId, DirectoryUser>;
  readonly services: ReadonlyMap<ServiceId, Service>;
  readonly memberships: readonly Membership[];
}

export interface LicenseOutcome {
  readonly pools: readonly LicensePool[];
  readonly users: readonly DirectoryUser[];
  readonly services: readonly Service[];
  readonly removedMemberships: readonly Membership[];
}

export interface LicenseChangeOptions {
  readonly confirmIrreversible: boolean;
  /** Role check per change (who may touch which license of whom). */
  readonly mayChange: (change: LicenseChange) => Refusal | null;
}

type HeldLicense = UserLicense | ModalityLicense;

class Working {
  readonly pools: Map<License, LicensePool>;
  readonly users: Map<UserId, DirectoryUser>;
  readonly services: Map<ServiceId, Service>;
  readonly touched = {
    pools: new Set<License>(),
    users: new Set<UserId>(),
    services: new Set<ServiceId>(),
  };
  readonly removed: Membership[] = [];
  readonly problems: FieldProblem[] = [];
  readonly blockers: DowngradeBlocker[] = [];
  readonly irreversible: string[] = [];

  constructor(readonly ledger: LicenseLedger) {
    this.pools = new Map(ledger.pools);
    this.users = new Map(ledger.users);
    this.services = new Map(ledger.services);
  }

  move(license: License, delta: number): void {
    const pool = this.pools.get(license) ?? {
      tenantId: this.anyTenant(),
      license,
      total: 0,
      used: 0,
    };
    this.pools.set(license, { ...pool, used: pool.used + delta });
    this.touched.pools.add(license);
  }

  private anyTenant() {
    const first = [...this.ledger.users.values()][0] ?? [...this.ledger.services.values()][0];
    if (!first) throw new Error('license changes without any target');
    return first.tenantId;
  }
}

function applyToUser(w: Working, index: number, change: LicenseChange, userId: UserId): void {
  const user = w.users.get(userId);
  const field = `changes.${index}.userId`;
  if (!user)
    return void w.problems.push({ field, message: `${userId} is not a user of this tenant` });
  const license = change.license as HeldLicense;
  const holds = user.licenses.includes(license);
  if (change.op === 'assign') {
    if (holds)
      return void w.problems.push({
        field,
        message: `${user.displayName} already holds ${licenseWords(license)}`,
      });
    w.users.set(userId, { ...user, licenses: [...user.licenses, license] });
    w.move(license, +1);
  } else {
    if (!holds)
      return void w.problems.push({
        field,
        message: `${user.displayName} does not hold ${licenseWords(license)}`,
      });
    let next: DirectoryUser = { ...user, licenses: user.licenses.filter((l) => l !== license) };
    if (license === 'ContactCenterUser') next = removeContactCenterFeatures(w, next);
    w.users.set(userId, next);
    w.move(license, -1);
  }
  w.touched.users.add(userId);
}

/** Losing the Contact Center user license takes skills and skill-based service assignments with it. */
function removeContactCenterFeatures(w: Working, user: DirectoryUser): DirectoryUser {
  const skilled = (m: Membership) =>
    m.userId === user.id && w.services.get(m.serviceId)?.assignmentType === 'SkillBased';
  const assignments = w.ledger.memberships.filter(skilled);
  w.removed.push(...assignments);
  const skills = Object.entries(user.skills).map(([name, level]) => `${name} ${level}`);
  const lost = [
    skills.length ? `skills (${skills.join(', ')})` : '',
    assignments.length ? `${assignments.length} skill-based service assignment(s)` : '',
  ]
    .filter(Boolean)
    .join(' and ');
  w.irreversible.push(
    `${user.displayName}: the Contact Center user license${lost ? `, ${lost}` : ''}`,
  );
  return { ...user, skills: {} };
}

function applyToService(
  w: Working,
  index: number,
  change: LicenseChange,
  serviceId: ServiceId,
): void {
  const service = w.services.get(serviceId);
  const field = `changes.${index}.serviceId`;
  if (!service)
    return void w.problems.push({ field, message: `${serviceId} is not a service of this tenant` });
  if (change.op === 'remove') {
    return void w.problems.push({
      field,
      message:
        'A service always holds exactly one service license: assign another one to change it',
    });
  }
  const license = change.license as ServiceLicense;
  if (service.license === license)
    return void w.problems.push({
      field,
      message: `${service.name} already has ${licenseWords(license)}`,
    });
  if (licenseRank(license) < licenseRank(service.license))
    w.blockers.push(...downgradeBlockers(service, license));
  w.move(service.license, -1);
  w.move(license, +1);
  w.services.set(serviceId, { ...service, license });
  w.touched.services.add(serviceId);
}

function kindProblem(change: LicenseChange, index: number): FieldProblem | null {
  const kind = licenseKind(change.license);
  const field = `changes.${index}`;
  if (kind === 'virtualUser')
    return {
      field,
      message:
        'Virtual User licenses go to virtual users, which this tenant cannot create yet (preview)',
    };
  if (kind === 'service' && change.target.kind !== 'service')
    return {
      field,
      message: `${licenseWords(change.license)} is a service license: name a serviceId`,
    };
  if (kind !== 'service' && change.target.kind !== 'user')
    return { field, message: `${licenseWords(change.license)} is a user license: name a userId` };
  return null;
}

function exhausted(w: Working): Refusal | null {
  for (const license of w.touched.pools) {
    const pool = w.pools.get(license);
    if (pool && pool.used > pool.total) {
      const before = w.ledger.pools.get(license)?.used ?? 0;
      return {
        code: 'license_exhausted',
        message: `Not enough ${licenseWords(license)} licenses: ${before} of ${pool.total} in use, and these changes need ${pool.used}.`,
        details: { license, total: pool.total, used: before },
      };
    }
  }
  return null;
}

/**
 * Applies staged license changes to a snapshot, all or nothing: each change is checked
 * (target, kind, holding, role), pools may end no higher than their total, service
 * downgrades may not strand features in use, and removing a Contact Center user license
 * needs explicit confirmation because its skills and assignments go with it.
 */
export function applyLicenseChanges(
  ledger: LicenseLedger,
  changes: readonly LicenseChange[],
  options: LicenseChangeOptions,
): Decision<LicenseOutcome> {
  for (const change of changes) {
    const denied = options.mayChange(change);
    if (denied) return refuse(denied);
  }
  const w = new Working(ledger);
  changes.forEach((change, index) => {
    const problem = kindProblem(change, index);
    if (problem) return void w.problems.push(problem);
    if (change.target.kind === 'user') applyToUser(w, index, change, change.target.id);
    else applyToService(w, index, change, change.target.id);
  });
  if (w.problems.length) return refuse(invalid(w.problems));
  const short = exhausted(w);
  if (short) return refuse(short);
  if (w.blockers.length) {
    return refuse({
      code: 'downgrade_blocked',
      message: `The downgrade is blocked while these are in use: ${w.blockers.map((b) => b.message).join('; ')}.`,
      details: w.blockers,
    });
  }
  if (w.irreversible.length && !options.confirmIrreversible) {
    return refuse({
      code: 'confirmation_required',
      message: `Saving removes for good: ${w.irreversible.join('; ')}. Confirm to go ahead (confirmIrreversible: true).`,
      details: w.irreversible,
    });
  }
  return allow({
    pools: [...w.touched.pools]
      .map((l) => w.pools.get(l))
      .filter((p): p is LicensePool => p !== undefined),
    users: [...w.touched.users]
      .map((id) => w.users.get(id))
      .filter((u): u is DirectoryUser => u !== undefined),
    services: [...w.touched.services]
      .map((id) => w.services.get(id))
      .filter((s): s is Service => s !== undefined),
    removedMemberships: w.removed,
  });
}
