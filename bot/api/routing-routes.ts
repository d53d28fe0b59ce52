import { z } from 'zod';
import type { AppDeps } from '../../core/app/app-deps.js';
import {
  endMyAcw,
  extendMyAcw,
  myServices,
  resetMyRona,
  setMyActive,
  setPresence,
} from '../../core/app/routing/me-actions.js';
import { readQueue, myOffers } from '../../core/app/routing/queue-view.js';
import {
  accept,
  cancel,
  complete,
  decline,
  end,
  readTask,
} from '../../core/app/routing/task-actions.js';
import { createTask } from '../../core/app/routing/task-intake.js';
import { asServiceId, asTenantId, asUserId } from '../../core/domain/ids.js';
import { PRESENCES } from '../../core/domain/routing/presence.js';
import { MODALITIES } from '../../core/domain/routing/task.js';
import { callbackUrlProblem } from '../../core/domain/routing/task-callbacks.js';
import { CALLBACK_DOC, TASK_OUTCOME_CALLBACK } from './callback-doc.js';
import { defineRoute, type Route } from '../http/route.js';
import { reply } from '../http/refusal-error.js';
import {
  cursorOf,
  httpsLink,
  id,
  pageQuery,
  queueCursorOf,
  queuePageQuery,
  serviceParams,
  taskParams,
  userParams,
} from './api-schemas.js';
import {
  agentView,
  myServicesView,
  myStateView,
  serviceBoardView,
  taskView,
} from './routing-views.js';
import { serviceBoard } from '../../core/app/routing/service-board.js';
import { whoAmI } from '../../core/app/who-am-i.js';

const meServiceParams = z.object({ serviceId: id });

