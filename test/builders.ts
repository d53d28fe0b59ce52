import type { Actor } from '../core/domain/actor.js';
import type { DirectoryUser } from '../core/domain/directory-user.js';
import { asOrgUnitId, asServiceId, asTenantId, asUserId } from '../core/domain/ids.js';
import { instantOf, type Instant } from '../core/domain/instant.js';
import type { License, LicensePool } from '../core/domain/license.js';
import type { OrgUnit } from '../core/domain/org-unit.js';
import type { Membership, Service } from '../core/domain/service.js';
import {
  applyServicePatch,
  DEFAULT_SERVICE_SETTINGS,
  type ServiceSettingsPatch,
} from '../core/domain/service-settings.js';
import type { Tenant } from '../core/domain/tenant.js';
import { newTenant } from '../core/domain/tenant-lifecycle.js';

/** Builders for tests: a sensible default, changed only where a test says so. */
export const T = asTenantId('tenant-1');
export const NOW = instantOf(1_795_000_000_000);

export const aTenant = (over: Partial<Tenant> = {}): Tenant => ({
  ...newTenant(T, 'Contoso', 'Active', NOW),
  ...over,
});

export const anOrgUnit = (id: string, parentId: string | null, name = id): OrgUnit => ({
  tenantId: T,
  id: asOrgUnitId(id),
  name,
  parentId: parentId === null ? null : asOrgUnitId(parentId),
});

/** root -> (sales -> emea, support) */
export const anOrgTree = () => [
  anOrgUnit('root', null),
  anOrgUnit('sales', 'root'),
  anOrgUnit('emea', 'sales'),
  anOrgUnit('support', 'root'),
];

export const aUser = (id: string, over: Partial<DirectoryUser> = {}): DirectoryUser => ({
  tenantId: T,
  id: asUserId(id),
  displayName: id,
  ouId: asOrgUnitId('sales'),
  roles: [],
  licenses: [],
  skills: {},
  ...over,
});

export const aService = (
  id: string,
  over: Partial<Service> = {},
  patch: ServiceSettingsPatch = {},
): Service => ({
  tenantId: T,
  id: asServiceId(id),
  name: id,
  ouId: asOrgUnitId('sales'),
  license: 'AdvancedRouting',
  assignmentType: 'TeamsBased',
  teamId: `team-${id}`,
  phoneNumber: null,
  createdAt: NOW,
  ...over,
  settings: applyServicePatch(over.settings ?? DEFAULT_SERVICE_SETTINGS, patch),
});

export const aPool = (license: License, total: number, used = 0): LicensePool => ({
  tenantId: T,
  license,
  total,
  used,
});

export const aMembership = (
  serviceId: string,
  userId: string,
  over: Partial<Membership> = {},
): Membership => ({
  tenantId: T,
  serviceId: asServiceId(serviceId),
  userId: asUserId(userId),
  role: 'Member',
  active: true,
  since: NOW,
  activeSince: NOW,
  ...over,
});

export const system: Actor = { kind: 'system' };
export const aTenantAdmin = (id = 'admin'): Actor => ({
  kind: 'user',
  tenantId: T,
  userId: asUserId(id),
  tenantAdmin: true,
  ouAdminOf: null,
  partner: false,
});
export const anOuAdmin = (ou: string, id = 'ou-admin'): Actor => ({
  kind: 'user',
  tenantId: T,
  userId: asUserId(id),
  tenantAdmin: false,
  ouAdminOf: asOrgUnitId(ou),
  partner: false,
});
export const aPerson = (id = 'person'): Actor => ({
  kind: 'user',
  tenantId: T,
  userId: asUserId(id),
  tenantAdmin: false,
  ouAdminOf: null,
  partner: false,
});

import type { AgentState, Engagement } from '../core/domain/routing/agent-state.js';
import { queuedTask, routingOf, type Task } from '../core/domain/routing/task.js';
import { asTaskId } from '../core/domain/ids.js';

/** After-call work on a task done elsewhere, ending at `until`. */
export const anAcw = (until: Instant, taskId = 'done', serviceId = 'hotline'): Engagement => ({
  kind: 'acw',
  taskId: asTaskId(taskId),
  serviceId: asServiceId(serviceId),
  until,
  allowEarlyEnd: true,
  allowExtension: false,
  maxExtensionSec: 0,
});

export const anAgent = (id: string, over: Partial<AgentState> = {}): AgentState => ({
  tenantId: T,
  userId: asUserId(id),
  presence: 'Available',
  engagement: null,
  chats: [],
  ronaUntil: null,
  lastTaskEndedAt: null,
  availableSince: NOW,
  changedAt: NOW,
  ...over,
});

export const aTask = (id: string, over: Partial<Task> = {}): Task => ({
  ...queuedTask({
    tenantId: T,
    id: asTaskId(id),
    serviceId: asServiceId('hotline'),
    modality: 'Call',
    subject: `Call ${id}`,
    externalId: null,
    link: null,
    priority: 'Normal',
    exit: 'DirectAvailable',
    enqueuedAt: NOW,
    routing: routingOf(DEFAULT_SERVICE_SETTINGS.distribution),
  }),
  ...over,
});
