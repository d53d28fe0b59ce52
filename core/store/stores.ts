import { createLicensePoolStore, type LicensePoolStore } from './table-license-pool-store.js';
import { createOrgUnitStore, type OrgUnitStore } from './table-org-unit-store.js';
import type { TableStorage } from './table-storage.js';
import { createTenantStore, type TenantStore } from './table-tenant-store.js';
import { createUserStore, type UserStore } from './table-user-store.js';

/** Every repository of the app, over one storage account. */
export interface Stores {
  readonly tenants: TenantStore;
  readonly orgUnits: OrgUnitStore;
  readonly users: UserStore;
  readonly licensePools: LicensePoolStore;
}

export function createStores(storage: TableStorage): Stores {
  return {
    tenants: createTenantStore(storage),
    orgUnits: createOrgUnitStore(storage),
    users: createUserStore(storage),
    licensePools: createLicensePoolStore(storage),
  };
}
