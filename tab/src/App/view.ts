/** Which page the tab shows; kept in the URL's hash so a reload or a deep link lands there. */
export type View =
  | { readonly kind: 'myServices' }
  | { readonly kind: 'service'; readonly serviceId: string }
  | { readonly kind: 'serviceDashboard'; readonly serviceId: string }
  | {
      readonly kind: 'serviceSettings';
      readonly serviceId: string;
      /** A setting to bring into view and focus (`distribution.acw.enabled`). */
      readonly field?: string;
    }
  | { readonly kind: 'services' }
  /** The admins' overview of the services in their care. */
  | { readonly kind: 'overview' }
  | { readonly kind: 'directory' }
  | { readonly kind: 'licenses' }
  | { readonly kind: 'tenant' }
  /** The system operator's pages: every tenant, and one tenant's state and licenses. */
  | { readonly kind: 'tenants' }
  | { readonly kind: 'operatorTenant'; readonly tenantId: string };

export function viewFromHash(hash: string): View {
  const [page = '', id, field] = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  if (page === 'service' && id) return { kind: 'service', serviceId: id };
  if (page === 'dashboard' && id) return { kind: 'serviceDashboard', serviceId: id };
  if (page === 'settings' && id)
    return { kind: 'serviceSettings', serviceId: id, ...(field && { field }) };
  if (page === 'services') return { kind: 'services' };
  if (page === 'overview') return { kind: 'overview' };
  if (page === 'people') return { kind: 'directory' };
  if (page === 'licenses') return { kind: 'licenses' };
  if (page === 'tenant') return { kind: 'tenant' };
  if (page === 'tenants' && id) return { kind: 'operatorTenant', tenantId: id };
  if (page === 'tenants') return { kind: 'tenants' };
  return { kind: 'myServices' };
}

export function hashOf(view: View): string {
  switch (view.kind) {
    case 'myServices':
      return '#/my-services';
    case 'service':
      return `#/service/${encodeURIComponent(view.serviceId)}`;
    case 'serviceDashboard':
      return `#/dashboard/${encodeURIComponent(view.serviceId)}`;
    case 'serviceSettings':
      return `#/settings/${encodeURIComponent(view.serviceId)}${view.field ? `/${encodeURIComponent(view.field)}` : ''}`;
    case 'services':
      return '#/services';
    case 'overview':
      return '#/overview';
    case 'directory':
      return '#/people';
    case 'licenses':
      return '#/licenses';
    case 'tenant':
      return '#/tenant';
    case 'tenants':
      return '#/tenants';
    case 'operatorTenant':
      return `#/tenants/${encodeURIComponent(view.tenantId)}`;
  }
}
