import { z } from 'zod';
import {
  asOrgUnitId,
  asServiceId,
  asTenantId,
  type ServiceId,
  type TenantId,
} from '../domain/ids.js';
import { instantOf } from '../domain/instant.js';
import { SERVICE_LICENSES } from '../domain/license.js';
import { ASSIGNMENT_TYPES, TEAM_STATES, type Service } from '../domain/service.js';
import { distributionSettings, extensionSettings } from '../domain/service-settings.js';
import { jsonColumn, TENANCY_TABLE } from './json-column.js';
import { TableRepository, type EntityMapping, type TableKey } from './table-repository.js';
import type { TableStorage } from './table-storage.js';

const PREFIX = 'service:';

const row = z.object({
  partitionKey: z.string(),
  rowKey: z.string().startsWith(PREFIX),
  name: z.string(),
  ouId: z.string(),
  license: z.enum(SERVICE_LICENSES),
  assignmentType: z.enum(ASSIGNMENT_TYPES),
  teamId: z.string().nullish(),
  teamState: z.enum(TEAM_STATES).nullish(),
  teamGroupId: z.string().nullish(),
  deletingSince: z.number().nullish(),
  phoneNumber: z.string().nullish(),
  createdAt: z.number(),
  distribution: jsonColumn(distributionSettings),
  extensions: jsonColumn(extensionSettings),
});

export const serviceKey = (tenantId: TenantId, id: ServiceId): TableKey => ({
  partitionKey: tenantId,
  rowKey: `${PREFIX}${id}`,
});

const serviceMapping: EntityMapping<Service> = {
  table: TENANCY_TABLE,
  cached: true,
  rowPrefix: PREFIX,
  keyOf: (s) => serviceKey(s.tenantId, s.id),
  toEntity: (s) => ({
    name: s.name,
    ouId: s.ouId,
    license: s.license,
    assignmentType: s.assignmentType,
    teamId: s.teamId,
    teamState: s.teamState && s.teamState !== 'Active' ? s.teamState : null,
    teamGroupId: s.teamGroupId ?? null,
    deletingSince: s.deletingSince ?? null,
    phoneNumber: s.phoneNumber,
    createdAt: s.createdAt,
    distribution: JSON.stringify(s.settings.distribution),
    extensions: JSON.stringify(s.settings.extensions),
  }),
  fromEntity: (entity) => {
    const r = row.parse(entity);
    return {
      tenantId: asTenantId(r.partitionKey),
      id: asServiceId(r.rowKey.slice(PREFIX.length)),
      name: r.name,
      ouId: asOrgUnitId(r.ouId),
      license: r.license,
      assignmentType: r.assignmentType,
      teamId: r.teamId ?? null,
      ...(r.teamState && r.teamState !== 'Active' && { teamState: r.teamState }),
      ...(r.teamGroupId && { teamGroupId: r.teamGroupId }),
      ...(r.deletingSince != null && { deletingSince: instantOf(r.deletingSince) }),
      phoneNumber: r.phoneNumber ?? null,
      createdAt: instantOf(r.createdAt),
      settings: { distribution: r.distribution, extensions: r.extensions },
    };
  },
};

export type ServiceStore = TableRepository<Service>;

export const createServiceStore = (storage: TableStorage): ServiceStore =>
  new TableRepository(storage, serviceMapping);
