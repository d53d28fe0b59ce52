import type { Identity } from '../domain/actor.js';
import type { TenantId } from '../domain/ids.js';
import { allow, type Decision } from '../domain/refusal.js';
import { GraphProblem, graphWords } from './graph-problem.js';
import type { AppDeps } from './app-deps.js';
import { asTenantAdmin } from './resolve-actor.js';

export interface GroupMember {
  readonly userId: string;
  readonly displayName: string;
  readonly upn: string | null;
}

/** A security group's name and its people, nested groups included, from Microsoft Graph. */
export interface GroupGraph {
  /** Null when the tenant has no group by that id; throws GraphProblem when refused. */
  group(
    tenantId: TenantId,
    groupId: string,
  ): Promise<{ readonly displayName: string; readonly members: readonly GroupMember[] } | null>;
}

export type GroupDetails =
  | {
      readonly ok: true;
      readonly groupId: string;
      readonly displayName: string;
      readonly members: readonly GroupMember[];
    }
  | { readonly ok: false; readonly problem: string };

const NOT_CONFIGURED =
  'Microsoft Graph is not configured (GRAPH_CLIENT_ID and a credential), so the group’s members cannot be listed here.';

/**
 * Who a tenant-admin or partner-admin group gives admin rights to (tenant settings,
 * General, "Details"): the group's people as Graph lists them, or why Graph could not tell.
 * Tenant admins only.
 */
export async function adminGroupDetails(
  deps: AppDeps,
  graph: GroupGraph | null,
  identity: Identity,
  tenantId: TenantId,
  groupId: string,
): Promise<Decision<GroupDetails>> {
  const access = await asTenantAdmin(deps, identity, tenantId);
  if (!access.ok) return access;
  if (!graph) return allow({ ok: false, problem: NOT_CONFIGURED });
  try {
    const group = await graph.group(tenantId, groupId);
    if (!group)
      return allow({ ok: false, problem: `This tenant has no group with the id ${groupId}.` });
    const members = [...group.members].sort((a, b) => a.displayName.localeCompare(b.displayName));
    return allow({ ok: true, groupId, displayName: group.displayName, members });
  } catch (error) {
    if (!(error instanceof GraphProblem)) throw error;
    return allow({ ok: false, problem: graphWords(error) });
  }
}
