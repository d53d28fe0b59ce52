import { z } from 'zod';
import { ADMIN_ROLES, type DirectoryUser } from '../domain/directory-user.js';
import { asOrgUnitId, asTenantId, asUserId, type TenantId, type UserId } from '../domain/ids.js';
import { TableRepository, type EntityMapping, type TableKey } from './table-repository.js';
import type { TableStorage } from './table-storage.js';

const row = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  displayName: z.string(),
  ouId: z.string(),
  roles: z.string().transform((json) => z.array(z.enum(ADMIN_ROLES)).parse(JSON.parse(json))),
});

export const userKey = (tenantId: TenantId, id: UserId): TableKey => ({
  partitionKey: tenantId,
  rowKey: id,
});

const userMapping: EntityMapping<DirectoryUser> = {
  table: 'Users',
  keyOf: (u) => userKey(u.tenantId, u.id),
  toEntity: (u) => ({ displayName: u.displayName, ouId: u.ouId, roles: JSON.stringify(u.roles) }),
  fromEntity: (entity) => {
    const r = row.parse(entity);
    return {
      tenantId: asTenantId(r.partitionKey),
      id: asUserId(r.rowKey),
      displayName: r.displayName,
      ouId: asOrgUnitId(r.ouId),
      roles: r.roles,
    };
  },
};

export type UserStore = TableRepository<DirectoryUser>;

export const createUserStore = (storage: TableStorage): UserStore =>
  new TableRepository(storage, userMapping);
