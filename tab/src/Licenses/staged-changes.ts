import { licenseWords, type License, type ServiceLicense } from '../../../core/domain/license';
import type { Licenses } from '../api/schemas';

/** One license change waiting for Save. */
export interface StagedChange {
  readonly op: 'assign' | 'remove';
  readonly license: License;
  readonly target: {
    readonly kind: 'user' | 'service';
    readonly id: string;
    readonly name: string;
  };
}

const sameSlot = (a: StagedChange, b: StagedChange) =>
  a.license === b.license && a.target.kind === b.target.kind && a.target.id === b.target.id;

/** Stages a person's license change; staging the opposite of a staged one cancels it (ticking a box back). */
export function stage(list: readonly StagedChange[], change: StagedChange): StagedChange[] {
  const opposite = list.find((c) => sameSlot(c, change) && c.op !== change.op);
  if (opposite) return list.filter((c) => c !== opposite);
  return [...list.filter((c) => !sameSlot(c, change)), change];
}

/** Stages a service's license: one pick per service, and picking what it has cancels the pick. */
export function stageServiceLicense(
  list: readonly StagedChange[],
  service: Licenses['services'][number],
  license: ServiceLicense,
): StagedChange[] {
  const rest = list.filter(
    (c) => !(c.target.kind === 'service' && c.target.id === service.serviceId),
  );
  if (license === service.license) return rest;
  const target = { kind: 'service' as const, id: service.serviceId, name: service.name };
  return [...rest, { op: 'assign', license, target }];
}

/** Whether a user holds a license once the staged changes apply. */
export function holdsAfter(
  licenses: Licenses,
  list: readonly StagedChange[],
  userId: string,
  license: License,
): boolean {
  const staged = list.find(
    (c) => c.target.kind === 'user' && c.target.id === userId && c.license === license,
  );
  if (staged) return staged.op === 'assign';
  return licenses.users.find((u) => u.userId === userId)?.licenses.includes(license) ?? false;
}

/** A service's license once the staged changes apply. */
export function serviceLicenseAfter(
  licenses: Licenses,
  list: readonly StagedChange[],
  serviceId: string,
): string | undefined {
  const staged = list.find((c) => c.target.kind === 'service' && c.target.id === serviceId);
  return staged?.license ?? licenses.services.find((s) => s.serviceId === serviceId)?.license;
}

/** How many of a pool are in use once the staged changes apply. */
export function usedAfter(
  licenses: Licenses,
  list: readonly StagedChange[],
  license: License,
): number {
  const before = licenses.pools.find((p) => p.license === license)?.used ?? 0;
  return list.reduce((used, c) => {
    if (c.license === license) return used + (c.op === 'assign' ? 1 : -1);
    if (c.target.kind !== 'service') return used;
    // a service moving to another license frees its old one
    const old = licenses.services.find((s) => s.serviceId === c.target.id)?.license;
    return old === license ? used - 1 : used;
  }, before);
}

/** The body of `POST /licenses/changes`. */
export const changesBody = (list: readonly StagedChange[], confirmIrreversible: boolean) => ({
  changes: list.map((c) => ({
    op: c.op,
    license: c.license,
    ...(c.target.kind === 'user' ? { userId: c.target.id } : { serviceId: c.target.id }),
  })),
  confirmIrreversible,
});

export const describeChange = (c: StagedChange) =>
  c.op === 'assign'
    ? `Give ${c.target.name} ${licenseWords(c.license)}`
    : `Take ${licenseWords(c.license)} from ${c.target.name}`;
