/**
 * @module core/metrics
 * The counters every component keeps, the same way (received, accepted, rejected and why), and
 * the latency histograms; `/metrics` exposes this registry in the Prometheus text format.
 * Components count a whole batch at once — never one `inc()` per event on the hot path.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class Metrics {
  readonly registry = new Registry();

  readonly received = new Counter({
    name: 'vigil_ingest_received_total',
    help: 'Records received, per sensor and parser',
    labelNames: ['sensor', 'parser'] as const,
    registers: [this.registry],
  });
  readonly accepted = new Counter({
    name: 'vigil_ingest_accepted_total',
    help: 'Events accepted and stored, per sensor and parser',
    labelNames: ['sensor', 'parser'] as const,
    registers: [this.registry],
  });
  readonly rejected = new Counter({
    name: 'vigil_ingest_rejected_total',
    help: 'Records rejected, per sensor, parser and reason code',
    labelNames: ['sensor', 'parser', 'code'] as const,
    registers: [this.registry],
  });
  readonly skipped = new Counter({
    name: 'vigil_ingest_skipped_total',
    help: 'Records that carry no event (directives, comments), per sensor and parser',
    labelNames: ['sensor', 'parser'] as const,
    registers: [this.registry],
  });
  readonly batches = new Counter({
    name: 'vigil_ingest_batches_total',
    help: 'Batches handled, per transport and outcome (stored, duplicate, refused)',
    labelNames: ['transport', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly batchLatency = new Histogram({
    name: 'vigil_ingest_batch_seconds',
    help: 'Time from receiving a batch to its durable commit, per transport',
    labelNames: ['transport'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly syslogDropped = new Counter({
    name: 'vigil_syslog_dropped_total',
    help: 'Syslog messages dropped before ingest, per transport and reason',
    labelNames: ['transport', 'reason'] as const,
    registers: [this.registry],
  });
  readonly intelFeedRuns = new Counter({
    name: 'vigil_intel_feed_runs_total',
    help: 'Intelligence feed runs, per feed and outcome (ok, failed)',
    labelNames: ['feed', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly intelFeedIndicators = new Counter({
    name: 'vigil_intel_feed_indicators_total',
    help: 'What intelligence feed runs did with what they read, per feed (added, updated, skipped)',
    labelNames: ['feed', 'result'] as const,
    registers: [this.registry],
  });
  readonly notificationsQueued = new Counter({
    name: 'vigil_delivery_notifications_total',
    help: 'Notifications handed to delivery, per kind and result (queued, duplicate)',
    labelNames: ['kind', 'result'] as const,
    registers: [this.registry],
  });
  readonly deliveryAttempts = new Counter({
    name: 'vigil_delivery_attempts_total',
    help: 'Delivery attempts, per channel and outcome (delivered, retrying, failed)',
    labelNames: ['channel', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly lastSeq = new Gauge({
    name: 'vigil_store_last_seq',
    help: 'Highest event sequence number committed',
    registers: [this.registry],
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'vigil_' });
  }
}
