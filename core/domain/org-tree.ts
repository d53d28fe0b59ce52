import type { OrgUnitId } from './ids.js';
import type { OrgUnit } from './org-unit.js';

/** The OU tree of one tenant, for scope checks. */
export class OrgTree {
  private readonly byId: ReadonlyMap<OrgUnitId, OrgUnit>;

  constructor(units: readonly OrgUnit[]) {
    this.byId = new Map(units.map((u) => [u.id, u]));
  }

  has(id: OrgUnitId): boolean {
    return this.byId.has(id);
  }

  get(id: OrgUnitId): OrgUnit | undefined {
    return this.byId.get(id);
  }

  root(): OrgUnit | undefined {
    return [...this.byId.values()].find((u) => u.parentId === null);
  }

  children(id: OrgUnitId): OrgUnit[] {
    return [...this.byId.values()]
      .filter((u) => u.parentId === id)
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  /**
   * The units from the root down to `id` (empty for a unit not in the tree), for showing
   * where something sits: "Contoso › Sales". Guards against cycles in stored data.
   */
  path(id: OrgUnitId): OrgUnit[] {
    const path: OrgUnit[] = [];
    for (let unit = this.byId.get(id); unit && !path.includes(unit);) {
      path.unshift(unit);
      unit = unit.parentId === null ? undefined : this.byId.get(unit.parentId);
    }
    return path;
  }

  /** True when `id` is `ancestor` or lies below it. Guards against cycles in stored data. */
  isWithin(id: OrgUnitId, ancestor: OrgUnitId): boolean {
    const seen = new Set<OrgUnitId>();
    for (let current: OrgUnitId | null = id; current !== null && !seen.has(current);) {
      if (current === ancestor) return true;
      seen.add(current);
      current = this.byId.get(current)?.parentId ?? null;
    }
    return false;
  }
}
