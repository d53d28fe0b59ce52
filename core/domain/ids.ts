declare const brand: unique symbol;
type Branded<T, B extends string> = T & { readonly [brand]: B };

export type TenantId = Branded<string, 'TenantId'>;
export type UserId = Branded<string, 'UserId'>;
export type OrgUnitId = Branded<string, 'OrgUnitId'>;
export type ServiceId = Branded<string, 'ServiceId'>;
export type TaskId = Branded<string, 'TaskId'>;

/**
 * Ids travel in URLs and become Azure Table keys, so they must avoid the characters
 * that tables forbid in keys (`/ \ # ?`) and control characters. Entra object and
 * tenant ids (GUIDs) fit, and so do readable ids like `ou-sales`.
 */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function isValidId(raw: string): boolean {
  return ID_PATTERN.test(raw);
}

/** Brands a string already checked against {@link ID_PATTERN} (parsing happens at the edge). */
export const asTenantId = (raw: string): TenantId => raw as TenantId;
export const asUserId = (raw: string): UserId => raw as UserId;
export const asOrgUnitId = (raw: string): OrgUnitId => raw as OrgUnitId;
export const asServiceId = (raw: string): ServiceId => raw as ServiceId;
export const asTaskId = (raw: string): TaskId => raw as TaskId;
