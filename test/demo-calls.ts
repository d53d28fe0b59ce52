import { strict as assert } from 'node:assert';
import { DEMO } from '../core/app/demo-tenant.js';
import type { TestApp } from './app-harness.js';
import { PEOPLE } from './demo-people.js';

/** A task as the API answers its creation. */
export interface CreatedTask {
  readonly taskId: string;
  readonly state: string;
  readonly exit: string;
  readonly offeredTo: string[];
}

/**
 * The API on the demo tenant as its people call it: `call` as anyone, `newTask` as Alex in
 * one service, `task` read back. `app` is asked at each call (tests start one per test).
 */
export function demoCalls(app: () => TestApp, serviceId: string) {
  const T = DEMO.tenant.id;
  const call = async (who: string, method: string, path: string, body?: unknown) =>
    app().call(method, path, { token: await app().token({ tenantId: T, userId: who }), body });
  const newTask = async (modality: string, subject: string): Promise<CreatedTask> => {
    const reply = await call(PEOPLE.ALEX, 'POST', `/tenants/${T}/services/${serviceId}/tasks`, {
      modality,
      subject,
    });
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    return reply.body as CreatedTask;
  };
  const task = async (taskId: string) => (await call(PEOPLE.ALEX, 'GET', `/tasks/${taskId}`)).body;
  return { call, newTask, task };
}
