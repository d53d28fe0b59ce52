import type { MyService, MyState, ServiceDetail, ServiceView } from '../api/schemas';
import { DEFAULT_SERVICE_SETTINGS } from '../../../core/domain/service-settings';

export const NOW = '2026-11-23T10:00:00.000Z';
export const at = (secondsFromNow: number) =>
  new Date(Date.parse(NOW) + secondsFromNow * 1000).toISOString();

export const aMyService = (over: Partial<MyService> = {}): MyService => ({
  serviceId: 'svc-helpdesk',
  name: 'IT Helpdesk',
  assignmentType: 'TeamsBased',
  role: 'Member',
  active: true,
  chatsAtOnce: 1,
  available: true,
  reasons: [],
  stateSince: at(-125),
  missingLicenses: [],
  ...over,
});

export const aMyState = (over: Partial<MyState> = {}): MyState => ({
  now: NOW,
  presence: 'Available',
  engagement: null,
  chats: [],
  ronaUntil: null,
  idleSince: at(-600),
  changedAt: at(-125),
  missingLicenses: [],
  services: [aMyService()],
  ...over,
});

export const aServiceView = (over: Partial<ServiceView> = {}): ServiceView => ({
  serviceId: 'svc-helpdesk',
  name: 'IT Helpdesk',
  ouId: 'ou-support',
  license: 'AdvancedRouting',
  assignmentType: 'TeamsBased',
  teamId: 'team-1',
  settings: { distribution: DEFAULT_SERVICE_SETTINGS.distribution },
  locked: { assignmentType: 'Set when the service was provisioned from its team.' },
  features: [
    {
      feature: 'taskPriority',
      field: 'distribution.priority',
      license: 'ContactCenter',
      allowed: false,
    },
    { feature: 'acw', field: 'distribution.acw.enabled', license: 'ContactCenter', allowed: false },
    {
      feature: 'outboundServiceCall',
      field: 'distribution.outboundServiceCall',
      license: 'EnterpriseRouting',
      allowed: false,
    },
  ],
  ...over,
});

export const aServiceDetail = (over: Partial<ServiceDetail> = {}): ServiceDetail => ({
  ...aServiceView(),
  ouPath: [
    { ouId: 'root', name: 'Contoso' },
    { ouId: 'ou-support', name: 'Support' },
  ],
  ...over,
});