/** Tasks, queues, presence and the calling user's own state (API.md "Tasks" and "Me"). */
/** A task's callback address, as the edge accepts it (see callbackUrlProblem). */
const callbackUrl = (devMode: boolean) =>
  z
    .string()
    .superRefine((raw, ctx) => {
      const problem = callbackUrlProblem(raw, devMode);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .describe(CALLBACK_DOC);

export function routingRoutes(deps: AppDeps, options: { readonly devMode: boolean }): Route[] {
  const taskAction = (path: string, summary: string, run: typeof accept): Route =>
    defineRoute({
      method: 'POST',
      path: `/tasks/{taskId}/${path}`,
      summary,
      tags: ['tasks'],
      auth: 'token',
      params: taskParams,
      success: { status: 200, description: 'The task afterwards' },
      handle: async ({ params, principal }) =>
        reply(await run(deps, principal, params.taskId), taskView),
    });
  return [
    defineRoute({
      method: 'PUT',
      path: '/tenants/{tenantId}/users/{userId}/presence',
      summary: "Set a person's Teams presence (presence feed, tenant admin, or the person)",
      tags: ['routing'],
      auth: 'token',
      params: userParams,
      body: z.object({ presence: z.enum(PRESENCES) }).strict(),
      success: { status: 200, description: "The person's routing state" },
      handle: async ({ params, body, principal }) =>
        reply(
          await setPresence(
            deps,
            principal,
            asTenantId(params.tenantId),
            asUserId(params.userId),
            body.presence,
          ),
          agentView,
        ),
    }),
    defineRoute({
      method: 'POST',
      path: '/tenants/{tenantId}/services/{serviceId}/tasks',
      summary: 'A new task enters the service queue (idempotent by externalId)',
      tags: ['tasks'],
      auth: 'token',
      params: serviceParams,
      body: z
        .object({
          modality: z.enum(MODALITIES),
          subject: z.string().trim().min(1).max(500),
          externalId: z.string().min(1).max(1000).optional(),
          link: httpsLink.optional(),
          callbackUrl: callbackUrl(options.devMode).optional(),
        })
        .strict(),
      success: { status: 201, description: 'Created (200 for a known externalId)' },
      callbacks: { taskOutcome: TASK_OUTCOME_CALLBACK },
      handle: async ({ params, body, principal }) => {
        const result = await createTask(
          deps,
          principal,
          asTenantId(params.tenantId),
          asServiceId(params.serviceId),
          body,
        );
        return reply(
          result,
          (r) => ({
            ...taskView(r.task),
            taskId: r.task.id,
            state: r.task.state,
            exit: r.task.exit,
          }),
          result.ok && !result.value.created ? 200 : 201,
        );
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/tenants/{tenantId}/services/{serviceId}/members',
      summary:
        'Members with their Active switch, and whether each is free for a task now or why not, a page at a time',
      tags: ['services'],
      auth: 'token',
      params: serviceParams,
      query: pageQuery,
      success: {
        status: 200,
        description:
          'The service with a page of its members (by user id): "members", "total" (members in all), "next" (cursor of the next page, or null)',
      },
      handle: async ({ params, query, principal }) =>
        reply(
          await serviceBoard(
            deps,
            principal,
            asTenantId(params.tenantId),
            asServiceId(params.serviceId),
            { top: query.top, after: query.cursor === undefined ? null : asUserId(query.cursor) },
          ),
          (board) => ({
            ...serviceBoardView(board, deps.clock.now()),
            total: board.total,
            next: cursorOf(board.next),
          }),
        ),
    }),
    defineRoute({
      method: 'GET',
      path: '/tenants/{tenantId}/services/{serviceId}/queue',
      summary: 'Queued tasks in the order they will be served, a page at a time',
      tags: ['tasks'],
      auth: 'token',
      params: serviceParams,
      query: queuePageQuery,
      success: {
        status: 200,
        description:
          '{"items": [task], "next": cursor of the next page or null, "waiting": how many tasks wait in all}',
      },
      handle: async ({ params, query, principal }) =>
        reply(
          await readQueue(
            deps,
            principal,
            asTenantId(params.tenantId),
            asServiceId(params.serviceId),
            { top: query.top, from: query.cursor ?? null },
          ),
          (page) => ({
            items: page.tasks.map(taskView),
            next: queueCursorOf(page.next),
            waiting: page.waiting,
          }),
        ),
    }),
    defineRoute({
      method: 'GET',
      path: '/tasks/{taskId}',
      summary: 'A task with its distribution decisions',
      tags: ['tasks'],
      auth: 'token',
      params: taskParams,
      success: { status: 200, description: 'The task' },
      handle: async ({ params, principal }) =>
        reply(await readTask(deps, principal, params.taskId), taskView),
    }),
    taskAction('accept', 'Accept an offered task (the first accept wins)', accept),
    taskAction('decline', 'Decline an offered task (it goes to the next person)', decline),
    taskAction('complete', 'End an accepted task (ACW starts where the service has it)', complete),
    taskAction('cancel', 'Cancel a waiting or ringing task', cancel),
    defineRoute({
      method: 'POST',
      path: '/tasks/{taskId}/end',
      summary:
        'End a task someone accepted and will not finish (owners and admins; the reason is kept and shown to them, and they are free at once)',
      tags: ['tasks'],
      auth: 'token',
      params: taskParams,
      body: z
        .object({
          reason: z
            .string()
            .trim()
            .min(1, 'say why the task is ended (the person will read it)')
            .max(500),
        })
        .strict(),
      success: { status: 200, description: 'The task afterwards' },
      handle: async ({ params, body, principal }) =>
        reply(await end(deps, principal, params.taskId, body.reason), taskView),
    }),
    defineRoute({
      method: 'GET',
      path: '/me',
      summary:
        'Who I am: tenant, name, and whether I administer the tenant or an OU; or the system operator',
      tags: ['me'],
      auth: 'token',
      success: {
        status: 200,
        description: 'Me (`operator: true` and no tenant for the system operator)',
      },
      handle: async ({ principal }) =>
        reply(await whoAmI(deps, principal), (me) =>
          me.operator
            ? me
            : {
                operator: false,
                tenantId: me.tenant.id,
                tenantName: me.tenant.name,
                tenantState: me.tenant.state,
                userId: me.userId,
                displayName: me.displayName,
                tenantAdmin: me.tenantAdmin,
                ouAdmin: me.ouAdmin,
              },
        ),
    }),
    defineRoute({
      method: 'GET',
      path: '/me/services',
      summary: 'My services: Active, available now, and why not',
      tags: ['me'],
      auth: 'token',
      success: { status: 200, description: 'My services' },
      handle: async ({ principal }) => reply(await myServices(deps, principal), myServicesView),
    }),
    defineRoute({
      method: 'GET',
      path: '/me/state',
      summary: 'My routing state: presence, current task or ACW, RONA',
      tags: ['me'],
      auth: 'token',
      success: { status: 200, description: 'My state' },
      handle: async ({ principal }) =>
        reply(await myServices(deps, principal), (s) => myStateView(s, deps.clock.now())),
    }),
    defineRoute({
      method: 'PUT',
      path: '/me/services/{serviceId}/active',
      summary: 'Switch myself Active or not in one service',
      tags: ['me'],
      auth: 'token',
      params: meServiceParams,
      body: z.object({ active: z.boolean() }).strict(),
      success: { status: 200, description: 'My membership' },
      handle: async ({ params, body, principal }) =>
        reply(
          await setMyActive(deps, principal, asServiceId(params.serviceId), body.active),
          (m) => ({ serviceId: m.serviceId, active: m.active }),
        ),
    }),
    defineRoute({
      method: 'GET',
      path: '/me/offers',
      summary: 'Tasks offered to me now',
      tags: ['me'],
      auth: 'token',
      success: { status: 200, description: 'Offers' },
      handle: async ({ principal }) =>
        reply(await myOffers(deps, principal), (tasks) => tasks.map(taskView)),
    }),
    defineRoute({
      method: 'POST',
      path: '/me/acw/end',
      summary: 'End my after-call work early (where the service allows)',
      tags: ['me'],
      auth: 'token',
      success: { status: 200, description: 'My state' },
      handle: async ({ principal }) => reply(await endMyAcw(deps, principal), agentView),
    }),
    defineRoute({
      method: 'POST',
      path: '/me/acw/extend',
      summary: 'Extend my after-call work to a flat new value (at most the maximum)',
      tags: ['me'],
      auth: 'token',
      body: z.object({ seconds: z.number().int().min(1).max(3600).optional() }).strict(),
      success: { status: 200, description: 'My state' },
      handle: async ({ body, principal }) =>
        reply(await extendMyAcw(deps, principal, body.seconds), agentView),
    }),
    defineRoute({
      method: 'POST',
      path: '/me/rona/reset',
      summary: 'Reset my RONA state',
      tags: ['me'],
      auth: 'token',
      success: { status: 200, description: 'My state' },
      handle: async ({ principal }) => reply(await resetMyRona(deps, principal), agentView),
    }),
  ];
}
