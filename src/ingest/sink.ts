/**
 * @module ingest/sink
 * What every transport (HTTP, syslog, replay) hands its records to. The sink normalises, attributes
 * to the sensor's organisation and commits the batch durably before it returns: when
 * `acceptBatch` returns, the accepted events are in the store.
 */
import type { BatchSummary, Sensor } from '../core/model.js';
import type { RawRecord, StreamState } from '../parse/normaliser.js';

export const transports = ['http', 'syslog-udp', 'syslog-tcp', 'syslog-tls', 'replay'] as const;
export type Transport = (typeof transports)[number];

export interface IngestOptions {
  transport: Transport;
  /** Format for this batch, overriding the sensor's; null/undefined = the sensor's, or auto-detect. */
  format?: string | null;
  /** The sender's idempotency key: a retried batch with the same key is stored once. */
  idempotencyKey?: string | null;
  /** Stream state kept across batches of one connection or file (W3C `#Fields:`). */
  stream?: StreamState;
  /** Line number of the first record, for rejection reports (default 1). */
  firstLineNo?: number;
  /** Transport-level address of the sender, recorded in `observer.ip`-adjacent fields. */
  peer?: string;
}

export interface IngestSink {
  /**
   * Normalises and durably stores a batch for `sensor`'s organisation; the promise resolves once
   * the batch is durable. Lines that cannot be
   * accepted are reported in the summary and kept as dead letters; they never fail the batch.
   * Fails with `VigilError` only for whole-batch problems (unknown format, store failure).
   */
  acceptBatch(sensor: Sensor, records: RawRecord[], options: IngestOptions): Promise<BatchSummary> | BatchSummary;
}
