import { MAX_ROUTING_SHARDS } from '../../core/domain/routing/task-id.js';
import { z } from 'zod';
import { ID_PATTERN } from '../../core/domain/ids.js';
import { isValidTaskId } from '../../core/domain/routing/task-id.js';
import { ADMIN_ROLES } from '../../core/domain/directory-user.js';
import { MEMBER_ROLES } from '../../core/domain/service.js';
import { e164, guid } from '../../core/domain/field-formats.js';
import { LICENSES, type License } from '../../core/domain/license.js';
import { ASSIGNMENT_TYPES } from '../../core/domain/service.js';
import {
  serviceSettingsPatch,
  TASK_PRIORITIES,
  type TaskPriority,
} from '../../core/domain/service-settings.js';
import {
  ORDINARY_LEVELS,
  type Queued,
  type ServingPosition,
} from '../../core/domain/routing/queue-order.js';
import { TENANT_STATES } from '../../core/domain/tenant.js';

/** An id as it may appear in a URL or body (see ID_PATTERN for why). */
export const id = z
  .string()
  .regex(
    ID_PATTERN,
    'must be 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit',
  );

/** A task id: its tenant's id, a dot, and a unique part (see isValidTaskId). */
export const taskId = z
  .string()
  .max(200)
  .refine(
    isValidTaskId,
    'must be a task id as the API gave it: "<tenant id>.<letters, digits, ->"',
  );

export const tenantParams = z.object({ tenantId: id });
export const taskParams = z.object({ taskId });
export const ouParams = tenantParams.extend({ ouId: id });
export const groupParams = tenantParams.extend({ groupId: guid });
export const userParams = tenantParams.extend({ userId: id });
export const serviceParams = tenantParams.extend({ serviceId: id });
export const memberParams = serviceParams.extend({ userId: id });

export const tenantState = z.enum(TENANT_STATES);
export const license = z.enum(LICENSES as [License, ...License[]]);
const name = z.string().trim().min(1, 'must not be empty').max(200);

export const putTenantBody = z
  .object({
    name,
    state: tenantState,
    routingShards: z
      .number()
      .int()
      .min(1)
      .max(MAX_ROUTING_SHARDS)
      .optional()
      .describe(
        'How many partitions the tenant’s routing rows spread over (1 by default): more lets one busy tenant commit more steps a second. Fixed when the tenant is created; naming another value later is refused.',
      ),
  })
  .strict();

export const contingencyBody = z
  .object(
    Object.fromEntries(LICENSES.map((l) => [l, z.number().int().min(0).max(1_000_000).optional()])),
  )
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'name at least one license');

/**
 * A page of a long list: `top` items at most, after the `cursor` the previous page gave
 * (opaque to clients: the last id of that page, base64url).
 */
export const pageQuery = z.object({
  top: z.coerce
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(200, 'must be at most 200')
    .default(50)
    .describe('How many items a page holds: 1 to 200, 50 when not given'),
  cursor: z
    .string()
    .max(400)
    .transform((raw, ctx) => {
      const after = Buffer.from(raw, 'base64url').toString('utf8');
      if (ID_PATTERN.test(after) && Buffer.from(after).toString('base64url') === raw) return after;
      ctx.addIssue({ code: 'custom', message: 'is not a cursor this list gave' });
      return z.NEVER;
    })
    .optional()
    .describe('Where the page starts: the `next` of the page before'),
});
export const cursorOf = (lastId: string | null) =>
  lastId === null ? null : Buffer.from(lastId).toString('base64url');

/** Where a page of a queue ended, as its cursor carries it: the round robin, each level's last task. */
const servingPosition = z
  .object({
    r: z.partialRecord(z.enum(ORDINARY_LEVELS), z.number().finite()),
    a: z.partialRecord(
      z.enum(TASK_PRIORITIES),
      z.tuple([z.number().int().nonnegative(), z.string().max(200)]),
    ),
  })
  .strict();

/** The cursor of the page after one ending at `position` (opaque to clients). */
export const queueCursorOf = (position: ServingPosition | null) =>
  position === null
    ? null
    : Buffer.from(
        JSON.stringify({
          r: position.roundRobin,
          a: Object.fromEntries(
            Object.entries(position.after).map(([level, t]) => [level, [t.enqueuedAt, t.id]]),
          ),
        }),
      ).toString('base64url');

/** A page of a queue in serving order: `top` tasks after the `cursor` the page before gave. */
export const queuePageQuery = z.object({
  top: pageQuery.shape.top,
  cursor: z
    .string()
    .max(2000)
    .transform((raw, ctx): ServingPosition => {
      try {
        const { r, a } = servingPosition.parse(
          JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')),
        );
        const after: Partial<Record<TaskPriority, Queued>> = {};
        for (const [level, [enqueuedAt, id]] of Object.entries(a) as [
          TaskPriority,
          [number, string],
        ][])
          after[level] = { priority: level, enqueuedAt, id };
        return { roundRobin: r, after };
      } catch {
        ctx.addIssue({ code: 'custom', message: 'is not a cursor this list gave' });
        return z.NEVER;
      }
    })
    .optional()
    .describe('Where the page starts: the `next` of the page before'),
});

export const deleteTenantBody = z.object({ confirm: z.string() }).strict();
/** Where a task is, for whoever takes it: an absolute https address, nothing else. */
export const httpsLink = z
  .string()
  .max(2000, 'must be at most 2000 characters')
  .refine((raw) => {
    try {
      const url = new URL(raw);
      return url.protocol === 'https:' && url.username === '' && url.password === '';
    } catch {
      return false;
    }
  }, 'must be an https address, like https://crm.contoso.com/cases/42');

/** A member's role in a service. */
export const memberRoleBody = z.object({ role: z.enum(MEMBER_ROLES) }).strict();
/** Deleting a service: with open tasks, only when the admin confirms they are ended. */
export const deleteServiceBody = z.object({ cancelOpenTasks: z.boolean().default(false) }).strict();

export const putOuBody = z.object({ name, parentId: id.nullable() }).strict();

export const putUserBody = z
  .object({ displayName: name, ouId: id, roles: z.array(z.enum(ADMIN_ROLES)).max(2).default([]) })
  .strict();

export const skillsBody = z
  .object({
    skills: z.record(
      z.string().trim().min(1).max(64),
      z.number().int().min(1, 'a skill level is 1..100').max(100, 'a skill level is 1..100'),
    ),
  })
  .strict();

const change = z.union([
  z.object({ op: z.enum(['assign', 'remove']), license, userId: id }).strict(),
  z.object({ op: z.enum(['assign', 'remove']), license, serviceId: id }).strict(),
]);

export const licenseChangesBody = z
  .object({
    changes: z.array(change).min(1, 'stage at least one change').max(100),
    confirmIrreversible: z.boolean().default(false),
  })
  .strict();

export const serviceLicenseBody = z.object({ license }).strict();

export const provisionBody = z
  .object({
    teamId: z.string().trim().min(1).max(256),
    teamName: name,
    members: z.array(id).max(5000).default([]),
  })
  .strict();

export const createServiceBody = z
  .object({ name, assignmentType: z.enum(['SkillBased', 'None']), ouId: id })
  .strict();

export const serviceSettingsBody = serviceSettingsPatch
  .extend({
    general: z.object({ name, ouId: id, phoneNumber: e164.nullable() }).partial().strict(),
  })
  .partial()
  .strict();

export const assignmentTypeBody = z.object({ assignmentType: z.enum(ASSIGNMENT_TYPES) }).strict();

export const memberBody = z.object({ active: z.boolean() }).strict();
