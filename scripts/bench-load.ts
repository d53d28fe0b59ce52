// The bench's load generator: agents and an owner driving task lifecycles through the API.
// It runs in a worker thread of its own, as real clients run elsewhere, so the app's main
// thread does only the app's work.
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';

export interface LoadPlan {
  readonly kind?: 'lifecycles';
  readonly url: string;
  readonly tasksPath: string;
  readonly ownerToken: string;
  readonly agentTokens: Readonly<Record<string, string>>;
  readonly lifecycles: number;
  readonly parallel: number;
}

export interface LoadResult {
  readonly seconds: number;
  /** Per lifecycle, ms: enqueue (answered with the offer), accept, complete. */
  readonly enqueue: number[];
  readonly accept: number[];
  readonly complete: number[];
}

/**
 * Calls the API over keep-alive connections with node:http, which costs the shared cores
 * far less per call than fetch: the load generator should measure the app, not itself.
 */
export function apiCaller(url: string) {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  return (method: string, path: string, token?: string, body?: unknown) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        `${url}/api/v1${path}`,
        {
          method,
          agent,
          headers: {
            ...(token && { authorization: `Bearer ${token}` }),
            ...(payload !== undefined && {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(payload),
            }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            const json = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
            if ((res.statusCode ?? 500) >= 400)
              reject(new Error(`${method} ${path}: ${res.statusCode} ${text}`));
            else resolve(json);
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
}

async function run(plan: LoadPlan): Promise<LoadResult> {
  const call = apiCaller(plan.url);
  const result = { enqueue: [] as number[], accept: [] as number[], complete: [] as number[] };
  let started = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: plan.parallel }, async () => {
      while (started < plan.lifecycles) {
        started++;
        const t0 = performance.now();
        const task = await call('POST', plan.tasksPath, plan.ownerToken, {
          modality: 'Call',
          subject: 'bench',
        });
        const t1 = performance.now();
        const agent = (task.offeredTo as string[])[0];
        const token = agent && plan.agentTokens[agent];
        if (!token) throw new Error(`not offered: ${JSON.stringify(task)}`);
        await call('POST', `/tasks/${String(task.taskId)}/accept`, token);
        const t2 = performance.now();
        await call('POST', `/tasks/${String(task.taskId)}/complete`, token);
        result.enqueue.push(t1 - t0);
        result.accept.push(t2 - t1);
        result.complete.push(performance.now() - t2);
      }
    }),
  );
  return { seconds: (performance.now() - start) / 1000, ...result };
}

/**
 * One kind of step, one after the other: tasks enqueued by the owner (nobody free to take
 * them), or an agent taking the invitation ringing for them (accept, complete; completing
 * offers the next waiting task).
 */
export type StepPlan =
  | {
      readonly kind: 'enqueue';
      readonly url: string;
      readonly tasksPath: string;
      readonly ownerToken: string;
      readonly count: number;
    }
  | {
      readonly kind: 'offers';
      readonly url: string;
      readonly agentToken: string;
      readonly count: number;
    };

export interface StepResult {
  readonly seconds: number;
  /** Per step, ms. */
  readonly ms: number[];
}

async function runSteps(plan: StepPlan): Promise<StepResult> {
  const call = apiCaller(plan.url);
  const ms: number[] = [];
  const start = performance.now();
  for (let i = 0; i < plan.count; i++) {
    const t0 = performance.now();
    if (plan.kind === 'enqueue') {
      const task = await call('POST', plan.tasksPath, plan.ownerToken, {
        modality: 'Call',
        subject: 'bench',
      });
      if (task.state !== 'Queued') throw new Error(`expected to wait: ${JSON.stringify(task)}`);
    } else {
      const offers = (await call('GET', '/me/offers', plan.agentToken)) as unknown;
      const [offer] = offers as { taskId: string }[];
      if (!offer) throw new Error('no invitation ringing');
      await call('POST', `/tasks/${offer.taskId}/accept`, plan.agentToken);
      await call('POST', `/tasks/${offer.taskId}/complete`, plan.agentToken);
    }
    ms.push(performance.now() - t0);
  }
  return { seconds: (performance.now() - start) / 1000, ms };
}

if (parentPort && workerData) {
  const port = parentPort;
  const plan = workerData as LoadPlan | StepPlan;
  (plan.kind === 'enqueue' || plan.kind === 'offers' ? runSteps(plan) : run(plan)).then(
    (result) => port.postMessage({ ok: true, result }),
    (error: unknown) => port.postMessage({ ok: false, error: String(error) }),
  );
}
