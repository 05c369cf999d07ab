/**
 * @module ingest/syslog/batcher
 * Syslog arrives one message at a time; the pipeline works on batches. Messages are buffered per
 * origin (one TCP/TLS connection, or one sensor and source address for UDP) and handed to the
 * sink together when `maxBatch` is reached or `flushIntervalMs` after the first one arrived.
 * Per connection because a connection carries one `StreamState` (W3C `#Fields:` directives) and
 * one peer; never mixing senders keeps `peer` truthful. Syslog has no acknowledgement (RFC 5426
 * §3.1, RFC 6587 §1), so a batch the sink refuses is counted and logged, then lost.
 *
 * At flush the sensor is looked up again: a sensor disabled (or removed) since the connection
 * opened is unknown from then on, its buffered messages are dropped and its connection closed.
 */
import type { Sensor } from '../../core/model.js';
import type { RawRecord, StreamState } from '../../parse/normaliser.js';
import type { IngestSink } from '../sink.js';
import type { LogLimiter } from './log-limiter.js';
import type { SyslogSensorResolver } from './sensor-resolver.js';
import type { SyslogStats, SyslogTransport } from './stats.js';
import { statsOf } from './stats.js';

/** Where buffered messages came from; the same object for every message of one origin. */
export interface BatchOrigin {
  sensor: Sensor;
  transport: SyslogTransport;
  peer: string;
  stream?: StreamState;
  /** Called when the sensor is no longer enabled at flush time (closes the connection). */
  onSensorGone?: () => void;
}

export interface BatcherOptions {
  sink: IngestSink;
  maxBatch: number;
  flushIntervalMs: number;
  resolveSensors: () => SyslogSensorResolver;
  stats: SyslogStats;
  limiter: LogLimiter;
  log: (msg: string, fields?: object) => void;
}

interface Pending {
  origin: BatchOrigin;
  records: RawRecord[];
  timer: NodeJS.Timeout;
}

export class SyslogBatcher {
  private readonly pending = new Map<string, Pending>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: BatcherOptions) {}

  /** Messages buffered and not yet flushed. */
  get pendingRecords(): number {
    let count = 0;
    for (const batch of this.pending.values()) count += batch.records.length;
    return count;
  }

  /** Buffers `text` under `key`; flushes synchronously when the batch is full. */
  add(key: string, origin: BatchOrigin, text: string): void {
    let batch = this.pending.get(key);
    if (!batch) {
      const timer = setTimeout(() => this.flush(key), this.options.flushIntervalMs);
      timer.unref();
      batch = { origin, records: [], timer };
      this.pending.set(key, batch);
    }
    batch.records.push({ text });
    if (batch.records.length >= this.options.maxBatch) this.flush(key);
  }

  flush(key: string): void {
    const batch = this.pending.get(key);
    if (!batch) return;
    this.pending.delete(key);
    clearTimeout(batch.timer);
    this.deliver(batch.origin, batch.records);
  }

  flushAll(): void {
    for (const key of [...this.pending.keys()]) this.flush(key);
  }

  private deliver(origin: BatchOrigin, records: RawRecord[]): void {
    const counters = statsOf(this.options.stats, origin.transport);
    let sensor: Sensor | null;
    try {
      sensor = this.options.resolveSensors().byId(origin.sensor.id);
    } catch (error) {
      // Without a resolver the sensor cannot be confirmed; the origin's sensor stands.
      this.warn(`resolve:${origin.transport}`, 'syslog: resolving sensors failed', { error: String(error) });
      sensor = origin.sensor;
    }
    if (sensor === null) {
      counters.dropped += records.length;
      this.warn(`gone:${origin.sensor.id}`, 'syslog: sensor disabled or removed; messages dropped', {
        sensorId: origin.sensor.id,
        transport: origin.transport,
        peer: origin.peer,
        dropped: records.length,
      });
      origin.onSensorGone?.();
      return;
    }
    const refused = (error: unknown): void => {
      counters.sinkErrors++;
      counters.dropped += records.length;
      const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
      this.warn(`sink:${sensor.id}:${code ?? ''}`, 'syslog: the sink refused a batch; messages dropped', {
        sensorId: sensor.id,
        transport: origin.transport,
        peer: origin.peer,
        dropped: records.length,
        code,
        error: error instanceof Error ? error.message : String(error),
      });
    };
    let delivery: Promise<unknown>;
    try {
      delivery = Promise.resolve(this.options.sink.acceptBatch(sensor, records, {
        transport: origin.transport,
        stream: origin.stream,
        peer: origin.peer,
      }));
    } catch (error) {
      refused(error);
      return;
    }
    const tracked = delivery.then(
      () => {
        counters.flushed += records.length;
        counters.batches++;
      },
      refused,
    ).finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  /** Resolves when every batch handed to the sink has been stored or refused. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private warn(key: string, msg: string, fields: Record<string, unknown>): void {
    const admitted = this.options.limiter.admit(key);
    if (admitted) this.options.log(msg, admitted.suppressed > 0 ? { ...fields, suppressed: admitted.suppressed } : fields);
  }
}
