import { z } from 'zod';
import { ADMIN_ROLES, type DirectoryUser } from '../domain/directory-user.js';
import { asOrgUnitId, asTenantId, asUserId, type TenantId, type UserId } from '../domain/ids.js';
import { MODALITY_LICENSES, USER_LICENSES } from '../domain/license.js';
import { sharedJsonColumn, sharedString, TENANCY_TABLE } from './json-column.js';
import { TableRepository, type EntityMapping, type TableKey } from './table-repository.js';
import type { TableStorage } from './table-storage.js';

const PREFIX = 'user:';

const row = z.object({
  partitionKey: z.string(),
  rowKey: z.string().startsWith(PREFIX),
  displayName: z.string(),
  ouId: z.string(),
  // Most people repeat the same few roles, licenses and skills: each text is held once.
  roles: sharedJsonColumn(z.array(z.enum(ADMIN_ROLES))),
  licenses: sharedJsonColumn(z.array(z.enum([...USER_LICENSES, ...MODALITY_LICENSES]))),
  skills: sharedJsonColumn(z.record(z.string(), z.number())),
});

export const userKey = (tenantId: TenantId, id: UserId): TableKey => ({
  partitionKey: tenantId,
  rowKey: `${PREFIX}${id}`,
});

const userMapping: EntityMapping<DirectoryUser> = {
  table: TENANCY_TABLE,
  cached: true,
  rowPrefix: PREFIX,
  keyOf: (u) => userKey(u.tenantId, u.id),
  toEntity: (u) => ({
    displayName: u.displayName,
    ouId: u.ouId,
    roles: JSON.stringify(u.roles),
    licenses: JSON.stringify(u.licenses),
    skills: JSON.stringify(u.skills),
  }),
  fromEntity: (entity) => {
    const r = row.parse(entity);
    return {
      tenantId: asTenantId(sharedString(r.partitionKey)),
      id: asUserId(r.rowKey.slice(PREFIX.length)),
      displayName: r.displayName,
      ouId: asOrgUnitId(sharedString(r.ouId)),
      roles: r.roles,
      licenses: r.licenses,
      skills: r.skills,
    };
  },
};

export type UserStore = TableRepository<DirectoryUser>;

export const createUserStore = (storage: TableStorage): UserStore =>
  new TableRepository(storage, userMapping);
