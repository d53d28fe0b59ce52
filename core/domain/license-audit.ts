import type { DirectoryUser } from './directory-user.js';
import type { License, LicensePool } from './license.js';
import type { Service } from './service.js';

export interface PoolMismatch {
  readonly license: License;
  readonly used: number;
  readonly held: number;
  readonly total: number;
}

/**
 * Checks the bookkeeping: every pool's `used` equals the number of users or services
 * holding that license, and no pool holds more than its total. Empty means consistent.
 */
export function auditLicenses(
  pools: readonly LicensePool[],
  users: readonly DirectoryUser[],
  services: readonly Service[],
): PoolMismatch[] {
  const held = new Map<License, number>();
  const count = (license: License) => held.set(license, (held.get(license) ?? 0) + 1);
  users.forEach((u) => u.licenses.forEach(count));
  services.forEach((s) => count(s.license));
  const licenses = new Set<License>([...pools.map((p) => p.license), ...held.keys()]);
  return [...licenses].flatMap((license) => {
    const pool = pools.find((p) => p.license === license);
    const used = pool?.used ?? 0;
    const total = pool?.total ?? 0;
    const n = held.get(license) ?? 0;
    return used !== n || used > total ? [{ license, used, held: n, total }] : [];
  });
}
