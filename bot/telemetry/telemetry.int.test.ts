import { strict as assert } from 'node:assert';
import {
  MeterProvider,
  MetricReader,
  type DataPoint,
  type Histogram,
} from '@opentelemetry/sdk-metrics';
import { createServer } from 'node:http';
import { DEMO } from '../../core/app/demo-tenant.js';
import { asTenantId, asUserId } from '../../core/domain/ids.js';
import { createStores } from '../../core/store/stores.js';
import { startTestApp, type TestApp } from '../../test/app-harness.js';
import { testStorage } from '../../test/azurite-fixture.js';
import { PEOPLE } from '../../test/demo-people.js';
import { until } from '../../test/until.js';
import { createTelemetry } from './telemetry.js';

/** Collects on demand, as an exporter's reader would at its next interval. */
class TestReader extends MetricReader {
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

const T = DEMO.tenant.id;
const { MEGAN, ADELE, ISAIAH } = PEOPLE;

describe('telemetry: requests, distribution runs, card sends and queue depth', () => {
  let app: TestApp;
  const reader = new TestReader();
  const provider = new MeterProvider({ readers: [reader] });

  async function points(name: string): Promise<DataPoint<unknown>[]> {
    const { resourceMetrics } = await reader.collect();
    return resourceMetrics.scopeMetrics
      .flatMap((s) => s.metrics)
      .filter((m) => m.descriptor.name === name)
      .flatMap((m) => m.dataPoints as DataPoint<unknown>[]);
  }
  const sum = async (name: string, attrs: Record<string, unknown> = {}) =>
    (await points(name))
      .filter((p) => Object.entries(attrs).every(([k, v]) => p.attributes[k] === v))
      .reduce((n, p) => n + Number(p.value), 0);

  /** Teams' connector for Megan's chat: answers 429 while `throttle` is on (Retry-After 0: this test counts the throttling, the card sender's tests wait it out). */
  let throttle = false;
  const connector = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const status = throttle ? 429 : 201;
      res.writeHead(status, { 'content-type': 'application/json', 'retry-after': '0' });
      res.end(JSON.stringify({ id: 'act-1' }));
    });
  });

  before(async () => {
    await new Promise<void>((r) => connector.listen(0, '127.0.0.1', r));
    const address = connector.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    app = await startTestApp(
      { SEED: 'demo' },
      { telemetry: createTelemetry(provider.getMeter('test')) },
    );
    // Before the app reads any chat link, so its memory of them holds this one from the start.
    await createStores(testStorage(app.prefix)).teamsLinks.users.upsert({
      tenantId: asTenantId(T),
      userId: asUserId(MEGAN),
      teamsId: `29:${MEGAN}`,
      name: 'Megan',
      serviceUrl: `http://127.0.0.1:${port}/`,
      botId: '28:bot',
      conversationId: `chat-${MEGAN}`,
    });
  });
  after(async () => {
    await app.stop();
    await provider.shutdown();
    await new Promise<void>((r) => connector.close(() => r()));
  });

  it('counts each request by route and status, with its duration', async () => {
    const megan = await app.token({ tenantId: T, userId: MEGAN });
    await app.call('GET', '/me/services', { token: megan });
    await app.call('GET', '/tasks/not-a-task', { token: megan });
    const requests = (await points('http.server.request.duration')) as DataPoint<Histogram>[];
    const ok = requests.find(
      (p) =>
        p.attributes['http.route'] === '/api/v1/me/services' &&
        p.attributes['http.response.status_code'] === 200,
    );
    assert.ok(ok && ok.value.count >= 1, JSON.stringify(requests.map((p) => p.attributes)));
    assert.ok(
      requests.some(
        (p) =>
          p.attributes['http.route'] === '/api/v1/tasks/:taskId' &&
          p.attributes['http.response.status_code'] === 400,
      ),
      'the route, not the URL with its id',
    );
  });

  it('counts distribution runs and offers, and gauges the tasks still waiting', async () => {
    const system = await app.token({ system: true });
    const before = await sum('service_routing.distribution.offers');
    for (const u of [MEGAN, ADELE, ISAIAH])
      await app.call('PUT', `/tenants/${T}/users/${u}/presence`, {
        token: system,
        body: { presence: u === ADELE ? 'Available' : 'Offline' },
      });
    for (const subject of ['First', 'Second', 'Third'])
      await app.call('POST', `/tenants/${T}/services/svc-it-helpdesk/tasks`, {
        token: system,
        body: { modality: 'Email', subject },
      });
    assert.equal(await sum('service_routing.distribution.offers'), before + 1, 'Adele got one');
    assert.ok((await sum('service_routing.distribution.runs')) >= 3);
    assert.equal(await sum('service_routing.queue.depth'), 2, 'two wait');
    const durations = (await points(
      'service_routing.distribution.duration',
    )) as DataPoint<Histogram>[];
    assert.ok((durations[0]?.value.count ?? 0) >= 3);
  });

  it('counts card sends by outcome, and the ones Teams throttled', async () => {
    throttle = true;
    const system = await app.token({ system: true });
    // Megan, back from Offline, is offered one of the two waiting tasks: its invitation
    // goes to her chat, and Teams throttles it.
    await app.call('PUT', `/tenants/${T}/users/${MEGAN}/presence`, {
      token: system,
      body: { presence: 'Available' },
    });
    await until(
      'a throttled send',
      async () => (await sum('service_routing.cards.throttled')) >= 1,
      20_000,
    );
    assert.ok((await sum('service_routing.cards.sends', { outcome: 'retry' })) >= 1);
    throttle = false;
    await until(
      'the card is sent',
      async () => (await sum('service_routing.cards.sends', { outcome: 'sent' })) >= 1,
      20_000,
    );
  });
});
