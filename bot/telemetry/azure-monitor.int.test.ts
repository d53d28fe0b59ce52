import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import selfsigned from 'selfsigned';
import { gunzipSync } from 'node:zlib';
import { startServerProcess } from '../../test/processes.js';
import { until } from '../../test/until.js';

interface Envelope {
  readonly name: string;
  readonly data?: { readonly baseData?: Record<string, unknown> };
}

/**
 * Application Insights' ingestion endpoint (`/v2.1/track`, https as the exporter requires),
 * keeping what it is sent. Its certificate is written to `certFile` for the app to trust.
 */
async function ingestionStandIn(certFile: string) {
  const tls = await selfsigned.generate([{ name: 'commonName', value: '127.0.0.1' }], {
    notAfterDate: new Date(Date.now() + 24 * 3600 * 1000),
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  writeFileSync(certFile, tls.cert);
  const envelopes: Envelope[] = [];
  const server = createServer(
    { cert: tls.cert, key: tls.private },
    (req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.method === 'POST' && req.url?.startsWith('/v2.1/track')) {
          const raw = Buffer.concat(chunks);
          const text = (
            req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw
          ).toString();
          const parsed = JSON.parse(text) as Envelope | Envelope[];
          envelopes.push(...(Array.isArray(parsed) ? parsed : [parsed]));
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ itemsReceived: 1, itemsAccepted: 1, errors: [] }));
          return;
        }
        res.writeHead(404).end();
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    envelopes,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('Application Insights (APPLICATIONINSIGHTS_CONNECTION_STRING)', function () {
  // About 10 s: an app process starts with the Azure Monitor distro, and its exporters
  // send on their own schedule (the test waits for the envelopes, not for a time).
  this.timeout(90_000);

  it("exports the app's metrics and log lines through OpenTelemetry", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svc-routing-ai-'));
    const ingestion = await ingestionStandIn(join(dir, 'cert.pem'));
    const app = await startServerProcess({
      NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem'),
      APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=00000000-0000-4000-8000-000000000000;IngestionEndpoint=${ingestion.url}`,
      APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
      OTEL_METRIC_EXPORT_INTERVAL: '1000',
      LOG_LEVEL: 'info',
      SEED: 'none',
    });
    try {
      await fetch(`${app.url}/api/v1/health`);
      const metricNames = () =>
        ingestion.envelopes.flatMap((e) =>
          ((e.data?.baseData?.metrics as { name: string }[] | undefined) ?? []).map((m) => m.name),
        );
      await until(
        'request and queue metrics arrive',
        () =>
          metricNames().includes('http.server.request.duration') &&
          metricNames().includes('service_routing.queue.depth'),
        60_000,
      );
      await until(
        'the "ready" log line arrives',
        () => ingestion.envelopes.some((e) => e.data?.baseData?.message === 'ready'),
        60_000,
      );
    } finally {
      await app.stop();
      await ingestion.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
