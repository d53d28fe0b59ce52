import type { Meter } from '@opentelemetry/api';

/** What one distribution run did, as the dispatcher tells it. */
export interface DistributionRun {
  readonly tenantId: string;
  readonly ms: number;
  /** Offers committed by the run. */
  readonly offered: number;
  /** Tasks still waiting in the tenant's queues after the run. */
  readonly queued: number;
}

export type CardOutcome = 'sent' | 'retry' | 'given-up';

/**
 * The app's own measurements: request rate and latency per route, distribution runs, card
 * sends (and Teams throttling them), and how many tasks wait. Recorded on an
 * OpenTelemetry meter: Application Insights' when configured, a no-op one otherwise.
 */
export interface Telemetry {
  request(method: string, route: string, status: number, ms: number): void;
  distribution(run: DistributionRun): void;
  cardSend(outcome: CardOutcome, status: number | undefined): void;
}

/** Tenants whose queue sizes are kept for the gauge (the largest ones matter most). */
const MAX_TENANTS = 10_000;

export function createTelemetry(meter: Meter): Telemetry {
  const requestDuration = meter.createHistogram('http.server.request.duration', {
    unit: 's',
    description: 'How long the server took to answer a request',
  });
  const runs = meter.createCounter('service_routing.distribution.runs', {
    description: 'Distribution runs of a tenant',
  });
  const runDuration = meter.createHistogram('service_routing.distribution.duration', {
    unit: 'ms',
    description: 'How long a distribution run took',
  });
  const offers = meter.createCounter('service_routing.distribution.offers', {
    description: 'Offers (invitations) committed by distribution runs',
  });
  const sends = meter.createCounter('service_routing.cards.sends', {
    description: 'Task cards sent to Teams, by outcome',
  });
  const throttled = meter.createCounter('service_routing.cards.throttled', {
    description: 'Card sends Teams answered with 429 Too Many Requests',
  });
  const queued = new Map<string, number>();
  meter
    .createObservableGauge('service_routing.queue.depth', {
      description: 'Tasks waiting in all queues, as the last distribution runs saw them',
    })
    .addCallback((result) => {
      let total = 0;
      for (const n of queued.values()) total += n;
      result.observe(total);
    });
  return {
    request(method, route, status, ms) {
      requestDuration.record(ms / 1000, {
        'http.request.method': method,
        'http.route': route,
        'http.response.status_code': status,
      });
    },
    distribution(run) {
      runs.add(1);
      runDuration.record(run.ms);
      if (run.offered) offers.add(run.offered);
      if (!queued.has(run.tenantId) && queued.size >= MAX_TENANTS) queued.clear();
      if (run.queued) queued.set(run.tenantId, run.queued);
      else queued.delete(run.tenantId);
    },
    cardSend(outcome, status) {
      sends.add(1, { outcome });
      if (status === 429) throttled.add(1);
    },
  };
}
