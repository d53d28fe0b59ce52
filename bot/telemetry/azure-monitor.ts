import { shutdownAzureMonitor, useAzureMonitor } from '@azure/monitor-opentelemetry';
import { logs, SeverityNumber } from '@opentelemetry/api-logs';
import { metrics } from '@opentelemetry/api';
import { Writable } from 'node:stream';
import { createTelemetry, type Telemetry } from './telemetry.js';

export interface RunningTelemetry {
  readonly telemetry: Telemetry;
  /** Where the app's JSON log lines also go (Application Insights' traces table). */
  readonly logSink: Writable;
  /** Sends what is still buffered. */
  stop(): Promise<void>;
}

const SEVERITY: Record<number, SeverityNumber> = {
  10: SeverityNumber.TRACE,
  20: SeverityNumber.DEBUG,
  30: SeverityNumber.INFO,
  40: SeverityNumber.WARN,
  50: SeverityNumber.ERROR,
  60: SeverityNumber.FATAL,
};

/**
 * OpenTelemetry to Application Insights: HTTP and Azure SDK traces, the app's metrics,
 * and its log lines. Started by the composition root only when a connection string is set.
 */
export function startAzureMonitor(connectionString: string, version: string): RunningTelemetry {
  useAzureMonitor({ azureMonitorExporterOptions: { connectionString } });
  const logger = logs.getLogger('service-routing', version);
  const logSink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) {
        if (!line.trim()) continue;
        try {
          const {
            level,
            msg,
            time: _time,
            ...attributes
          } = JSON.parse(line) as Record<string, unknown>;
          logger.emit({
            severityNumber: SEVERITY[Number(level)] ?? SeverityNumber.INFO,
            body: typeof msg === 'string' ? msg : '',
            attributes: Object.fromEntries(
              Object.entries(attributes).map(([k, v]) => [
                k,
                typeof v === 'object' ? JSON.stringify(v) : (v as string | number | boolean),
              ]),
            ),
          });
        } catch {
          // not one of our JSON lines: nothing to forward
        }
      }
      done();
    },
  });
  return {
    telemetry: createTelemetry(metrics.getMeter('service-routing', version)),
    logSink,
    stop: () => shutdownAzureMonitor(),
  };
}
