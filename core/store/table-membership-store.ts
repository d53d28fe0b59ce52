import { z } from 'zod';
import {
  asServiceId,
  asTenantId,
  asUserId,
  type ServiceId,
  type TenantId,
  type UserId,
} from '../domain/ids.js';
import { instantOf } from '../domain/instant.js';
import { MEMBER_ROLES, type Membership } from '../domain/service.js';
import { sharedString, TENANCY_TABLE } from './json-column.js';
import { TableRepository, type EntityMapping, type TableKey } from './table-repository.js';
import type { TableStorage } from './table-storage.js';

const PREFIX = 'member:';

const row = z.object({
  partitionKey: z.string(),
  rowKey: z.string().startsWith(PREFIX),
  role: z.enum(MEMBER_ROLES),
  active: z.boolean(),
  since: z.number(),
  activeSince: z.number().nullish(),
});

/** `member:{serviceId}:{userId}`: a service's members list by prefix. */
export const membershipKey = (
  tenantId: TenantId,
  serviceId: ServiceId,
  userId: UserId,
): TableKey => ({
  partitionKey: tenantId,
  rowKey: `${PREFIX}${serviceId}:${userId}`,
});

const membershipMapping: EntityMapping<Membership> = {
  table: TENANCY_TABLE,
  cached: true,
  rowPrefix: PREFIX,
  keyOf: (m) => membershipKey(m.tenantId, m.serviceId, m.userId),
  toEntity: (m) => ({
    role: m.role,
    active: m.active,
    since: m.since,
    activeSince: m.activeSince,
  }),
  fromEntity: (entity) => {
    const r = row.parse(entity);
    const [serviceId = '', userId = ''] = r.rowKey.slice(PREFIX.length).split(':');
    return {
      tenantId: asTenantId(sharedString(r.partitionKey)),
      serviceId: asServiceId(sharedString(serviceId)),
      userId: asUserId(userId),
      role: sharedString(r.role) as Membership['role'],
      active: r.active,
      since: instantOf(r.since),
      activeSince: instantOf(r.activeSince ?? r.since),
    };
  },
};

export type MembershipStore = TableRepository<Membership>;

export const createMembershipStore = (storage: TableStorage): MembershipStore =>
  new TableRepository(storage, membershipMapping);
